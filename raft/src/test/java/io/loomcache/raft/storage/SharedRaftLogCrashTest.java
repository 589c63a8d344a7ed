package io.loomcache.raft.storage;

import static io.loomcache.raft.storage.RaftLogContractTest.assertEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.raft.RaftLog;
import io.loomcache.wal.WalContext;

/**
 * A real crash of a {@link SharedRaftLog}: a child JVM appending to three groups at different rates, one force
 * covering all of them, snapshots deleting segments under live groups, is killed with SIGKILL; the reopened log
 * holds, for every group, every entry, term, vote and snapshot the child reported durable, and whatever else it holds
 * is intact (right term and bytes).
 */
class SharedRaftLogCrashTest {
    private static final long FORCED_BEFORE_KILL = 6_000;

    @TempDir
    Path directory;

    @Test
    void shouldRecoverEveryGroupsDurableStateAfterKillDashNine() throws Exception {
        final Path output = directory.resolve("child.out");
        final Path storage = directory.resolve("executor");
        final List<String> lines = KilledChild.runAndKill(SharedCrashingWriter.class, storage, output,
            "FORCED " + SharedCrashingWriter.GROUPS[0] + " ", FORCED_BEFORE_KILL);
        final Map<Integer, long[]> reported = new HashMap<>();
        for (final int group : SharedCrashingWriter.GROUPS) {
            // forced, term, vote, snapshot
            reported.put(group, new long[] {0, 0, -1, 0});
        }
        for (final String line : lines) {
            final String[] words = line.split(" ");
            if (line.isBlank()) {
                continue;
            }
            final long[] state = reported.get(Integer.parseInt(words[1]));
            switch (words[0]) {
                case "FORCED" -> state[0] = Long.parseLong(words[2]);
                case "TERM" -> {
                    state[1] = Long.parseLong(words[2]);
                    state[2] = Long.parseLong(words[3]);
                }
                case "SNAPSHOT" -> state[3] = Long.parseLong(words[2]);
                default -> throw new AssertionError("unexpected child output: " + line);
            }
        }
        assertTrue(reported.get(0)[0] >= FORCED_BEFORE_KILL);
        try (SharedRaftLog shared = SharedRaftLog.open(storage, SharedCrashingWriter.GROUPS,
            new WalContext().segmentLength(CrashingWriter.SEGMENT_LENGTH), 64)) {
            assertTrue(shared.firstPosition() > 1, "snapshots deleted segments under live groups");
            for (final int group : SharedCrashingWriter.GROUPS) {
                final long[] state = reported.get(group);
                final RaftLog log = shared.group(group);
                final String name = "group " + group;
                assertTrue(log.lastIndex() >= state[0], name + ": lastIndex " + log.lastIndex() + " < " + state[0]);
                assertTrue(log.currentTerm() >= state[1], name);
                if (log.currentTerm() == state[1]) {
                    assertEquals(state[2], log.votedFor(), name);
                }
                assertTrue(log.snapshotIndex() >= state[3], name);
                assertEquals(CrashingWriter.termOf(log.snapshotIndex()), log.termAt(log.snapshotIndex()), name);
                for (long index = log.firstIndex(); index <= log.lastIndex(); index++) {
                    assertEntry(log, index, CrashingWriter.termOf(index));
                }
                assertEquals(log.lastIndex(), log.durableIndex(), name);
            }
        }
    }
}
