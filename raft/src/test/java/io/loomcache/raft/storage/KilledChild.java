package io.loomcache.raft.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.loomcache.testkit.JavaCommand;

/**
 * Runs a crash test's writer in a child JVM and kills it with SIGKILL once it has reported enough forced entries
 * (a line {@code <prefix><index>} with the index at least the minimum); the caller then reads what it reported.
 */
final class KilledChild {
    private static final long AWAIT_MS = 120_000;

    private KilledChild() {
    }

    /**
     * @param main the writer's main class.
     * @param storage the directory it writes to (its only argument).
     * @param output where its output goes.
     * @param prefix the start of a line reporting a forced index, e.g. {@code "FORCED "}.
     * @param minimum the forced index after which it is killed.
     * @return the lines it printed.
     * @throws Exception when it cannot be started, exits by itself, is too slow, or does not die.
     */
    static List<String> runAndKill(final Class<?> main, final Path storage, final Path output, final String prefix,
        final long minimum) throws Exception {
        final List<String> command = JavaCommand.forMainClass(main, List.of("-XX:-UsePerfData"),
            List.of(storage.toString()));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile()).start();
        try {
            awaitForced(child, output, prefix, minimum);
        } finally {
            child.destroyForcibly();
            if (!child.waitFor(AWAIT_MS, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("child did not die");
            }
        }
        return Files.readAllLines(output);
    }

    private static void awaitForced(final Process child, final Path output, final String prefix,
        final long minimum) throws Exception {
        final long deadlineMs = System.currentTimeMillis() + AWAIT_MS;
        while (true) {
            final List<String> lines = Files.exists(output) ? Files.readAllLines(output) : List.of();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith(prefix) && Long.parseLong(lines.get(i).substring(prefix.length())) >=
                    minimum) {
                    return;
                }
            }
            if (!child.isAlive()) {
                throw new AssertionError("child exited with " + child.exitValue() + ": " + lines);
            }
            if (System.currentTimeMillis() > deadlineMs) {
                throw new AssertionError("child did not force " + minimum + " entries in time");
            }
            Thread.sleep(5);
        }
    }
}
