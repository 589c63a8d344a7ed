package io.loomcache.server;

import java.nio.file.Path;

import io.loomcache.server.config.ServerContext;
import io.loomcache.wal.FsyncPolicy;

/**
 * Test configurations: loopback, ephemeral ports, small rings, small WAL segments, and a queue-delay budget far
 * above any scheduling stall. With the production budget (50 ms, BUSY from 40 ms), a test machine whose cores are
 * busy elsewhere can deschedule an executor long enough for a queued request to wait past the mark, and the node then
 * rightly sheds the next requests with RESPONSE_SERVER_BUSY, which tests of other features do not expect.
 * QueueDelayBackpressureTest sets its own budget.
 */
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
            .queueDelayBudgetMs(60_000)
            .drainTimeoutMs(2_000);
    }
}
