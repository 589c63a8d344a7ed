package io.loomcache.store;

import java.lang.management.ManagementFactory;

import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.loomcache.store.StoreFixtures.START_MS;
import static io.loomcache.store.StoreFixtures.clockAt;
import static io.loomcache.store.StoreFixtures.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot-path operations allocate no Java heap in the steady state, measured with the JVM's exact per-thread
 * allocation counter (no timing involved). Runs under every policy, with evictions and expiries happening.
 */
class AllocationFreeTest {
    private static final int KEYS = 4096;
    private static final int KEY_LENGTH = 16;
    private static final int ROUNDS = 20_000;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldAllocateNothingOnHotPathUnderLru() {
        assertNoAllocation(EvictionPolicy.LRU);
    }

    @Test
    void shouldAllocateNothingOnHotPathUnderLfu() {
        assertNoAllocation(EvictionPolicy.LFU);
    }

    @Test
    void shouldAllocateNothingOnHotPathUnderNone() {
        assertNoAllocation(EvictionPolicy.NONE);
    }

    private void assertNoAllocation(final EvictionPolicy policy) {
        final ManualClock clock = clockAt(START_MS);
        final long cap = 8192 * 8L + (KEYS / 2) * 256L;
        try (OffHeapStore store = new OffHeapStore(context(clock, cap)
            .evictionPolicy(policy).initialCapacity(8192).maxCapacity(8192))) {
            final UnsafeBuffer keys = new UnsafeBuffer(new byte[KEYS * KEY_LENGTH]);
            for (int i = 0; i < KEYS; i++) {
                keys.putLong(i * KEY_LENGTH, i);
                keys.putLong(i * KEY_LENGTH + 8, ~i);
            }
            final UnsafeBuffer values = new UnsafeBuffer(new byte[600]);
            final ExpandableDirectByteBuffer out = new ExpandableDirectByteBuffer(1024);
            final UnsafeBuffer view = new UnsafeBuffer(0L, 0);

            final long[] sink = new long[1];
            for (int warmUp = 0; warmUp < 5; warmUp++) {
                workload(store, clock, keys, values, out, view, sink);
            }

            final long calibrationStart = threads.getCurrentThreadAllocatedBytes();
            final long start = threads.getCurrentThreadAllocatedBytes();
            workload(store, clock, keys, values, out, view, sink);
            final long end = threads.getCurrentThreadAllocatedBytes();

            assertEquals(0, (end - start) - (start - calibrationStart), "bytes allocated by " + ROUNDS + " rounds");
            assertTrue(sink[0] != 0);
            assertTrue(store.counters().hits() > 0 && store.counters().misses() > 0);
        }
    }

    private static void workload(
        final OffHeapStore store,
        final ManualClock clock,
        final UnsafeBuffer keys,
        final UnsafeBuffer values,
        final ExpandableDirectByteBuffer out,
        final UnsafeBuffer view,
        final long[] sink) {
        long checksum = 0;
        for (int round = 0; round < ROUNDS; round++) {
            final int keyOffset = (round * 7919 % KEYS) * KEY_LENGTH;
            final int valueLength = 40 + round % 200;
            clock.advance(1);
            store.prefetch(keys, keyOffset, KEY_LENGTH);
            checksum += store.put(keys, keyOffset, KEY_LENGTH, values, 0, valueLength, round % 3 == 0 ? 50 : 0);
            checksum += store.get(keys, keyOffset, KEY_LENGTH, out, 0);
            checksum += store.getView(keys, (round * 31 % KEYS) * KEY_LENGTH, KEY_LENGTH, view);
            checksum += store.putIfAbsent(keys, (round * 13 % KEYS) * KEY_LENGTH, KEY_LENGTH, values, 0, 60, 0);
            checksum += store.replace(keys, keyOffset, KEY_LENGTH, values, 0, valueLength, 0, valueLength + 100, 0);
            checksum += store.containsKey(keys, (round * 17 % KEYS) * KEY_LENGTH, KEY_LENGTH) ? 1 : 0;
            checksum += store.remove(keys, (round * 101 % KEYS) * KEY_LENGTH, KEY_LENGTH) ? 1 : 0;
            checksum += store.expireSweep(clock.time(), 16);
        }
        sink[0] += checksum;
    }
}
