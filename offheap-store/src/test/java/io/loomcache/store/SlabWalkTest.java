package io.loomcache.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.loomcache.testkit.gen.Gen;
import io.loomcache.testkit.gen.Property;

import static io.loomcache.store.StoreFixtures.START_MS;
import static io.loomcache.store.StoreFixtures.clockAt;
import static io.loomcache.store.StoreFixtures.context;
import static io.loomcache.store.StoreFixtures.numberedKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SlabWalkTest {
    private static final int KEYS = 400;

    @Test
    void shouldVisitEveryEntryUntouchedSinceTheWalkStartedExactlyOnceWhileWritesInterleave() {
        Property.forAll(60, gen -> {
            final ManualClock clock = clockAt(START_MS);
            try (OffHeapStore store = new OffHeapStore(context(clock, 256 * 1024)
                .evictionPolicy(gen.bool() ? EvictionPolicy.LRU : EvictionPolicy.NONE).chunkLength(4096))) {
                final Map<Integer, Integer> lengths = new HashMap<>();
                for (int i = 0, n = gen.size(KEYS); i < n; i++) {
                    write(store, gen, lengths);
                }
                final Set<Integer> touched = new HashSet<>();
                final Map<Integer, Integer> visits = new HashMap<>();
                final Set<Integer> atStart = liveKeys(store);
                int cursor = OffHeapStore.WALK_START;
                while (cursor != OffHeapStore.WALK_DONE) {
                    cursor = store.forEachEntryFrom(cursor, gen.ints(1, 40), gen.ints(1, 4096),
                        (entry, keyOffset, keyLength, valueOffset, valueLength, expireAtMs) ->
                            visits.merge(entry.getInt(keyOffset), 1, Integer::sum));
                    for (int i = 0, n = gen.ints(0, 6); i < n; i++) {
                        touched.add(write(store, gen, lengths));
                    }
                    final Set<Integer> now = liveKeys(store);
                    for (final Integer key : atStart) {
                        if (!now.contains(key)) {
                            touched.add(key); // evicted or expired
                        }
                    }
                }
                for (final Integer key : atStart) {
                    if (!touched.contains(key)) {
                        assertEquals(1, visits.getOrDefault(key, 0), "untouched key " + key + " visits");
                    }
                }
            }
        });
    }

    /** A put of a random length (another size class moves the entry), a remove, or a put with a short TTL. */
    private static int write(final OffHeapStore store, final Gen gen, final Map<Integer, Integer> lengths) {
        final int number = gen.ints(0, KEYS - 1);
        final UnsafeBuffer key = numberedKey(number, 4 + number % 12);
        key.putInt(0, number);
        switch (gen.weighted(6, 2, 1)) {
            case 0 -> {
                final int length = gen.ints(1, 600);
                store.put(key, 0, key.capacity(), new UnsafeBuffer(new byte[length]), 0, length, 0);
                lengths.put(number, length);
            }
            case 1 -> store.remove(key, 0, key.capacity());
            default -> store.put(key, 0, key.capacity(), new UnsafeBuffer(new byte[8]), 0, 8, 1);
        }
        store.expireSweep(START_MS + 10, 4);
        return number;
    }

    private static Set<Integer> liveKeys(final OffHeapStore store) {
        final Set<Integer> keys = new HashSet<>();
        store.forEachEntry((entry, keyOffset, keyLength, valueOffset, valueLength, expireAtMs) ->
            keys.add(entry.getInt(keyOffset)));
        return keys;
    }
}
