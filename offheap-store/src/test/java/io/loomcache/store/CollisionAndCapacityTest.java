package io.loomcache.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.loomcache.store.OffHeapStore.INSERTED;
import static io.loomcache.store.OffHeapStore.STORE_FULL;
import static io.loomcache.store.StoreFixtures.START_MS;
import static io.loomcache.store.StoreFixtures.bytes;
import static io.loomcache.store.StoreFixtures.clockAt;
import static io.loomcache.store.StoreFixtures.contains;
import static io.loomcache.store.StoreFixtures.context;
import static io.loomcache.store.StoreFixtures.getString;
import static io.loomcache.store.StoreFixtures.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollisionAndCapacityTest {
    private final ManualClock clock = clockAt(START_MS);
    private OffHeapStore store;

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void shouldKeepEveryKeyReachableWhenManyShareOneHomeSlot() {
        store = new OffHeapStore(context(clock, 1 << 20).initialCapacity(1024).maxCapacity(1024));
        final List<String> colliding = keysWithHomeSlot(1023, 1023, 300);

        for (final String key : colliding) {
            assertEquals(INSERTED, put(store, key, "v-" + key));
        }
        for (int i = 0; i < colliding.size(); i += 3) {
            assertTrue(StoreFixtures.remove(store, bytes(colliding.get(i))), "remove from inside the cluster");
        }
        for (int i = 0; i < colliding.size(); i++) {
            final String key = colliding.get(i);
            assertEquals(i % 3 == 0 ? null : "v-" + key, getString(store, key), key);
        }
        assertEquals(200, store.size());
    }

    @Test
    void shouldTellApartKeysWithTheSameThirtyTwoBitHash() {
        store = new OffHeapStore(context(clock, 1 << 20));
        final String[] pair = fullHashCollision();
        assertEquals(KeyHasher.indexHash(bytes(pair[0]), 0, pair[0].length()),
            KeyHasher.indexHash(bytes(pair[1]), 0, pair[1].length()));
        assertNotEquals(pair[0], pair[1]);

        put(store, pair[0], "first");
        assertNull(getString(store, pair[1]));
        put(store, pair[1], "second");
        assertEquals("first", getString(store, pair[0]));
        assertEquals("second", getString(store, pair[1]));

        assertTrue(StoreFixtures.remove(store, bytes(pair[0])));
        assertFalse(contains(store, bytes(pair[0])));
        assertEquals("second", getString(store, pair[1]));
    }

    @Test
    void shouldRefuseNewKeysWithStoreFullWhenIndexIsAtMaxCapacityUnderNone() {
        store = new OffHeapStore(context(clock, 1 << 20)
            .evictionPolicy(EvictionPolicy.NONE).initialCapacity(16).maxCapacity(32).loadFactor(0.5f));
        for (int i = 0; i < 16; i++) {
            assertEquals(INSERTED, put(store, "k" + i, "v"));
        }

        assertEquals(STORE_FULL, put(store, "k16", "v"));
        assertEquals(32, store.indexCapacity());
        assertEquals(16, store.size());
        assertEquals(OffHeapStore.REPLACED, put(store, "k3", "updates still work"));
    }

    @Test
    void shouldEvictForIndexSlotsWhenIndexIsAtMaxCapacityUnderLru() {
        store = new OffHeapStore(context(clock, 1 << 20)
            .evictionPolicy(EvictionPolicy.LRU).initialCapacity(16).maxCapacity(16).loadFactor(0.5f));
        for (int i = 0; i < 100; i++) {
            assertEquals(INSERTED, put(store, "k" + i, "v"));
            clock.advance(1);
        }

        assertEquals(8, store.size());
        assertEquals(92, store.counters().lruEvictions());
        assertEquals(16, store.indexCapacity());
        assertEquals("v", getString(store, "k99"));
    }

    @Test
    void shouldNotGrowIndexPastTheMemoryCap() {
        final long cap = 16 * 8 + 4 * 1024;
        store = new OffHeapStore(context(clock, cap).evictionPolicy(EvictionPolicy.LRU).initialCapacity(16));
        for (int i = 0; i < 5_000; i++) {
            assertEquals(INSERTED, put(store, "key-" + i, "v"));
            assertTrue(store.usedBytes() <= cap);
        }
        assertTrue(store.indexCapacity() * 8L < cap, "index " + store.indexCapacity());
        assertTrue(store.counters().lruEvictions() > 4_000);
    }

    private static List<String> keysWithHomeSlot(final int home, final int mask, final int count) {
        final List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            final String key = "collide-" + i;
            if ((KeyHasher.indexHash(bytes(key), 0, key.length()) & mask) == home) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static String[] fullHashCollision() {
        final Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; ; i++) {
            final String key = "h" + i;
            final String previous = seen.putIfAbsent(KeyHasher.indexHash(bytes(key), 0, key.length()), key);
            if (null != previous) {
                return new String[] {previous, key};
            }
        }
    }
}
