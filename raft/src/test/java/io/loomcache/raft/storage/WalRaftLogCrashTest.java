package io.loomcache.raft.storage;

import static io.loomcache.raft.storage.RaftLogContractTest.assertEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.testkit.JavaCommand;
import io.loomcache.wal.WalContext;

/**
 * A real crash: a child JVM writing through {@link WalRaftLog} is killed with SIGKILL while it appends; the
 * reopened log holds every entry, term, vote and snapshot the child reported durable, and whatever else it holds is
 * intact (right term and bytes), never garbage.
 */
class WalRaftLogCrashTest {
    private static final long AWAIT_MS = 120_000;
    private static final long FORCED_BEFORE_KILL = 3_000;

    @TempDir
    Path directory;

    @Test
    void shouldRecoverEverythingReportedDurableAfterKillDashNine() throws Exception {
        final Path output = directory.resolve("child.out");
        final Path storage = directory.resolve("member");
        final List<String> command = JavaCommand.forMainClass(CrashingWriter.class, List.of("-XX:-UsePerfData"),
            List.of(storage.toString()));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile()).start();
        try {
            awaitForced(child, output);
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(AWAIT_MS, TimeUnit.MILLISECONDS), "child did not die");
        }
        long forced = 0;
        long term = 0;
        int vote = -1;
        long snapshotIndex = 0;
        for (final String line : Files.readAllLines(output)) {
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

    private static void awaitForced(final Process child, final Path output) throws Exception {
        final long deadlineMs = System.currentTimeMillis() + AWAIT_MS;
        while (true) {
            final List<String> lines = Files.exists(output) ? Files.readAllLines(output) : List.of();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("FORCED ")
                    && Long.parseLong(lines.get(i).substring("FORCED ".length())) >= FORCED_BEFORE_KILL) {
                    return;
                }
            }
            if (!child.isAlive()) {
                throw new AssertionError("child exited with " + child.exitValue() + ": " + lines);
            }
            if (System.currentTimeMillis() > deadlineMs) {
                throw new AssertionError("child did not force " + FORCED_BEFORE_KILL + " entries in time");
            }
            Thread.sleep(5);
        }
    }
}
