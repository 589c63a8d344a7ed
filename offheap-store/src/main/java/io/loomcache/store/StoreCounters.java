package io.loomcache.store;

import org.agrona.concurrent.UnsafeBuffer;

import static io.loomcache.store.CountersDescriptor.COUNTERS_LENGTH;
import static io.loomcache.store.CountersDescriptor.EXPIRATIONS_OFFSET;
import static io.loomcache.store.CountersDescriptor.HITS_OFFSET;
import static io.loomcache.store.CountersDescriptor.LFU_EVICTIONS_OFFSET;
import static io.loomcache.store.CountersDescriptor.LRU_EVICTIONS_OFFSET;
import static io.loomcache.store.CountersDescriptor.MISSES_OFFSET;
import static io.loomcache.store.CountersDescriptor.RESERVED_BYTES_OFFSET;
import static io.loomcache.store.CountersDescriptor.SIZE_OFFSET;
import static io.loomcache.store.CountersDescriptor.USED_BYTES_OFFSET;

/**
 * Statistics of one {@link OffHeapStore} laid out by {@link CountersDescriptor}. The store's owner thread is the
 * only writer (release stores); the getters may be called from any thread (acquire loads), e.g. by a metrics
 * exporter. Counts are cumulative since the store was created and survive {@link OffHeapStore#clear()}.
 */
public final class StoreCounters {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[COUNTERS_LENGTH]);

    StoreCounters() {
    }

    /**
     * Gets that found a live value, since creation.
     *
     * @return the hit count.
     */
    public long hits() {
        return buffer.getLongVolatile(HITS_OFFSET);
    }

    /**
     * Gets that found no live value, since creation.
     *
     * @return the miss count.
     */
    public long misses() {
        return buffer.getLongVolatile(MISSES_OFFSET);
    }

    /**
     * Entries evicted by the LRU policy, since creation.
     *
     * @return the LRU eviction count.
     */
    public long lruEvictions() {
        return buffer.getLongVolatile(LRU_EVICTIONS_OFFSET);
    }

    /**
     * Entries evicted by the LFU policy, since creation.
     *
     * @return the LFU eviction count.
     */
    public long lfuEvictions() {
        return buffer.getLongVolatile(LFU_EVICTIONS_OFFSET);
    }

    /**
     * Entries evicted by any policy, since creation.
     *
     * @return the eviction count.
     */
    public long evictions() {
        return lruEvictions() + lfuEvictions();
    }

    /**
     * Entries removed because their TTL ran out (on access, by sweep or while making room), since creation.
     *
     * @return the expiration count.
     */
    public long expirations() {
        return buffer.getLongVolatile(EXPIRATIONS_OFFSET);
    }

    /**
     * Entries held, as last published by the owner thread.
     *
     * @return the entry count.
     */
    public long size() {
        return buffer.getLongVolatile(SIZE_OFFSET);
    }

    /**
     * Bytes accounted against the memory cap, as last published by the owner thread.
     *
     * @return used bytes.
     */
    public long usedBytes() {
        return buffer.getLongVolatile(USED_BYTES_OFFSET);
    }

    /**
     * Native bytes reserved by the store, as last published by the owner thread.
     *
     * @return reserved bytes.
     */
    public long reservedBytes() {
        return buffer.getLongVolatile(RESERVED_BYTES_OFFSET);
    }

    void increment(final int offset) {
        buffer.putLongRelease(offset, buffer.getLong(offset) + 1);
    }

    void publishGauges(final long size, final long usedBytes, final long reservedBytes) {
        buffer.putLongRelease(SIZE_OFFSET, size);
        buffer.putLongRelease(USED_BYTES_OFFSET, usedBytes);
        buffer.putLongRelease(RESERVED_BYTES_OFFSET, reservedBytes);
    }
}
