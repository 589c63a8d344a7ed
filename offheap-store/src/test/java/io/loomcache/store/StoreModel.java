package io.loomcache.store;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.loomcache.store.OffHeapStore.INSERTED;
import static io.loomcache.store.OffHeapStore.KEY_EXISTS;
import static io.loomcache.store.OffHeapStore.NOT_FOUND;
import static io.loomcache.store.OffHeapStore.REPLACED;
import static io.loomcache.store.OffHeapStore.STORE_FULL;
import static io.loomcache.store.OffHeapStore.TOO_LARGE;
import static io.loomcache.store.OffHeapStore.VALUE_MISMATCH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An OffHeapStore driven next to a HashMap model on a fake clock. The model holds what is physically in the
 * store (live or expired but not yet removed); the store's listener reports each eviction and expiry, which the
 * model checks (an evicted key was live, an expired key had expired) and applies, so every answer is checked
 * exactly and memory accounting is recomputed from the model after each step.
 */
final class StoreModel implements AutoCloseable {
    static final int MAX_VALUE_LENGTH = 256;
    static final int INITIAL_CAPACITY = 16;
    static final int MAX_CAPACITY = 32;
    static final float LOAD_FACTOR = 0.5f;
    static final long MAX_MEMORY_BYTES = 1200;

    private final EvictionPolicy policy;
    private final ManualClock clock = StoreFixtures.clockAt(StoreFixtures.START_MS);
    private final Map<ByteKey, ModelEntry> present = new HashMap<>();
    private final OffHeapStore store;
    private long evictions;
    private long expirations;
    private long hits;
    private long misses;

    StoreModel(final EvictionPolicy policy, final long seed) {
        this.policy = policy;
        store = new OffHeapStore(new StoreContext()
            .epochClock(clock)
            .nanoClock(clock)
            .maxMemoryBytes(MAX_MEMORY_BYTES)
            .maxKeyLength(64)
            .maxValueLength(MAX_VALUE_LENGTH)
            .initialCapacity(INITIAL_CAPACITY)
            .maxCapacity(MAX_CAPACITY)
            .loadFactor(LOAD_FACTOR)
            .evictionPolicy(policy)
            .lfuDecayPeriodMs(100)
            .randomSeed(seed)
            .listener(new ModelListener()));
    }

    void put(final ByteKey key, final byte[] value, final long ttlMs) {
        final ModelEntry before = live(key);
        final boolean tooLarge = tooLarge(key, value);
        final int result = store.put(buffer(key.bytes()), 0, key.length(), buffer(value), 0, value.length, ttlMs);
        if (tooLarge) {
            assertEquals(TOO_LARGE, result);
            return;
        }
        if (STORE_FULL == result) {
            assertRefusalJustified(key, value, before);
            return;
        }
        assertEquals(null == before ? INSERTED : REPLACED, result);
        present.put(key, new ModelEntry(value, expireAtMs(ttlMs)));
    }

    void putIfAbsent(final ByteKey key, final byte[] value, final long ttlMs) {
        final ModelEntry before = live(key);
        final boolean tooLarge = tooLarge(key, value);
        final int result =
            store.putIfAbsent(buffer(key.bytes()), 0, key.length(), buffer(value), 0, value.length, ttlMs);
        if (tooLarge) {
            assertEquals(TOO_LARGE, result);
        } else if (null != before) {
            assertEquals(KEY_EXISTS, result);
        } else if (STORE_FULL == result) {
            assertRefusalJustified(key, value, null);
        } else {
            assertEquals(INSERTED, result);
            present.put(key, new ModelEntry(value, expireAtMs(ttlMs)));
        }
    }

