package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.Opcodes;
import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.testkit.Await;

class BackpressureTest {
    /**
     * Polls every 20 ms, not every millisecond: the probes open connections (the accept path, /metrics over HTTP),
     * and a millisecond's polling left thousands of sockets in TIME_WAIT per run.
     */
    private static final long POLL_MS = 20;

    private static final int STALLED_READERS = 16;
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldAnswerServerBusyWhileAClientStopsReadingThenRecoverWhenItIsDropped(final String transport)
        throws Exception {
        node = nodes.start(nodes.context(transport)
            // the 16 stalled readers hold what their connections' backlog limit lets them (about 0.7 MiB measured
            // under NIO on this machine): half a MiB of budget puts that well above the high watermark
            .outboundBudgetBytes(512 * 1024)
            .connectionSpillBytes(256L * 1024 * 1024)
            .writeTimeoutMs(10_000));
        final AtomicLong correlation = new AtomicLong();
        try (RawClient polite = new RawClient(node.port())) {
            polite.put(correlation.incrementAndGet(), "big", "x".repeat(30_000), 0);
            // One stalled reader after the other, each only once the last holds its answers: a reader whose flood
            // meets BUSY is answered small SERVER_BUSY frames that fit its socket buffers and holds no node memory, so
            // flooding all at once left BUSY resting on the few that stalled first, and it could end (as the load
            // dipped) before the test saw it (1 run in 3 failed locally, and CI)
            final StalledReaders flooders = new StalledReaders(node.port(), 0, "big");
            try {
                for (int c = 1; c <= STALLED_READERS && !busy(); c++) {
                    flooders.add();
                    final int stalled = c;
                    Await.until("stalled reader " + c + " to hold its answers, or BUSY", 20_000, POLL_MS,
                        () -> busy() || StalledReaders.stalled(node.connections()) >= stalled);
                }
                Await.until("a SERVER_BUSY answer", 20_000, POLL_MS,
                    () -> polite.get(correlation.incrementAndGet(), "big").opcode() == Opcodes.RESPONSE_SERVER_BUSY);
                final HttpResponse<String> health = Http.get(node.healthPort(), "/health");
                assertEquals(200, health.statusCode(), "health stays up under backpressure");
                assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
                Await.until("a new connection to be refused with SERVER_BUSY", 20_000, POLL_MS,
                    this::newConnectionRefusedAsBusy);

                // Clients whose pending answers all fit in their socket buffers (SERVER_BUSY answers are small)
                // hold no node memory and are left alone; the others are dropped at the write deadline. Dropping
                // them is what ends BUSY, so the deadline (10 s) leaves a loaded 2-core machine time to see BUSY
                // refuse a new connection first (at 3 s that window could close before the check ran).
                Await.until("clients that stopped reading to be dropped as slow consumers", 30_000, POLL_MS,
                    () -> !Http.get(node.metricsPort(), "/metrics").body()
                        .contains("loomcache_connections_slow_consumer_total 0.0"));
                flooders.close();
                Await.until("service to recover once the stalled clients are gone", 30_000, POLL_MS, () -> {
                    final RawClient.Response response = polite.get(correlation.incrementAndGet(), "big");
                    return response.opcode() == Opcodes.RESPONSE_VALUE && response.value().length == 30_000;
                });
            } finally {
                flooders.close();
            }
        }
    }

    private boolean busy() {
        return node.backpressure().level() == BackpressureController.BUSY;
    }

    private boolean newConnectionRefusedAsBusy() throws Exception {
        try (RawClient late = new RawClient(node.port())) {
            late.send(RawClient.header(0, 1, 0, Opcodes.PING, 99));
            final RawClient.Response first = late.read();
            if (first.opcode() != Opcodes.RESPONSE_SERVER_BUSY) {
                return false;
            }
            assertEquals(0, first.correlationId());
            assertTrue(late.awaitClosedByServer());
            return true;
        }
    }
}
