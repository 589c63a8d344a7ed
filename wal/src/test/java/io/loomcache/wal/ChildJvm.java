package io.loomcache.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child JVM's command line (built with {@code io.loomcache.testkit.JavaCommand}, optionally behind a command
 * prefix such as strace), waits for it with a deadline and parses its {@code RESULT} line. Kills the process tree in
 * every case.
 */
final class ChildJvm {
    private static final long TIMEOUT_SECONDS = 180;

    private ChildJvm() {
    }

    /**
     * Runs the command, returns the key/value pairs of its RESULT line; fails when it exits non-zero or late.
     */
    static Map<String, String> runForResult(final List<String> command, final Path workDirectory)
        throws IOException, InterruptedException {
        final Path out = Files.createTempFile(workDirectory, "child", ".out");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
            .start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("child did not finish within " + TIMEOUT_SECONDS + " s: " + command);
            }
            final String output = Files.readString(out);
            if (process.exitValue() != 0) {
                throw new AssertionError("child exited with " + process.exitValue() + ": " + output);
            }
            for (final String line : output.split("\n")) {
                if (line.startsWith("RESULT ")) {
                    final Map<String, String> result = new HashMap<>();
                    for (final String pair : line.substring("RESULT ".length()).split(" ")) {
                        final int equals = pair.indexOf('=');
                        result.put(pair.substring(0, equals), pair.substring(equals + 1));
                    }
                    result.put("output", output);
                    return result;
                }
            }
            throw new AssertionError("child printed no RESULT line: " + output);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Files.deleteIfExists(out);
        }
    }
}
