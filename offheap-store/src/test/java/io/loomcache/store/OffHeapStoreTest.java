package io.loomcache.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.loomcache.store.OffHeapStore.BUFFER_TOO_SMALL;
import static io.loomcache.store.OffHeapStore.INSERTED;
import static io.loomcache.store.OffHeapStore.INVALID_TTL;
import static io.loomcache.store.OffHeapStore.KEY_EXISTS;
import static io.loomcache.store.OffHeapStore.NOT_FOUND;
import static io.loomcache.store.OffHeapStore.REPLACED;
import static io.loomcache.store.OffHeapStore.TOO_LARGE;
import static io.loomcache.store.OffHeapStore.VALUE_MISMATCH;
import static io.loomcache.store.StoreFixtures.START_MS;
import static io.loomcache.store.StoreFixtures.bytes;
import static io.loomcache.store.StoreFixtures.clockAt;
import static io.loomcache.store.StoreFixtures.context;
import static io.loomcache.store.StoreFixtures.filled;
import static io.loomcache.store.StoreFixtures.getBytes;
import static io.loomcache.store.StoreFixtures.getString;
import static io.loomcache.store.StoreFixtures.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffHeapStoreTest {
    private final ManualClock clock = clockAt(START_MS);
    private OffHeapStore store = new OffHeapStore(context(clock, 1 << 20));

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void shouldReturnInsertedThenReplacedAndReadBackLatestValue() {
        assertEquals(INSERTED, put(store, "alpha", "one"));
        assertEquals(REPLACED, put(store, "alpha", "two"));
        assertEquals("two", getString(store, "alpha"));
        assertEquals(1, store.size());
        assertNull(getString(store, "beta"));
        assertEquals(1, store.counters().hits());
        assertEquals(1, store.counters().misses());
    }

    @Test
    void shouldFindKeyWrittenFromOneBufferKindWhenReadThroughAnother() {
        final byte[] key = filled(37, 3);
        final ByteBuffer direct = ByteBuffer.allocateDirect(64);
        direct.position(5);
        direct.put(key);
        final UnsafeBuffer directKey = new UnsafeBuffer(direct);
        final ExpandableArrayBuffer heapKey = new ExpandableArrayBuffer(64);
        heapKey.putBytes(11, key);

        assertEquals(INSERTED, store.put(directKey, 5, key.length, bytes("v"), 0, 1, 0));

        assertTrue(store.containsKey(heapKey, 11, key.length));
        assertEquals(1, store.get(heapKey, 11, key.length, new ExpandableArrayBuffer(), 0));
        assertTrue(store.remove(bytes(key), 0, key.length));
        assertEquals(0, store.size());
    }

    @Test
    void shouldStoreEmptyKeyAndEmptyValue() {
        final UnsafeBuffer empty = bytes(new byte[0]);
        assertEquals(INSERTED, put(store, empty, empty, 0));
        assertEquals(INSERTED, put(store, bytes("k"), empty, 0));

        assertArrayEquals(new byte[0], getBytes(store, empty));
        assertArrayEquals(new byte[0], getBytes(store, bytes("k")));
        assertEquals(REPLACED, put(store, empty, bytes("now-not-empty"), 0));
        assertEquals("now-not-empty", getString(store, ""));
        assertTrue(store.remove(empty, 0, 0));
        assertFalse(store.containsKey(empty, 0, 0));
    }

    @Test
    void shouldStoreKeyAndValueOfMaxLengthAndRefuseOneByteMore() {
        store.close();
        store = new OffHeapStore(context(clock, 1 << 20).maxKeyLength(1000).maxValueLength(100_000));
        final UnsafeBuffer maxKey = bytes(filled(1000, 1));
        final UnsafeBuffer maxValue = bytes(filled(100_000, 2));

        assertEquals(INSERTED, put(store, maxKey, maxValue, 0));
        assertArrayEquals(filled(100_000, 2), getBytes(store, maxKey));

        assertEquals(TOO_LARGE, put(store, bytes(filled(1001, 1)), bytes("v"), 0));
        assertEquals(TOO_LARGE, put(store, bytes("k"), bytes(filled(100_001, 2)), 0));
        assertFalse(store.containsKey(bytes(filled(1001, 1)), 0, 1001));
        assertEquals(1, store.size());
    }

    @Test
    void shouldRefuseValueLargerThanMemoryCapWithoutEvictingAnything() {
        store.close();
        store = new OffHeapStore(context(clock, 64 * 1024).evictionPolicy(EvictionPolicy.LRU));
        put(store, "a", "1");
        put(store, "b", "2");
        final long usedBefore = store.usedBytes();

        assertEquals(TOO_LARGE, put(store, bytes("big"), bytes(new byte[64 * 1024]), 0));

        assertEquals(2, store.size());
        assertEquals(usedBefore, store.usedBytes());
        assertEquals(0, store.counters().evictions());
        assertFalse(store.containsKey(bytes("big"), 0, 3));
    }

    @Test
    void shouldReplaceOnlyWhenExpectedValueMatches() {
        put(store, "key", "old");
        final UnsafeBuffer values = bytes("olx" + "new" + "ol" + "old");

        assertEquals(VALUE_MISMATCH, store.replace(bytes("key"), 0, 3, values, 0, 3, 3, 3, 0));
        assertEquals(VALUE_MISMATCH, store.replace(bytes("key"), 0, 3, values, 6, 2, 3, 3, 0));
        assertEquals("old", getString(store, "key"));

        assertEquals(REPLACED, store.replace(bytes("key"), 0, 3, values, 8, 3, 3, 3, 0));
        assertEquals("new", getString(store, "key"));
        assertEquals(NOT_FOUND, store.replace(bytes("nokey"), 0, 5, values, 8, 3, 3, 3, 0));
        assertFalse(store.containsKey(bytes("nokey"), 0, 5));
    }

    @Test
    void shouldPutIfAbsentOnlyWhenNoLiveEntry() {
        final UnsafeBuffer key = bytes("k");
        assertEquals(INSERTED, store.putIfAbsent(key, 0, 1, bytes("first"), 0, 5, 10));
        assertEquals(KEY_EXISTS, store.putIfAbsent(key, 0, 1, bytes("second"), 0, 6, 0));
        assertEquals("first", getString(store, "k"));

        clock.advance(10);
        assertEquals(INSERTED, store.putIfAbsent(key, 0, 1, bytes("third"), 0, 5, 0));
        assertEquals("third", getString(store, "k"));
        assertEquals(1, store.counters().expirations());
    }

    @Test
    void shouldExpireExactlyWhenTtlHasElapsed() {
        put(store, bytes("k"), bytes("v"), 100);
        clock.advance(99);
        assertEquals("v", getString(store, "k"));
        assertEquals(0, store.counters().expirations());

        clock.advance(1);
        assertNull(getString(store, "k"));
        assertEquals(0, store.size());
        assertEquals(1, store.counters().expirations());
    }

    @Test
    void shouldResetTtlOnPutAndTakeNewTtlOnReplace() {
        put(store, bytes("k"), bytes("v1"), 100);
        clock.advance(50);
        put(store, bytes("k"), bytes("v2"), 0);
        clock.advance(1_000_000);
        assertEquals("v2", getString(store, "k"));

        final UnsafeBuffer values = bytes("v2v3");
        assertEquals(REPLACED, store.replace(bytes("k"), 0, 1, values, 0, 2, 2, 2, 5));
        clock.advance(4);
        assertTrue(store.containsKey(bytes("k"), 0, 1));
        clock.advance(1);
        assertFalse(store.containsKey(bytes("k"), 0, 1));
    }

    @Test
    void shouldSweepExpiredEntriesInBoundedStepsAndResume() {
        for (int i = 0; i < 200; i++) {
            put(store, bytes("key-" + i), bytes("v"), i % 2 == 0 ? 10 : 0);
        }
        final int slots = store.indexCapacity();
        clock.advance(10);

        final int stepSlots = 16;
        final int steps = (slots + 100 + stepSlots - 1) / stepSlots;
        int expired = 0;
        for (int step = 0; step < steps; step++) {
            final int swept = store.expireSweep(clock.time(), stepSlots);
            assertTrue(swept <= stepSlots, "a step scans at most " + stepSlots + " slots");
            expired += swept;
        }

        assertEquals(100, expired, "steps that resume cover the whole index once");
        assertEquals(100, store.size());
        assertEquals(0, store.expireSweep(clock.time(), slots));
        assertEquals(100, store.counters().expirations());
        assertEquals("v", getString(store, "key-1"));
        assertNull(getString(store, "key-0"));
    }

    @Test
    void shouldRejectNegativeTtlAndNegativeLengths() {
        assertEquals(INVALID_TTL, put(store, bytes("k"), bytes("v"), -1));
        assertEquals(0, store.size());
        assertThrows(IllegalArgumentException.class, () -> store.put(bytes("k"), 0, -1, bytes("v"), 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> store.containsKey(bytes("k"), 0, -1));
    }

    @Test
    void shouldCopyIntoExpandableBufferButRefuseTooSmallFixedBuffer() {
        put(store, bytes("k"), bytes(filled(300, 9)), 0);

        assertEquals(BUFFER_TOO_SMALL, store.get(bytes("k"), 0, 1, new UnsafeBuffer(new byte[310]), 11));
        final UnsafeBuffer exact = new UnsafeBuffer(new byte[311]);
        assertEquals(300, store.get(bytes("k"), 0, 1, exact, 11));
        final byte[] copied = new byte[300];
        exact.getBytes(11, copied);
        assertArrayEquals(filled(300, 9), copied);

        final ExpandableArrayBuffer growing = new ExpandableArrayBuffer(8);
        assertEquals(300, store.get(bytes("k"), 0, 1, growing, 100));
        assertTrue(growing.capacity() >= 400);
    }

    @Test
    void shouldExposeValueThroughViewWithoutCopy() {
        put(store, bytes("k"), bytes("value-bytes"), 0);
        final UnsafeBuffer view = new UnsafeBuffer(0L, 0);

        assertEquals(11, store.getView(bytes("k"), 0, 1, view));
        assertEquals("value-bytes", view.getStringWithoutLengthAscii(0, 11));
        assertEquals(NOT_FOUND, store.getView(bytes("missing"), 0, 7, view));
        assertEquals(11, view.capacity(), "a miss leaves the view untouched");
    }

    @Test
    void shouldMoveEntryToAnotherSizeClassWhenValueGrowsOrShrinks() {
        put(store, bytes("k"), bytes(filled(10, 1)), 0);
        final long smallUsed = store.usedBytes();

        put(store, bytes("k"), bytes(filled(5000, 2)), 0);
        assertArrayEquals(filled(5000, 2), getBytes(store, bytes("k")));
        assertTrue(store.usedBytes() >= smallUsed + 5000 - 16);

        put(store, bytes("k"), bytes(filled(11, 3)), 0);
        assertArrayEquals(filled(11, 3), getBytes(store, bytes("k")));
        assertEquals(smallUsed, store.usedBytes());
        assertEquals(1, store.allocatorBlocksInUse());
    }

    @Test
    void shouldKeepEveryEntryReachableWhileIndexResizesUnderLoad() {
        store.close();
        store = new OffHeapStore(context(clock, 64L << 20).initialCapacity(16));
        final int count = 50_000;
        for (int i = 0; i < count; i++) {
            assertEquals(INSERTED, put(store, bytes("key:" + i), bytes("value:" + i), 0));
        }

        assertTrue(store.indexCapacity() >= count / 0.75, "index grew to " + store.indexCapacity());
        for (int i = 0; i < count; i += 2) {
            assertTrue(StoreFixtures.remove(store, bytes("key:" + i)));
        }
        for (int i = 0; i < count; i++) {
            assertEquals(i % 2 == 0 ? null : "value:" + i, getString(store, "key:" + i));
        }
        assertEquals(count / 2, store.size());
    }

    @Test
    void shouldThrowAfterCloseAndAllowClosingTwice() {
        put(store, "k", "v");
        store.close();
        store.close();

        assertEquals(0, store.nativeBytesReserved());
        assertThrows(IllegalStateException.class, () -> put(store, "k", "v"));
        assertThrows(IllegalStateException.class, () -> getString(store, "k"));
        assertThrows(IllegalStateException.class, () -> store.expireSweep(clock.time(), 10));
    }

    @Test
    void shouldRoundIndexCapacitiesUpToPowersOfTwo() {
        final StoreContext context = context(clock, 1 << 20).initialCapacity(1000).maxCapacity(3000).conclude();
        assertEquals(1024, context.initialCapacity());
        assertEquals(4096, context.maxCapacity());
        assertEquals(1024, context.conclude().initialCapacity());
        assertEquals(16, context(clock, 1 << 20).initialCapacity(1).conclude().initialCapacity());
    }

    @Test
    void shouldRejectInvalidContext() {
        assertThrows(IllegalArgumentException.class, () -> new StoreContext().conclude());
        assertThrows(IllegalArgumentException.class, () -> context(clock, 1 << 20).initialCapacity(0).conclude());
        assertThrows(IllegalArgumentException.class,
            () -> context(clock, 1L << 40).maxCapacity(IndexDescriptor.MAX_CAPACITY + 1).conclude());
        assertThrows(IllegalArgumentException.class,
            () -> context(clock, 1 << 20).initialCapacity(64).maxCapacity(32).conclude());
        assertThrows(IllegalArgumentException.class, () -> context(clock, 1 << 20).loadFactor(0.95f).conclude());
        assertThrows(IllegalArgumentException.class, () -> context(clock, 100).conclude());
        assertThrows(IllegalArgumentException.class,
            () -> context(clock, 1 << 20).maxValueLength(SizeClasses.MAX_BLOCK_LENGTH).conclude());
        assertThrows(IllegalArgumentException.class, () -> context(clock, 1 << 20).evictionSampleCount(0).conclude());
        assertThrows(IllegalArgumentException.class, () -> context(clock, 1 << 20).lfuDecayPeriodMs(0).conclude());
    }
    @Test
    void shouldCountOnlyLiveEntriesAndReportEachExpiredOneWhenAskedForTheLiveSize() {
        final List<String> expired = new ArrayList<>();
        store.close();
        store = new OffHeapStore(context(clock, 1 << 20).listener(new StoreListener() {
            @Override
            public void onExpired(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
                expired.add(keyBuffer.getStringWithoutLengthUtf8(keyOffset, keyLength));
            }
        }));
        for (int i = 0; i < 300; i++) {
            assertEquals(INSERTED, put(store, bytes("key-" + i), bytes("v"), i % 3 == 0 ? 100 + i : 0));
        }
        assertEquals(300, store.liveSize(), "nothing has expired yet");
        assertEquals(List.of(), expired);
        clock.advance(200);
        assertEquals(300, store.size(), "expired entries still held");
        assertEquals(266, store.liveSize(), "the 34 keys with a TTL of at most 200 ms are gone");
        assertEquals(34, expired.size());
        assertEquals(266, store.size());
        clock.advance(10_000);
        assertEquals(200, store.liveSize());
        assertEquals(100, expired.size());
    }

    @Test
    void shouldKeepWhatItHoldsAndReserveNothingNewWhileAboveALoweredCap() {
        store.close();
        store = new OffHeapStore(context(clock, 1 << 20).evictionPolicy(EvictionPolicy.NONE));
        final UnsafeBuffer value = bytes(filled(1_000, 1));
        int count = 0;
        while (store.nativeBytesReserved() < 512 * 1024) {
            assertEquals(INSERTED, put(store, bytes("key-" + count++), value, 0));
        }
        final long reserved = store.nativeBytesReserved();
        store.maxMemoryBytes(256 * 1024);
        assertEquals(256 * 1024, store.maxMemoryBytes());
        assertEquals(count, store.size(), "lowering the cap drops nothing");
        assertEquals(REPLACED, put(store, bytes("key-0"), bytes(filled(1_000, 2)), 0), "no new memory needed");
        int result = INSERTED;
        for (int i = 0; i < 100 && result == INSERTED; i++) {
            result = put(store, bytes("fresh-" + i), value, 0);
        }
        assertEquals(OffHeapStore.STORE_FULL, result, "a new chunk waits until the store is under its cap");
        assertEquals(reserved, store.nativeBytesReserved());
        assertThrows(IllegalArgumentException.class, () -> store.maxMemoryBytes(1024));
    }
}
