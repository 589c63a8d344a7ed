package io.loomcache.store;

/**
 * Layout of the {@link StoreCounters} buffer: 64-bit little-endian words, each written by the store's owner
 * thread with release semantics and read by any thread with acquire semantics.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Hits (get found a value)                  |
 *  +---------------------------------------------------------------+
 *  |                    Misses (get found nothing)                 |
 *  +---------------------------------------------------------------+
 *  |                         LRU evictions                         |
 *  +---------------------------------------------------------------+
 *  |                         LFU evictions                         |
 *  +---------------------------------------------------------------+
 *  |                   Expirations (lazy and swept)                |
 *  +---------------------------------------------------------------+
 *  |                        Size (entries)                         |
 *  +---------------------------------------------------------------+
 *  |                     Used bytes (accounted)                    |
 *  +---------------------------------------------------------------+
 *  |                    Native bytes reserved                      |
 *  +---------------------------------------------------------------+
 * </pre>
 * Each row is one 8-byte word.
 */
public final class CountersDescriptor {
    /**
     * Length of every counter word.
     */
    public static final int COUNTER_LENGTH = Long.BYTES;

    /**
     * Offset of the hit count.
     */
    public static final int HITS_OFFSET = 0;

    /**
     * Offset of the miss count.
     */
    public static final int MISSES_OFFSET = HITS_OFFSET + COUNTER_LENGTH;

    /**
     * Offset of the count of entries evicted under the LRU policy.
     */
    public static final int LRU_EVICTIONS_OFFSET = MISSES_OFFSET + COUNTER_LENGTH;

    /**
     * Offset of the count of entries evicted under the LFU policy.
     */
    public static final int LFU_EVICTIONS_OFFSET = LRU_EVICTIONS_OFFSET + COUNTER_LENGTH;

    /**
     * Offset of the count of entries removed because their TTL ran out.
     */
    public static final int EXPIRATIONS_OFFSET = LFU_EVICTIONS_OFFSET + COUNTER_LENGTH;

    /**
     * Offset of the entry count.
     */
    public static final int SIZE_OFFSET = EXPIRATIONS_OFFSET + COUNTER_LENGTH;

    /**
     * Offset of the bytes accounted against the memory cap.
     */
    public static final int USED_BYTES_OFFSET = SIZE_OFFSET + COUNTER_LENGTH;

    /**
     * Offset of the native bytes reserved by the store.
     */
    public static final int RESERVED_BYTES_OFFSET = USED_BYTES_OFFSET + COUNTER_LENGTH;

    /**
     * Length of the whole counters buffer.
     */
    public static final int COUNTERS_LENGTH = RESERVED_BYTES_OFFSET + COUNTER_LENGTH;

    private CountersDescriptor() {
    }
}
