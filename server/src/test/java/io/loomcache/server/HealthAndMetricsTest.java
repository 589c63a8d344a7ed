package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.Await;

class HealthAndMetricsTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;

    @Test
    void shouldReportUpAndExportCacheRequestAndConnectionMeters() throws Exception {
        node = nodes.start(nodes.context("nio"));
        final HttpResponse<String> health = Http.get(node.healthPort(), "/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().startsWith("{\"status\":\"UP\""), health.body());
        try (RawClient client = new RawClient(node.port())) {
            client.put(1, "hit", "v", 0);
            client.get(2, "hit");
            client.get(3, "hit");
            client.get(4, "miss");
            final String metrics = Http.get(node.metricsPort(), "/metrics").body();
            assertTrue(metrics.contains("loomcache_cache_hits_total 2.0"), metrics);
            assertTrue(metrics.contains("loomcache_cache_misses_total 1.0"), metrics);
            assertTrue(metrics.contains("loomcache_evictions_total{policy=\"lru\"} 0.0"), metrics);
            assertTrue(metrics.contains("loomcache_requests_seconds_count{opcode=\"MAP_GET\"} 3"), metrics);
            assertTrue(metrics.contains("loomcache_requests_seconds_bucket{opcode=\"MAP_PUT\""), metrics);
            assertTrue(metrics.contains("loomcache_connections 1.0"), metrics);
            assertTrue(metrics.contains("loomcache_backpressure_level 0.0"), metrics);
            assertTrue(metrics.contains("loomcache_executor_queue_bytes{executor=\"1\"}"), metrics);
            assertTrue(metrics.contains("loomcache_errors_total{component=\"executor\"} 0.0"), metrics);
            assertEquals(Opcodes.RESPONSE_OK, client.call(RawClient.header(0, 1, 0, Opcodes.PING, 5)).opcode());
        }
    }

    @Test
    void shouldAnswer503WhileDrainingAndShuttingDownToNewRequests() throws Exception {
        node = nodes.start(nodes.context("nio").drainTimeoutMs(60_000)
            .connectionSpillBytes(64L * 1024 * 1024));
        try (RawClient active = new RawClient(node.port())) {
            active.put(1, "big", "x".repeat(30_000), 0);
            final StalledReaders stalled = new StalledReaders(node.port(), 1, "big");
            final Thread closer;
            try {
                StalledReaders.awaitStalled(node.connections(), 1);
                closer = Thread.ofPlatform().start(node::close);
                Await.until("health to turn 503", 10_000,
                    () -> Http.get(node.healthPort(), "/health").statusCode() == 503);
                assertTrue(Http.get(node.healthPort(), "/health").body().contains("DRAINING"));
                final RawClient.Response refused = active.get(2, "big");
                assertEquals(Opcodes.RESPONSE_ERROR, refused.opcode());
                assertEquals(ErrorCode.SHUTTING_DOWN, refused.errorCode());
            } finally {
                stalled.close();
            }
            closer.join(60_000);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"nio", "netty"})
    void shouldReportDownWithTheReasonWhileThePartialFrameBudgetIsSpentAndUpOnceItIsFree(final String transport)
        throws Exception {
        node = nodes.start(nodes.context(transport).partialFrameBudgetBytes(160 * 1024));
        final int frameLength = 64 * 1024;
        final java.util.List<RawClient> holders = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                final RawClient holder = new RawClient(node.port());
                holders.add(holder);
                holder.send(RawClient.header(frameLength - 16, 1, 0, Opcodes.MAP_PUT, 9));
                holder.send(new byte[60 * 1024]);
            }
            // Two 64 KiB assembly buffers (the second grown from 32 KiB, both held while it copies) fit in 160 KiB;
            // what is left is less than the largest frame, so the budget counts as spent.
            Await.until("health to report the spent budget", 10_000,
                () -> Http.get(node.healthPort(), "/health").statusCode() == 503);
            final HttpResponse<String> down = Http.get(node.healthPort(), "/health");
            assertTrue(down.body().startsWith("{\"status\":\"DOWN\""), down.body());
            assertTrue(down.body().contains("partial-frame budget spent"), down.body());
            assertEquals(503, Http.get(node.healthPort(), "/health/ready").statusCode());
            final HttpResponse<String> live = Http.get(node.healthPort(), "/health/live");
            assertEquals(200, live.statusCode(), "a node under attack must not be restarted: " + live.body());
            assertEquals("{\"status\":\"LIVE\",\"problems\":[]}\n", live.body());
            final String metrics = Http.get(node.metricsPort(), "/metrics").body();
            assertTrue(metrics.contains("loomcache_partial_frame_bytes 131072.0"), metrics);
        } finally {
            for (final RawClient holder : holders) {
                holder.close();
            }
        }
        Await.until("health to be UP once the holders left", 10_000,
            () -> Http.get(node.healthPort(), "/health").statusCode() == 200);
    }
}