    void replace(
        final ByteKey key, final byte[] guess, final boolean expectCurrent, final byte[] value, final long ttl) {
        final ModelEntry before = live(key);
        final byte[] expected = expectCurrent && null != before ? before.value() : guess;
        final UnsafeBuffer values = new UnsafeBuffer(new byte[expected.length + value.length]);
        values.putBytes(0, expected);
        values.putBytes(expected.length, value);

        final boolean tooLarge = tooLarge(key, value);
        final int result = store.replace(
            buffer(key.bytes()), 0, key.length(), values, 0, expected.length, expected.length, value.length, ttl);
        if (tooLarge) {
            assertEquals(TOO_LARGE, result);
        } else if (null == before) {
            assertEquals(NOT_FOUND, result);
        } else if (!Arrays.equals(before.value(), expected)) {
            assertEquals(VALUE_MISMATCH, result);
        } else if (STORE_FULL == result) {
            assertRefusalJustified(key, value, before);
        } else {
            assertEquals(REPLACED, result);
            present.put(key, new ModelEntry(value, expireAtMs(ttl)));
        }
    }

    void get(final ByteKey key, final boolean throughView) {
        final ModelEntry before = live(key);
        final byte[] actual;
        if (throughView) {
            final UnsafeBuffer view = new UnsafeBuffer(0L, 0);
            final int length = store.getView(buffer(key.bytes()), 0, key.length(), view);
            actual = length < 0 ? null : copy(view, 0, length);
        } else {
            final ExpandableArrayBuffer out = new ExpandableArrayBuffer(8);
            final int length = store.get(buffer(key.bytes()), 0, key.length(), out, 3);
            actual = length < 0 ? null : copy(out, 3, length);
        }

        if (null == before) {
            misses++;
            assertEquals(null, actual, "no live entry for " + key);
        } else {
            hits++;
            assertNotNull(actual, "live entry for " + key);
            assertArrayEquals(before.value(), actual);
        }
    }

    void remove(final ByteKey key) {
        final ModelEntry before = live(key);
        assertEquals(null != before, store.remove(buffer(key.bytes()), 0, key.length()));
        if (null != before) {
            present.remove(key);
        }
    }

    void containsKey(final ByteKey key) {
        assertEquals(null != live(key), store.containsKey(buffer(key.bytes()), 0, key.length()));
    }

    void clear() {
        store.clear();
        present.clear();
        assertEquals(INITIAL_CAPACITY, store.indexCapacity());
    }

    void advanceClock(final long ms) {
        clock.advance(ms);
    }

    void sweep(final int maxSlots) {
        final long before = expirations;
        final int swept = store.expireSweep(clock.time(), maxSlots);
        assertEquals(expirations - before, swept, "sweep count equals expiries reported");
    }

    void liveSize() {
        final long nowMs = clock.time();
        final long live = present.values().stream().filter(entry -> entry.isLiveAt(nowMs)).count();
        final long before = expirations;
        assertEquals(live, store.liveSize(), "liveSize counts what a get would find");
        assertEquals(present.size(), live, "liveSize removed every expired entry");
        assertTrue(expirations >= before);
    }

    void checkInvariants() {
        long entryBytes = 0;
        for (final Map.Entry<ByteKey, ModelEntry> entry : present.entrySet()) {
            entryBytes += blockLength(entry.getKey(), entry.getValue().value());
        }
        final long indexBytes = (long)store.indexCapacity() * IndexDescriptor.SLOT_LENGTH;

        assertEquals(present.size(), store.size());
        assertEquals(indexBytes + entryBytes, store.usedBytes());
        assertEquals(entryBytes, store.allocatorBytesInUse());
        assertEquals(present.size(), store.allocatorBlocksInUse());
        assertTrue(store.usedBytes() <= MAX_MEMORY_BYTES, "used " + store.usedBytes());
        assertTrue(store.nativeBytesReserved() >= store.usedBytes());
        assertTrue(store.nativeBytesReserved() <= MAX_MEMORY_BYTES, "reserved " + store.nativeBytesReserved());

        final StoreCounters counters = store.counters();
        assertEquals(evictions, counters.evictions());
        assertEquals(EvictionPolicy.LFU == policy ? 0 : evictions, counters.lruEvictions());
        assertEquals(EvictionPolicy.LFU == policy ? evictions : 0, counters.lfuEvictions());
        assertEquals(expirations, counters.expirations());
        assertEquals(hits, counters.hits());
        assertEquals(misses, counters.misses());
        assertEquals(present.size(), counters.size());
        assertEquals(store.usedBytes(), counters.usedBytes());
        if (EvictionPolicy.NONE == policy) {
            assertEquals(0, evictions);
        }
    }

