package io.loomcache.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.loomcache.loadgen.config.CommandLine;
import io.loomcache.loadgen.driver.PhaseResult;
import io.loomcache.protocol.options.UsageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded RESP workload against a real redis-server started by the test on 127.0.0.1 and a free port (skipped
 * when redis-server is not on the PATH; CI installs it).
 */
class RedisIntegrationTest {
    private static final long START_DEADLINE_NS = TimeUnit.SECONDS.toNanos(20);

    @TempDir
    Path dir;

    private Process redis;
    private int port;

    @BeforeEach
    void startRedis() throws IOException, InterruptedException {
        final Path binary = onPath("redis-server");
        assumeTrue(binary != null, "redis-server is not on the PATH");
        port = freePort();
        redis = new ProcessBuilder(binary.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
            "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "yes")
            .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        awaitListening();
    }

    @AfterEach
    void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroyForcibly();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldCountEveryRespRequestWithoutErrors() throws IOException, UsageException {
        final PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        final LoadGenerator.Report report = LoadGenerator.execute(CommandLine.parse("--protocol", "resp", "--port",
            Integer.toString(port), "--requests", "20000", "--connections", "8", "--pipeline", "16", "--keys",
            "5000", "--preload", "--quiet"), sink, sink);

        assertEquals(5000, report.preload().okOps());
        final PhaseResult result = report.measured();
        assertEquals(20_000, result.sent());
        assertEquals(20_000, result.completed());
        assertEquals(20_000, result.okOps());
        assertEquals(0, result.errors());
        assertEquals(0, result.serverBusy());
        assertEquals(0, result.misses());
        assertEquals(20_000, result.histogram().getTotalCount());
        assertTrue(result.gets() > 0 && result.sets() > 0);
    }

    @Test
    void shouldCountRedisErrorReplies() throws IOException, UsageException {
        final PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("CONFIG SET maxmemory 1\r\nCONFIG SET maxmemory-policy noeviction\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            final byte[] replies = socket.getInputStream().readNBytes(10);
            assertEquals("+OK\r\n+OK\r\n", new String(replies, StandardCharsets.US_ASCII));
        }
        final PhaseResult result = LoadGenerator.execute(CommandLine.parse("--protocol", "resp", "--port",
            Integer.toString(port), "--requests", "500", "--connections", "2", "--read-ratio", "0", "--quiet"),
            sink, sink).measured();
        assertEquals(500, result.completed());
        assertEquals(500, result.errors());
        assertTrue(result.errorMessages().get(0).startsWith("OOM"), result.errorMessages().toString());
    }

    private void awaitListening() throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + START_DEADLINE_NS;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (final IOException ex) {
                if (!redis.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")),
                        ex);
                }
                redis.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static Path onPath(final String name) {
        for (final String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            final Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
