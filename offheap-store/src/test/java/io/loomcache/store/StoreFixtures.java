package io.loomcache.store;

import java.nio.charset.StandardCharsets;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Helpers shared by the store tests: byte buffers, fake clock and contexts with a fixed seed.
 */
final class StoreFixtures {
    static final long START_MS = 1_700_000_000_000L;
    static final long SEED = 42L;

    private StoreFixtures() {
    }

    static ManualClock clockAt(final long nowMs) {
        return new ManualClock(nowMs);
    }

    static StoreContext context(final ManualClock clock, final long maxMemoryBytes) {
        return new StoreContext()
            .epochClock(clock)
            .nanoClock(clock)
            .maxMemoryBytes(maxMemoryBytes)
            .randomSeed(SEED);
    }

    static UnsafeBuffer bytes(final String text) {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    static UnsafeBuffer bytes(final byte[] bytes) {
        return new UnsafeBuffer(bytes);
    }

    static byte[] filled(final int length, final int seed) {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte)(seed * 31 + i * 7);
        }
        return bytes;
    }

    static UnsafeBuffer numberedKey(final int number, final int length) {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte)(number >>> (8 * (i % 4)));
        }
        return new UnsafeBuffer(bytes);
    }

    static int put(final OffHeapStore store, final UnsafeBuffer key, final UnsafeBuffer value, final long ttlMs) {
        return store.put(key, 0, key.capacity(), value, 0, value.capacity(), ttlMs);
    }

    static int put(final OffHeapStore store, final String key, final String value) {
        return put(store, bytes(key), bytes(value), 0);
    }

    static byte[] getBytes(final OffHeapStore store, final UnsafeBuffer key) {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
        final int length = store.get(key, 0, key.capacity(), out, 0);
        if (length < 0) {
            return null;
        }
        final byte[] bytes = new byte[length];
        out.getBytes(0, bytes);
        return bytes;
    }

    static String getString(final OffHeapStore store, final String key) {
        final byte[] bytes = getBytes(store, bytes(key));
        return null == bytes ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static boolean contains(final OffHeapStore store, final UnsafeBuffer key) {
        return store.containsKey(key, 0, key.capacity());
    }

    static boolean remove(final OffHeapStore store, final UnsafeBuffer key) {
        return store.remove(key, 0, key.capacity());
    }
}
