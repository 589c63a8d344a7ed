package io.loomcache.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a test main class in a child JVM with the project's jvm.args, optionally behind a command prefix such as
 * strace, waits for it with a deadline and parses its {@code RESULT} line. Kills the process tree in every case.
 */
final class ChildJvm {
    private static final long TIMEOUT_SECONDS = 180;

    private ChildJvm() {
    }

    static Path jvmArgsFile() {
        final String configured = System.getProperty("loomcache.jvm.args.file");
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("jvm.args"))) {
                return dir.resolve("jvm.args");
            }
        }
        throw new IllegalStateException("jvm.args not found from " + System.getProperty("user.dir"));
    }

    static List<String> javaCommand(final Class<?> mainClass, final String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String line : Files.readAllLines(jvmArgsFile())) {
            final String flag = line.strip();
            if (!flag.isEmpty() && !flag.startsWith("#")) {
                command.add(flag);
            }
        }
        command.add("-XX:-UsePerfData");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
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