    void checkEveryKey(final List<ByteKey> keys) {
        for (final ByteKey key : keys) {
            get(key, false);
        }
        checkInvariants();
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "StoreModel{" + policy + ", now=+" + (clock.time() - StoreFixtures.START_MS) + "ms, " + present + "}";
    }

    private ModelEntry live(final ByteKey key) {
        final ModelEntry entry = present.get(key);
        return null != entry && entry.isLiveAt(clock.time()) ? entry : null;
    }

    private boolean tooLarge(final ByteKey key, final byte[] value) {
        return value.length > MAX_VALUE_LENGTH ||
            blockLength(key, value) > MAX_MEMORY_BYTES - (long)store.indexCapacity() * IndexDescriptor.SLOT_LENGTH;
    }

    private void assertRefusalJustified(final ByteKey key, final byte[] value, final ModelEntry replaced) {
        assertEquals(EvictionPolicy.NONE, policy, "only NONE may refuse");
        final long indexBytes = (long)store.indexCapacity() * IndexDescriptor.SLOT_LENGTH;
        boolean indexFull = false;
        long needed = 0;
        if (null == replaced && store.size() + 1 > (int)(store.indexCapacity() * (double)LOAD_FACTOR)) {
            indexFull = store.indexCapacity() >= MAX_CAPACITY;
            needed += indexBytes;
        }
        if (!store.hasFreeBlockFor(EntryDescriptor.entryLength(key.length(), value.length))) {
            needed += blockLength(key, value);
        }
        assertTrue(indexFull || store.nativeBytesReserved() + needed > MAX_MEMORY_BYTES,
            "refused although reserved " + store.nativeBytesReserved() + " + " + needed + " fits");
        final ModelEntry after = present.get(key);
        if (null != replaced) {
            assertEquals(replaced, after, "refused replace keeps the old value");
        }
    }

    private long expireAtMs(final long ttlMs) {
        return 0 == ttlMs ? 0 : clock.time() + ttlMs;
    }

    private static long blockLength(final ByteKey key, final byte[] value) {
        return SizeClasses.blockLength(EntryDescriptor.entryLength(key.length(), value.length));
    }

    private static UnsafeBuffer buffer(final byte[] bytes) {
        return new UnsafeBuffer(bytes);
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    record ModelEntry(byte[] value, long expireAtMs) {
        boolean isLiveAt(final long nowMs) {
            return 0 == expireAtMs || nowMs < expireAtMs;
        }

        @Override
        public String toString() {
            return value.length + "B" + (0 == expireAtMs ? "" : "@" + (expireAtMs - StoreFixtures.START_MS));
        }
    }

    private final class ModelListener implements StoreListener {
        @Override
        public void onEvicted(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
            final ByteKey key = ByteKey.copyOf(keyBuffer, keyOffset, keyLength);
            assertNotNull(live(key), "evicted key " + key + " must have been live");
            present.remove(key);
            evictions++;
        }

        @Override
        public void onExpired(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
            final ByteKey key = ByteKey.copyOf(keyBuffer, keyOffset, keyLength);
            final ModelEntry entry = present.remove(key);
            assertNotNull(entry, "expired key " + key + " must have been present");
            assertTrue(!entry.isLiveAt(clock.time()), "expired key " + key + " must have expired");
            expirations++;
        }
    }
}
