package io.loomcache.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real {@code redis-server} for a test, on 127.0.0.1 and a free port, without persistence; killed by the test's
 * {@link Cleanup}. Skips the test when redis-server is missing (fails it under CI, which installs it).
 */
public final class RedisServer {
    private final int port;

    private RedisServer(final int port) {
        this.port = port;
    }

    /**
     * Starts a redis-server and waits until it listens.
     *
     * @param cleanup what kills it when the test ends.
     * @param extraArgs more redis-server arguments (e.g. {@code "--maxmemory", "1mb"}).
     * @return the running server.
     * @throws IOException when it cannot start or exits.
     */
    public static RedisServer start(final Cleanup cleanup, final String... extraArgs) throws IOException {
        final Path binary = Prerequisites.requireTool("redis-server", "apt-get install redis-server");
        final Path dir = cleanup.tempDir();
        final int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        final java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(binary.toString(), "--bind",
            "127.0.0.1", "--port", Integer.toString(port), "--save", "", "--appendonly", "no", "--dir",
            dir.toString()));
        command.addAll(java.util.List.of(extraArgs));
        final Process redis = cleanup.add(new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile()).start());
        Await.until("redis-server to listen on port " + port, 30_000, () -> {
            if (!redis.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (final IOException notYet) {
                return false;
            }
        });
        return new RedisServer(port);
    }

    /**
     * The port it listens on, on 127.0.0.1.
     *
     * @return the port.
     */
    public int port() {
        return port;
    }
}
