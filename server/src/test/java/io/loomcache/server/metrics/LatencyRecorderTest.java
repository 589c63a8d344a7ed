package io.loomcache.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.Allocations;

class LatencyRecorderTest {
    private static final Pattern BUCKET = Pattern.compile(
        "loomcache_requests_seconds_bucket\\{opcode=\"MAP_GET\",le=\"([^\"]+)\"} (\\d+)");

    @Test
    void shouldPutEachLatencyInTheFirstBucketWhoseInclusiveBoundHoldsIt() {
        assertEquals(0, LatencyRecorder.bucket(0));
        assertEquals(0, LatencyRecorder.bucket(1_024));
        assertEquals(1, LatencyRecorder.bucket(1_025));
        for (int bucket = 0; bucket < LatencyRecorder.BUCKETS - 1; bucket++) {
            final long bound = LatencyRecorder.upperBoundNs(bucket);
            assertEquals(bucket, LatencyRecorder.bucket(bound), "at the bound of " + bucket);
            assertEquals(bucket + 1, LatencyRecorder.bucket(bound + 1), "just past the bound of " + bucket);
            if (bucket > 0) {
                assertTrue(bound > LatencyRecorder.upperBoundNs(bucket - 1), "bounds grow");
            }
        }
        assertEquals(1L << 34, LatencyRecorder.upperBoundNs(LatencyRecorder.BUCKETS - 2));
        assertEquals(LatencyRecorder.BUCKETS - 1, LatencyRecorder.bucket(Long.MAX_VALUE));
    }

    @Test
    void shouldPrintCumulativeHistogramsSummedOverEveryRecorder() {
        final ServerMetrics metrics = new ServerMetrics();
        final LatencyRecorder executor0 = metrics.newLatencyRecorder();
        final LatencyRecorder executor1 = metrics.newLatencyRecorder();
        executor0.record(Opcodes.MAP_GET, 500);
        executor0.record(Opcodes.MAP_GET, 1_500);
        executor1.record(Opcodes.MAP_GET, 3_000_000_000L);
        metrics.sharedLatency().record(Opcodes.MAP_GET, -5);
        executor1.record(Opcodes.MAP_PUT, 2_000);
        executor1.record(0x7FFF, 2_000);

        final String scrape = metrics.scrape();
        assertEquals(4, metrics.requests(Opcodes.MAP_GET));
        assertTrue(scrape.contains("loomcache_requests_seconds_count{opcode=\"MAP_GET\"} 4\n"), scrape);
        assertTrue(scrape.contains("loomcache_requests_seconds_sum{opcode=\"MAP_GET\"} 3.000002\n"), scrape);
        assertTrue(scrape.contains("loomcache_requests_seconds_count{opcode=\"MAP_PUT\"} 1\n"), scrape);
        assertTrue(scrape.contains("loomcache_requests_seconds_count{opcode=\"MAP_REMOVE\"} 0\n"), scrape);
        final List<Double> bounds = new ArrayList<>();
        final List<Long> counts = new ArrayList<>();
        final Matcher matcher = BUCKET.matcher(scrape);
        while (matcher.find()) {
            final String le = matcher.group(1);
            bounds.add("+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le));
            counts.add(Long.parseLong(matcher.group(2)));
        }
        assertEquals(LatencyRecorder.BUCKETS, bounds.size());
        for (int i = 0; i < bounds.size(); i++) {
            final double le = bounds.get(i);
            // 0 (a negative latency) and 500 ns are under the first bound, 1,024 ns
            final long expected = 2 + (le >= 1_500e-9 ? 1 : 0) + (le >= 3.0 ? 1 : 0);
            assertEquals(expected, counts.get(i), "bucket le=" + le);
        }
    }

    @Test
    void shouldRecordWithoutAllocating() {
        final LatencyRecorder recorder = LatencyRecorder.singleWriter();
        final LatencyRecorder shared = LatencyRecorder.concurrent();
        Allocations.assertAllocationFree(() -> {
            for (int i = 0; i < 1_000; i++) {
                recorder.record(Opcodes.MAP_GET, i * 1_000L);
                shared.record(Opcodes.MAP_PUT, i * 1_000L);
            }
        }, 5, "recording latencies");
    }
}
