package io.loomcache.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.loomcache.testkit.Await;
import io.loomcache.testkit.Cleanup;
import io.loomcache.testkit.Prerequisites;

/**
 * A real {@code redis-server} for a test, on 127.0.0.1 and a free port, without persistence; killed by the test's
 * {@link Cleanup}. Skips the test when redis-server is missing (fails it under CI, which installs it).
 */
final class RedisServerProcess {
    private final int port;

    private RedisServerProcess(final int port) {
        this.port = port;
    }

    static RedisServerProcess start(final Cleanup cleanup) throws IOException {
        final Path binary = Prerequisites.requireTool("redis-server", "apt-get install redis-server");
        final Path dir = cleanup.tempDir();
        final int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        final Process redis = cleanup.add(new ProcessBuilder(binary.toString(), "--bind", "127.0.0.1", "--port",
            Integer.toString(port), "--save", "", "--appendonly", "no", "--dir", dir.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start());
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
        return new RedisServerProcess(port);
    }

    int port() {
        return port;
    }
}
