package io.loomcache.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.agrona.concurrent.CachedEpochClock;

import io.loomcache.server.config.ServerContext;
import io.loomcache.server.connection.Connection;
import io.loomcache.testkit.Cleanup;
import io.loomcache.wal.FsyncPolicy;

/**
 * Starts in-process nodes for a test and stops them when it ends, passed or failed, then deletes their data
 * directory: a JUnit 5 extension ({@code @RegisterExtension final TestNodes nodes = new TestNodes();}) that also
 * closes whatever else the test {@linkplain #add registers}.
 *
 * <p>{@link #context(String)} is the test configuration: loopback, ephemeral ports, small rings, small WAL segments,
 * and a queue-delay budget far above any scheduling stall. With the production budget (50 ms, BUSY from 40 ms), a
 * test machine whose cores are busy elsewhere can deschedule an executor long enough for a queued request to wait
 * past the mark, and the node then rightly sheds the next requests with RESPONSE_SERVER_BUSY, which tests of other
 * features do not expect. QueueDelayBackpressureTest sets its own budget.
 */
final class TestNodes extends Cleanup {
    private Path dataDir;

    /** @return this test's data directory, made on first use and deleted after the test. */
    Path dataDir() {
        if (dataDir == null) {
            try {
                dataDir = tempDir();
            } catch (final IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return dataDir;
    }

    /** @return the test configuration for {@code transport} ("nio" or "netty") on this test's data directory. */
    ServerContext context(final String transport) {
        return new ServerContext()
            .bindAddress("127.0.0.1")
            .serverPort(0)
            .respPort(ServerContext.RESP_OFF)
            .healthPort(0)
            .metricsPort(0)
            .transport(transport)
            .executors(2)
            .maxMemoryBytes(64L * 1024 * 1024)
            .maxFrameLength(64 * 1024)
            .connectionBufferLength(64 * 1024)
            .persistenceEnabled(false)
            .dataDir(dataDir())
            .walSegmentLength(1024 * 1024)
            .walFsync(FsyncPolicy.BATCH)
            .queueDelayBudgetMs(60_000)
            .drainTimeoutMs(2_000);
    }

    /** @return an epoch clock that reads {@code timeMs} until the test moves it (Agrona's, thread-safe). */
    static CachedEpochClock epochClockAt(final long timeMs) {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(timeMs);
        return clock;
    }

    /** @return the connection the node holds (the last by slot if several), or null if none. */
    static Connection onlyConnection(final LoomCacheNode node) {
        Connection found = null;
        for (int slot = 0, bound = node.connections().slotBound(); slot < bound; slot++) {
            final Connection connection = node.connections().at(slot);
            if (connection != null) {
                found = connection;
            }
        }
        return found;
    }

    /** @return a node started on {@code context}, stopped after the test unless the test stopped it. */
    LoomCacheNode start(final ServerContext context) throws IOException {
        return add(LoomCacheNode.start(context));
    }
}
