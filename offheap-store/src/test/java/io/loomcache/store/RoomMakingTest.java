package io.loomcache.store;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.loomcache.store.OffHeapStore.INSERTED;
import static io.loomcache.store.OffHeapStore.STORE_FULL;
import static io.loomcache.store.StoreFixtures.START_MS;
import static io.loomcache.store.StoreFixtures.bytes;
import static io.loomcache.store.StoreFixtures.clockAt;
import static io.loomcache.store.StoreFixtures.context;
import static io.loomcache.store.StoreFixtures.filled;
import static io.loomcache.store.StoreFixtures.getBytes;
import static io.loomcache.store.StoreFixtures.numberedKey;
import static io.loomcache.store.StoreFixtures.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a write makes room when its size class has no free block: chunk ids running out, a size class with no
 * chunk at all, and an update that can never fit. STORE_FULL must never follow evictions that could not help.
 */
class RoomMakingTest {
    private static final int KEY_LENGTH = 8;
    private static final int LARGE_VALUE_LENGTH = 1000;
    private static final int MAX_CHUNK_ID = 4;
    private static final int CHUNK_LENGTH = 4096;
    private static final int LARGE_PER_CHUNK =
        CHUNK_LENGTH / SizeClasses.blockLength(EntryDescriptor.entryLength(KEY_LENGTH, LARGE_VALUE_LENGTH));
    private static final int LARGE_ENTRIES = MAX_CHUNK_ID * LARGE_PER_CHUNK;

    private final ManualClock clock = clockAt(START_MS);
    private OffHeapStore store;

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void shouldEvictOneEntryOfTheSameSizeClassWhenChunkIdsRunOutUnderLru() {
        openWithFewChunkIds(EvictionPolicy.LRU);
        fillEveryChunkId();

        assertEquals(INSERTED, putLarge(LARGE_ENTRIES));

        assertEquals(1, store.counters().evictions());
        assertEquals(LARGE_ENTRIES, store.size());
        assertArrayEquals(filled(LARGE_VALUE_LENGTH, LARGE_ENTRIES), getBytes(store, key(LARGE_ENTRIES)));
    }

    @Test
    void shouldReclaimAWholeChunkForASizeClassWithoutChunksWhenChunkIdsRunOutUnderLru() {
        openWithFewChunkIds(EvictionPolicy.LRU);
        fillEveryChunkId();

        assertEquals(INSERTED, put(store, key(LARGE_ENTRIES), bytes(filled(100, 1)), 0));

        assertEquals(LARGE_PER_CHUNK, store.counters().evictions(), "the entries of one chunk");
        assertEquals(LARGE_ENTRIES - LARGE_PER_CHUNK + 1, store.size());
        assertArrayEquals(filled(100, 1), getBytes(store, key(LARGE_ENTRIES)));
    }

    @Test
    void shouldRefuseWithoutRemovingLiveEntriesWhenChunkIdsRunOutUnderNone() {
        openWithFewChunkIds(EvictionPolicy.NONE);
        fillEveryChunkId();
        final long used = store.usedBytes();

        assertEquals(STORE_FULL, putLarge(LARGE_ENTRIES));
        assertEquals(STORE_FULL, put(store, key(LARGE_ENTRIES), bytes(filled(100, 1)), 0));

        assertEquals(0, store.counters().evictions());
        assertEquals(LARGE_ENTRIES, store.size());
        assertEquals(used, store.usedBytes());
        for (int i = 0; i < LARGE_ENTRIES; i++) {
            assertArrayEquals(filled(LARGE_VALUE_LENGTH, i), getBytes(store, key(i)));
        }
    }

    @Test
    void shouldRefuseUpdateThatCannotFitBesideItsOldBlockBeforeEvictingAnything() {
        final long indexBytes = 16L * IndexDescriptor.SLOT_LENGTH;
        final int hugeBlockLength = 8192;
        final int smallBlockLength = SizeClasses.blockLength(EntryDescriptor.entryLength(KEY_LENGTH, 100));
        final long cap = indexBytes + hugeBlockLength + smallBlockLength - 8;
        store = new OffHeapStore(context(clock, cap)
            .evictionPolicy(EvictionPolicy.LRU).initialCapacity(16).maxCapacity(16));
        for (int i = 0; i < 6; i++) {
            assertEquals(INSERTED, put(store, key(i), bytes(filled(100, i)), 0));
        }
        final UnsafeBuffer huge = bytes(filled(hugeBlockLength - EntryDescriptor.HEADER_LENGTH - KEY_LENGTH, 77));

        assertEquals(STORE_FULL, put(store, key(0), huge, 0));

        assertEquals(0, store.counters().evictions());
        assertEquals(6, store.size());
        assertArrayEquals(filled(100, 0), getBytes(store, key(0)));
        assertEquals(INSERTED, put(store, key(6), huge, 0), "a new key of that size fits by evicting");
        assertEquals(6, store.counters().evictions(), "every small entry, each in its own chunk");
        assertTrue(store.nativeBytesReserved() <= cap);
    }

    private void openWithFewChunkIds(final EvictionPolicy policy) {
        store = new OffHeapStore(context(clock, 1 << 20)
            .evictionPolicy(policy)
            .chunkLength(CHUNK_LENGTH)
            .maxChunkId(MAX_CHUNK_ID));
    }

    private void fillEveryChunkId() {
        for (int i = 0; i < LARGE_ENTRIES; i++) {
            assertEquals(INSERTED, putLarge(i));
        }
        assertTrue(store.usedBytes() < (1 << 19), "bytes are not what runs out");
    }

    private int putLarge(final int number) {
        return put(store, key(number), bytes(filled(LARGE_VALUE_LENGTH, number)), 0);
    }

    private static UnsafeBuffer key(final int number) {
        return numberedKey(number, KEY_LENGTH);
    }
}
