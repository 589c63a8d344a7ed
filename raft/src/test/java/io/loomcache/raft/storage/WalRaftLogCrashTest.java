package io.loomcache.raft.storage;

import static io.loomcache.raft.storage.RaftLogContractTest.assertEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.wal.WalContext;

/**
 * A real crash: a child JVM writing through {@link WalRaftLog} is killed with SIGKILL while it appends; the
 * reopened log holds every entry, term, vote and snapshot the child reported durable, and whatever else it holds is
 * intact (right term and bytes), never garbage.
 */
class WalRaftLogCrashTest {
    private static final long FORCED_BEFORE_KILL = 3_000;

    @TempDir
    Path directory;

    @Test
    void shouldRecoverEverythingReportedDurableAfterKillDashNine() throws Exception {
        final Path output = directory.resolve("child.out");
        final Path storage = directory.resolve("member");
        final List<String> lines = KilledChild.runAndKill(CrashingWriter.class, storage, output, "FORCED ",
            FORCED_BEFORE_KILL);
        long forced = 0;
        long term = 0;
        int vote = -1;
        long snapshotIndex = 0;
        for (final String line : lines) {
            final String[] words = line.split(" ");
            switch (words[0]) {
                case "FORCED" -> forced = Long.parseLong(words[1]);
                case "TERM" -> {
                    term = Long.parseLong(words[1]);
                    vote = Integer.parseInt(words[2]);
                }
                case "SNAPSHOT" -> snapshotIndex = Long.parseLong(words[1]);
                default -> {
                    if (!line.isBlank()) {
                        throw new AssertionError("unexpected child output: " + line);
                    }
                }
            }
        }
        assertTrue(forced >= FORCED_BEFORE_KILL);
        try (WalRaftLog log = WalRaftLog.open(storage, new WalContext().segmentLength(CrashingWriter.SEGMENT_LENGTH),
            64)) {
            assertTrue(log.lastIndex() >= forced, "lastIndex " + log.lastIndex() + " < forced " + forced);
            assertTrue(log.currentTerm() >= term);
            if (log.currentTerm() == term) {
                assertEquals(vote, log.votedFor());
            }
            assertTrue(log.snapshotIndex() >= snapshotIndex);
            assertEquals(CrashingWriter.termOf(log.snapshotIndex()), log.termAt(log.snapshotIndex()));
            for (long index = log.firstIndex(); index <= log.lastIndex(); index++) {
                assertEntry(log, index, CrashingWriter.termOf(index));
            }
            assertEquals(log.lastIndex(), log.durableIndex());
        }
    }
}
