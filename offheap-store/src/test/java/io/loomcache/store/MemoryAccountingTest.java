package io.loomcache.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.loomcache.store.OffHeapStore.INSERTED;
import static io.loomcache.store.StoreFixtures.START_MS;
import static io.loomcache.store.StoreFixtures.bytes;
import static io.loomcache.store.StoreFixtures.clockAt;
import static io.loomcache.store.StoreFixtures.context;
import static io.loomcache.store.StoreFixtures.filled;
import static io.loomcache.store.StoreFixtures.getBytes;
import static io.loomcache.store.StoreFixtures.numberedKey;
import static io.loomcache.store.StoreFixtures.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryAccountingTest {
    private static final int CAPACITY = 4096;
    private static final int COUNT = 2000;

    private final ManualClock clock = clockAt(START_MS);
    private OffHeapStore store;
    private long baselineUsedBytes;

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void shouldReturnToBaselineAfterRemovingEveryEntry() {
        open(EvictionPolicy.NONE, 16L << 20);
        insertVariedEntries(0);
        assertAccountedFor(COUNT);

        for (int i = 0; i < COUNT; i++) {
            assertTrue(StoreFixtures.remove(store, numberedKey(i, 8 + i % 50)));
        }

        assertAtBaseline();
    }

    @Test
    void shouldReturnToBaselineAfterExpiryBySweepAndOnAccess() {
        open(EvictionPolicy.NONE, 16L << 20);
        insertVariedEntries(50);
        clock.advance(50);

        for (int i = 0; i < COUNT / 2; i++) {
            assertNull(getBytes(store, numberedKey(i, 8 + i % 50)));
        }
        assertEquals(COUNT / 2, store.counters().expirations());
        assertEquals(COUNT / 2, store.size());
        clock.advance(49);
        assertEquals(COUNT / 2, store.expireSweep(clock.time(), CAPACITY * 2));

        assertEquals(COUNT, store.counters().expirations());
        assertAtBaseline();
    }

    @Test
    void shouldReturnToBaselineAfterEvictionThenRemoval() {
        open(EvictionPolicy.LRU, CAPACITY * 8L + 64 * 1024);
        insertVariedEntries(0);
        final long evictions = store.counters().lruEvictions();
        assertTrue(evictions > 0, "the cap forced evictions");
        assertTrue(store.usedBytes() <= CAPACITY * 8L + 64 * 1024);

        int live = 0;
        for (int i = 0; i < COUNT; i++) {
            if (StoreFixtures.remove(store, numberedKey(i, 8 + i % 50))) {
                live++;
            }
        }

        assertEquals(COUNT, live + evictions);
        assertAtBaseline();
    }

    @Test
    void shouldReturnToBaselineAndReleaseChunksOnClear() {
        open(EvictionPolicy.NONE, 16L << 20);
        final long reservedBefore = store.nativeBytesReserved();
        insertVariedEntries(0);
        assertTrue(store.nativeBytesReserved() > reservedBefore);

        store.clear();

        assertAtBaseline();
        assertEquals(reservedBefore, store.nativeBytesReserved());
    }

    @Test
    void shouldReuseFreedBlocksInsteadOfReservingMore() {
        open(EvictionPolicy.NONE, 16L << 20);
        insertVariedEntries(0);
        final long reserved = store.nativeBytesReserved();

        for (int round = 0; round < 5; round++) {
            for (int i = round % 2; i < COUNT; i += 2) {
                assertTrue(StoreFixtures.remove(store, numberedKey(i, 8 + i % 50)));
            }
            for (int i = round % 2; i < COUNT; i += 2) {
                assertEquals(INSERTED, put(store, numberedKey(i, 8 + i % 50), bytes(filled(i % 700, i)), 0));
            }
            assertEquals(reserved, store.nativeBytesReserved(), "round " + round);
        }
        assertAccountedFor(COUNT);
    }

    @Test
    void shouldGiveEmptyChunksBackWhenValuesMoveToAnotherSizeClass() {
        open(EvictionPolicy.NONE, 64L << 20);
        final List<UnsafeBuffer> keys = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            keys.add(numberedKey(i, 8 + i % 50));
            assertEquals(INSERTED, put(store, keys.get(i), bytes(filled(100, i)), 0));
        }
        final long smallValuesReserved = store.nativeBytesReserved();

        for (final UnsafeBuffer key : keys) {
            put(store, key, bytes(filled(3000, 1)), 0);
        }
        for (final UnsafeBuffer key : keys) {
            put(store, key, bytes(filled(100, 2)), 0);
        }

        final long largeClasses = keys.stream()
            .mapToInt(key -> SizeClasses.classIndex(EntryDescriptor.entryLength(key.capacity(), 3000)))
            .distinct()
            .count();
        final long oneSpareChunkPerLargeClass = largeClasses * 64 * 1024;
        assertTrue(store.nativeBytesReserved() <= smallValuesReserved + oneSpareChunkPerLargeClass,
            "reserved " + store.nativeBytesReserved() + " vs " + smallValuesReserved);
        assertAccountedFor(COUNT);
    }

    @Test
    void shouldNeverReserveMoreThanTheCapWithVariedValueSizesUnderLru() {
        assertReservationBoundedUnderChurn(EvictionPolicy.LRU);
    }

    @Test
    void shouldNeverReserveMoreThanTheCapWithVariedValueSizesUnderLfu() {
        assertReservationBoundedUnderChurn(EvictionPolicy.LFU);
    }

    @Test
    void shouldNeverReserveMoreThanTheCapWithVariedValueSizesUnderNone() {
        assertReservationBoundedUnderChurn(EvictionPolicy.NONE);
    }

    private void assertReservationBoundedUnderChurn(final EvictionPolicy policy) {
        final long cap = CAPACITY * 8L + 96 * 1024;
        open(policy, cap);
        final Random random = new Random(11);
        int storeFull = 0;
        for (int step = 0; step < 20_000; step++) {
            final int i = random.nextInt(COUNT);
            final UnsafeBuffer key = numberedKey(i, 8 + i % 50);
            if (random.nextInt(10) == 0) {
                StoreFixtures.remove(store, key);
            } else {
                final int valueLength = random.nextBoolean() ? random.nextInt(200) : random.nextInt(6000);
                final long ttlMs = random.nextInt(4) == 0 ? 1 + random.nextInt(50) : 0;
                final int result = put(store, key, bytes(filled(valueLength, step)), ttlMs);
                storeFull += OffHeapStore.STORE_FULL == result ? 1 : 0;
                assertTrue(result > 0 || EvictionPolicy.NONE == policy && OffHeapStore.STORE_FULL == result,
                    "step " + step + ": " + result);
            }
            clock.advance(random.nextInt(3));
            assertTrue(store.nativeBytesReserved() <= cap, "step " + step + ": " + store.nativeBytesReserved());
            assertTrue(store.usedBytes() <= store.nativeBytesReserved());
        }

        assertTrue(EvictionPolicy.NONE == policy ? storeFull > 0 : store.counters().evictions() > 0);
        clock.advance(1_000);
        store.expireSweep(clock.time(), CAPACITY * 2);
        assertAccountedFor(store.size());
    }

    private void open(final EvictionPolicy policy, final long maxMemoryBytes) {
        store = new OffHeapStore(context(clock, maxMemoryBytes)
            .evictionPolicy(policy)
            .initialCapacity(CAPACITY)
            .maxCapacity(CAPACITY)
            .chunkLength(64 * 1024));
        baselineUsedBytes = store.usedBytes();
        assertEquals(CAPACITY * 8L, baselineUsedBytes);
        assertEquals(0, store.allocatorBytesInUse());
    }

    private void insertVariedEntries(final long ttlMs) {
        for (int i = 0; i < COUNT; i++) {
            final long ttl = ttlMs > 0 && i >= COUNT / 2 ? ttlMs * 2 - 1 : ttlMs;
            final int result = put(store, numberedKey(i, 8 + i % 50), bytes(filled(i % 700, i)), ttl);
            assertEquals(INSERTED, result);
        }
        if (ttlMs > 0) {
            clock.advance(ttlMs);
        }
    }

    private void assertAccountedFor(final int expectedSize) {
        long blocks = 0;
        int size = 0;
        for (int i = 0; i < COUNT; i++) {
            final UnsafeBuffer key = numberedKey(i, 8 + i % 50);
            final byte[] value = getBytes(store, key);
            if (null != value) {
                blocks += SizeClasses.blockLength(EntryDescriptor.entryLength(key.capacity(), value.length));
                size++;
            }
        }
        assertEquals(expectedSize, size);
        assertEquals(expectedSize, store.size());
        assertEquals(baselineUsedBytes + blocks, store.usedBytes());
        assertEquals(blocks, store.allocatorBytesInUse());
        assertEquals(expectedSize, store.allocatorBlocksInUse());
    }

    private void assertAtBaseline() {
        assertEquals(0, store.size());
        assertEquals(baselineUsedBytes, store.usedBytes());
        assertEquals(0, store.allocatorBytesInUse());
        assertEquals(0, store.allocatorBlocksInUse());
        assertEquals(store.usedBytes(), store.counters().usedBytes());
    }
}
