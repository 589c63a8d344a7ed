package io.loomcache.store;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrefetchTest {
    private static final long CAP = 64L * 1024 * 1024;

    @Test
    void shouldChangeAndCountNothingForPresentAbsentAndCollidingKeys() {
        try (OffHeapStore store = new OffHeapStore(new StoreContext().maxMemoryBytes(CAP).initialCapacity(16))) {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[Long.BYTES]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[300]);
            for (long i = 0; i < 10; i++) {
                key.putLong(0, i);
                store.put(key, 0, Long.BYTES, value, 0, (int)(i * 30), 0);
            }
            final long usedBytes = store.usedBytes();
            for (long i = 0; i < 1000; i++) {
                key.putLong(0, i);
                store.prefetch(key, 0, Long.BYTES);
                store.prefetch(key, 0, 0);
            }
            assertEquals(10, store.size());
            assertEquals(usedBytes, store.usedBytes());
            assertEquals(0, store.counters().hits());
            assertEquals(0, store.counters().misses());
            final UnsafeBuffer out = new UnsafeBuffer(new byte[300]);
            for (long i = 0; i < 10; i++) {
                key.putLong(0, i);
                assertEquals((int)(i * 30), store.get(key, 0, Long.BYTES, out, 0));
            }
        }
    }

    @Test
    void shouldRefuseANegativeLengthAndAPrefetchAfterClose() {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[Long.BYTES]);
        final OffHeapStore store = new OffHeapStore(new StoreContext().maxMemoryBytes(CAP));
        try {
            assertThrows(IllegalArgumentException.class, () -> store.prefetch(key, 0, -1));
        } finally {
            store.close();
        }
        assertThrows(IllegalStateException.class, () -> store.prefetch(key, 0, Long.BYTES));
    }
}
