package io.loomcache.server;

import java.nio.file.Path;

import io.loomcache.server.config.ServerContext;
import io.loomcache.wal.FsyncPolicy;

/** Test configurations: loopback, ephemeral ports, small rings, small WAL segments. */
final class TestNodes {
    static final String[] TRANSPORTS = {"nio", "netty"};

    private TestNodes() {
    }

    static ServerContext context(final String transport, final Path dataDir) {
        return new ServerContext()
            .bindAddress("127.0.0.1")
            .serverPort(0)
            .healthPort(0)
            .metricsPort(0)
            .transport(transport)
            .executors(2)
            .ioThreads(1)
            .maxMemoryBytes(64L * 1024 * 1024)
            .maxFrameLength(64 * 1024)
            .connectionBufferLength(64 * 1024)
            .persistenceEnabled(false)
            .dataDir(dataDir)
            .walSegmentLength(1024 * 1024)
            .walFsync(FsyncPolicy.BATCH)
            .drainTimeoutMs(2_000);
    }
}
