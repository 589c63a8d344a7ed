package io.loomcache.store;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.loomcache.store.OffHeapStore.INSERTED;
import static io.loomcache.store.OffHeapStore.REPLACED;
import static io.loomcache.store.OffHeapStore.STORE_FULL;
import static io.loomcache.store.StoreFixtures.START_MS;
import static io.loomcache.store.StoreFixtures.bytes;
import static io.loomcache.store.StoreFixtures.clockAt;
import static io.loomcache.store.StoreFixtures.contains;
import static io.loomcache.store.StoreFixtures.context;
import static io.loomcache.store.StoreFixtures.filled;
import static io.loomcache.store.StoreFixtures.getBytes;
import static io.loomcache.store.StoreFixtures.numberedKey;
import static io.loomcache.store.StoreFixtures.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvictionPolicyTest {
    private static final int CAPACITY = 1024;
    private static final int KEY_LENGTH = 8;
    private static final int VALUE_LENGTH = 100;
    private static final int FIT = 200;
    private static final int BLOCK_LENGTH =
        SizeClasses.blockLength(EntryDescriptor.entryLength(KEY_LENGTH, VALUE_LENGTH));

    private final ManualClock clock = clockAt(START_MS);
    private final List<UnsafeBuffer> evicted = new ArrayList<>();
    private OffHeapStore store;

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void shouldKeepRecentlyReadKeysOverUntouchedOnesUnderLru() {
        open(EvictionPolicy.LRU, 0);
        fill(0, FIT);
        clock.advance(10);
        readEach(0, FIT / 2, 1);
        clock.advance(10);

        fill(FIT, FIT + 50);

        assertEquals(50, store.counters().lruEvictions());
        assertEquals(50, evicted.size());
        final int hotSurvivors = survivors(0, FIT / 2);
        final int coldSurvivors = survivors(FIT / 2, FIT);
        assertTrue(hotSurvivors >= 97, "hot survivors " + hotSurvivors);
        assertTrue(coldSurvivors <= 55, "cold survivors " + coldSurvivors);
        assertEquals(FIT, store.size());
    }

    @Test
    void shouldKeepFrequentlyReadKeysOverRarelyReadOnesUnderLfu() {
        open(EvictionPolicy.LFU, 60_000);
        fill(0, FIT);
        readEach(0, FIT / 2, 20);

        fill(FIT, FIT + 50);

        assertEquals(50, store.counters().lfuEvictions());
        assertEquals(0, store.counters().lruEvictions());
        final int frequentSurvivors = survivors(0, FIT / 2);
        final int rareSurvivors = survivors(FIT / 2, FIT) + survivors(FIT, FIT + 50);
        assertTrue(frequentSurvivors >= 97, "frequent survivors " + frequentSurvivors);
        assertTrue(rareSurvivors <= 103, "rare survivors " + rareSurvivors);
    }

    @Test
    void shouldForgetOldFrequencyAfterDecayPeriodsUnderLfu() {
        open(EvictionPolicy.LFU, 1_000);
        fill(0, FIT / 2);
        readEach(0, FIT / 2, 20);
        clock.advance(20 * 1_000);
        fill(FIT / 2, FIT);

        fill(FIT, FIT + 50);

        final int decayedSurvivors = survivors(0, FIT / 2);
        final int recentSurvivors = survivors(FIT / 2, FIT);
        assertTrue(decayedSurvivors <= 55, "decayed survivors " + decayedSurvivors);
        assertTrue(recentSurvivors >= 97, "recent survivors " + recentSurvivors);
    }

    @Test
    void shouldKeepRecentlyReadKeysWhenWallClockStepsBackUnderLru() {
        open(EvictionPolicy.LRU, 0);
        fill(0, FIT);
        clock.advance(10_000);
        readEach(0, FIT / 2, 1);
        clock.stepWallClock(-5_000);
        clock.advance(10);

        fill(FIT, FIT + 50);

        final int hotSurvivors = survivors(0, FIT / 2);
        final int coldSurvivors = survivors(FIT / 2, FIT);
        assertTrue(hotSurvivors >= 97, "hot survivors " + hotSurvivors);
        assertTrue(coldSurvivors <= 55, "cold survivors " + coldSurvivors);
    }

    @Test
    void shouldKeepFrequentlyReadKeysWhenWallClockStepsBackUnderLfu() {
        open(EvictionPolicy.LFU, 1_000);
        fill(0, FIT);
        readEach(0, FIT / 2, 20);
        clock.stepWallClock(-3_600_000);

        fill(FIT, FIT + 50);

        final int frequentSurvivors = survivors(0, FIT / 2);
        assertTrue(frequentSurvivors >= 97, "frequent survivors " + frequentSurvivors);
    }

    @Test
    void shouldStillExpireByTheWallClockAfterItStepsForward() {
        open(EvictionPolicy.LRU, 0);
        assertEquals(INSERTED, put(store, numberedKey(1, KEY_LENGTH), bytes(filled(VALUE_LENGTH, 1)), 1_000));

        clock.stepWallClock(1_000);

        assertNull(getBytes(store, numberedKey(1, KEY_LENGTH)));
        assertEquals(1, store.counters().expirations());
    }

    @Test
    void shouldRefuseInsertWithStoreFullAndChangeNothingUnderNone() {
        open(EvictionPolicy.NONE, 0);
        fill(0, FIT);
        final long used = store.usedBytes();
        final long inUse = store.allocatorBytesInUse();

        assertEquals(STORE_FULL, put(store, numberedKey(FIT, KEY_LENGTH), bytes(filled(VALUE_LENGTH, FIT)), 0));
        assertEquals(STORE_FULL,
            store.putIfAbsent(numberedKey(FIT, KEY_LENGTH), 0, KEY_LENGTH, bytes(new byte[1]), 0, 1, 0));

        assertNull(getBytes(store, numberedKey(FIT, KEY_LENGTH)));
        assertUnchanged(used, inUse);
    }

    @Test
    void shouldRefuseGrowingValueWithStoreFullAndKeepOldValueUnderNone() {
        open(EvictionPolicy.NONE, 0);
        fill(0, FIT);
        final long used = store.usedBytes();
        final long inUse = store.allocatorBytesInUse();

        assertEquals(STORE_FULL, put(store, numberedKey(7, KEY_LENGTH), bytes(filled(VALUE_LENGTH * 2, 1)), 0));
        final UnsafeBuffer values = bytes(filled(VALUE_LENGTH * 3, 7));
        values.putBytes(0, filled(VALUE_LENGTH, 7));
        assertEquals(STORE_FULL,
            store.replace(numberedKey(7, KEY_LENGTH), 0, KEY_LENGTH, values, 0, VALUE_LENGTH, 0, VALUE_LENGTH * 3, 0));

        assertUnchanged(used, inUse);
        assertEquals(REPLACED, put(store, numberedKey(7, KEY_LENGTH), bytes(filled(VALUE_LENGTH - 1, 9)), 0));
        assertArrayEquals(filled(VALUE_LENGTH - 1, 9), getBytes(store, numberedKey(7, KEY_LENGTH)));
    }

    @Test
    void shouldReclaimExpiredEntriesInsteadOfRefusingUnderNone() {
        open(EvictionPolicy.NONE, 0);
        for (int i = 0; i < FIT; i++) {
            assertEquals(INSERTED, put(store, numberedKey(i, KEY_LENGTH), bytes(filled(VALUE_LENGTH, i)), 5));
        }
        clock.advance(5);

        for (int i = FIT; i < FIT + 50; i++) {
            assertEquals(INSERTED, put(store, numberedKey(i, KEY_LENGTH), bytes(filled(VALUE_LENGTH, i)), 0));
        }

        assertEquals(0, store.counters().evictions());
        assertTrue(store.counters().expirations() >= 50);
        assertTrue(evicted.isEmpty());
    }

    private void open(final EvictionPolicy policy, final long lfuDecayPeriodMs) {
        final StoreContext context = context(clock, CAPACITY * 8L + (long)FIT * BLOCK_LENGTH)
            .evictionPolicy(policy)
            .initialCapacity(CAPACITY)
            .maxCapacity(CAPACITY)
            .listener(new StoreListener() {
                @Override
                public void onEvicted(final DirectBuffer key, final int offset, final int length) {
                    final byte[] copy = new byte[length];
                    key.getBytes(offset, copy);
                    evicted.add(bytes(copy));
                }
            });
        if (lfuDecayPeriodMs > 0) {
            context.lfuDecayPeriodMs(lfuDecayPeriodMs);
        }
        store = new OffHeapStore(context);
    }

    private void fill(final int from, final int to) {
        for (int i = from; i < to; i++) {
            assertEquals(INSERTED, put(store, numberedKey(i, KEY_LENGTH), bytes(filled(VALUE_LENGTH, i)), 0));
        }
    }

    private void readEach(final int from, final int to, final int times) {
        for (int round = 0; round < times; round++) {
            for (int i = from; i < to; i++) {
                assertArrayEquals(filled(VALUE_LENGTH, i), getBytes(store, numberedKey(i, KEY_LENGTH)));
            }
        }
    }

    private int survivors(final int from, final int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (contains(store, numberedKey(i, KEY_LENGTH))) {
                count++;
            }
        }
        return count;
    }

    private void assertUnchanged(final long used, final long inUse) {
        assertEquals(FIT, store.size());
        assertEquals(used, store.usedBytes());
        assertEquals(inUse, store.allocatorBytesInUse());
        assertEquals(0, store.counters().evictions());
        for (int i = 0; i < FIT; i++) {
            assertArrayEquals(filled(VALUE_LENGTH, i), getBytes(store, numberedKey(i, KEY_LENGTH)));
        }
    }
}
