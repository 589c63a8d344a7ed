package io.loomcache.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.loomcache.testkit.Await;
import io.loomcache.testkit.JavaCommand;

/**
 * A real node JVM started by a test ({@code java <jvm.args> -cp <test classpath> Main ...}); killed in close. Like
 * {@link TestNodes}, a queue-delay budget far above any scheduling stall, so that a busy test machine does not make
 * the node shed requests with SERVER_BUSY in tests of other features.
 */
final class NodeProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile(
        "serving on [^ ]+:(\\d+) .*health=:(\\d+)/health metrics=:(\\d+)/metrics redis=(?::(\\d+)|off)");

    private final Process process;
    private final Path log;
    private int port;
    private int healthPort;
    private int metricsPort;
    private int respPort = -1;

    private NodeProcess(final Process process, final Path log) {
        this.process = process;
        this.log = log;
    }

    static NodeProcess start(final Path workDir, final String... flags) throws Exception {
        return start(workDir, List.of("-Xmx256m"), flags);
    }

    static NodeProcess start(final Path workDir, final List<String> jvmFlags, final String... flags)
        throws Exception {
        final List<String> command = JavaCommand.forMainClass(Main.class, jvmFlags, List.of(
            "--bind-address", "127.0.0.1", "--port", "0", "--health-port", "0", "--resp-port", "0",
            "--metrics-port", "0", "--executors", "2", "--max-memory", "64m", "--wal-segment-size", "1m",
            "--max-frame-length", "64k", "--connection-memory", "64m", "--queue-delay-budget", "60s",
            "--data-dir", workDir.resolve("data").toString()));
        command.addAll(List.of(flags));
        final Path log = Files.createTempFile(workDir, "node", ".log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        final NodeProcess node = new NodeProcess(process, log);
        try {
            node.awaitServing();
        } catch (final Exception | AssertionError ex) {
            node.close();
            throw ex;
        }
        return node;
    }

    private void awaitServing() throws Exception {
        Await.until("the node to log that it serves", 60_000, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("node exited with " + process.exitValue() + ": " + output());
            }
            final Matcher matcher = SERVING.matcher(output());
            if (matcher.find()) {
                port = Integer.parseInt(matcher.group(1));
                healthPort = Integer.parseInt(matcher.group(2));
                metricsPort = Integer.parseInt(matcher.group(3));
                respPort = matcher.group(4) == null ? -1 : Integer.parseInt(matcher.group(4));
                return true;
            }
            return false;
        });
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** @return the Redis port, -1 when the node serves none. */
    int respPort() {
        return respPort;
    }

    int port() {
        return port;
    }

    int healthPort() {
        return healthPort;
    }

    int metricsPort() {
        return metricsPort;
    }

    long pid() {
        return process.pid();
    }

    void signal(final String signal) throws Exception {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " failed");
        }
    }

    int awaitExit(final long timeoutMs) throws Exception {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node did not exit within " + timeoutMs + " ms: " + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
