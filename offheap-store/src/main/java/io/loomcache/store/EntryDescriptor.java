package io.loomcache.store;

import org.agrona.DirectBuffer;

/**
 * Layout of one entry in a slab block (little-endian, native memory, block start 8-byte aligned).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Expire At (epoch ms, 0 = never)              |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |       Access word of the eviction policy (see below)          |
 *  +---------------------------------------------------------------+
 *  |                          Key Length                           |
 *  +---------------------------------------------------------------+
 *  |                         Value Length                          |
 *  +---------------------------------------------------------------+
 *  |                          Key bytes                          ...
 *  +---------------------------------------------------------------+
 *  |                         Value bytes                         ...
 *  +---------------------------------------------------------------+
 * </pre>
 * The entry is followed by up to one size-class step of unused bytes in its block.
 * <p>
 * The access word, as the eviction policy writes it (NONE leaves it 0):
 * <pre>
 *  LRU:
 *   31                                                            0
 *  +---------------------------------------------------------------+
 *  |   Last access: monotonic ms since the store started (wraps)   |
 *  +---------------------------------------------------------------+
 *  LFU:
 *   31                                            8 7             0
 *  +-----------------------------------------------+---------------+
 *  |  Decay period of the last access (24 bits)    |  Log counter  |
 *  +-----------------------------------------------+---------------+
 * </pre>
 * The LRU word wraps after about 49 days; idle times are its unsigned differences. The LFU period is the
 * monotonic ms of the last access divided by the decay period, modulo 2^24.
 */
public final class EntryDescriptor {
    /**
     * Offset of the absolute expiry time in epoch milliseconds; 0 means the entry never expires.
     */
    public static final int EXPIRE_AT_MS_OFFSET = 0;

    /**
     * Length of the expiry time field.
     */
    public static final int EXPIRE_AT_MS_LENGTH = Long.BYTES;

    /**
     * Offset of the access word of the eviction policy: LRU clock or LFU counter (layout in the class doc).
     */
    public static final int ACCESS_OFFSET = EXPIRE_AT_MS_OFFSET + EXPIRE_AT_MS_LENGTH;

    /**
     * Length of the access word.
     */
    public static final int ACCESS_LENGTH = Integer.BYTES;

    /**
     * Bit position of the LFU counter in the access word.
     */
    public static final int LFU_COUNTER_SHIFT = 0;

    /**
     * Bits of the LFU counter in the access word.
     */
    public static final int LFU_COUNTER_BITS = 8;

    /**
     * Mask of the LFU counter once shifted down; also the largest counter.
     */
    public static final int LFU_COUNTER_MASK = (1 << LFU_COUNTER_BITS) - 1;

    /**
     * Bit position of the LFU decay period in the access word, right above the counter.
     */
    public static final int LFU_PERIOD_SHIFT = LFU_COUNTER_SHIFT + LFU_COUNTER_BITS;

    /**
     * Bits of the LFU decay period in the access word: the rest of the word.
     */
    public static final int LFU_PERIOD_BITS = ACCESS_LENGTH * Byte.SIZE - LFU_PERIOD_SHIFT;

    /**
     * Mask of the LFU decay period once shifted down.
     */
    public static final int LFU_PERIOD_MASK = (1 << LFU_PERIOD_BITS) - 1;

    /**
     * Offset of the key length in bytes.
     */
    public static final int KEY_LENGTH_OFFSET = ACCESS_OFFSET + ACCESS_LENGTH;

    /**
     * Length of the key length field.
     */
    public static final int KEY_LENGTH_LENGTH = Integer.BYTES;

    /**
     * Offset of the value length in bytes.
     */
    public static final int VALUE_LENGTH_OFFSET = KEY_LENGTH_OFFSET + KEY_LENGTH_LENGTH;

    /**
     * Length of the value length field.
     */
    public static final int VALUE_LENGTH_LENGTH = Integer.BYTES;

    /**
     * Length of the fixed header before the key bytes.
     */
    public static final int HEADER_LENGTH = VALUE_LENGTH_OFFSET + VALUE_LENGTH_LENGTH;

    /**
     * Offset of the first key byte.
     */
    public static final int KEY_OFFSET = HEADER_LENGTH;

    private EntryDescriptor() {
    }

    /**
     * Offset of the first value byte of an entry.
     *
     * @param keyLength of the entry's key in bytes.
     * @return offset of the value from the start of the entry.
     */
    public static int valueOffset(final int keyLength) {
        return KEY_OFFSET + keyLength;
    }

    /**
     * Bytes an entry occupies before rounding to its size class.
     *
     * @param keyLength   in bytes.
     * @param valueLength in bytes.
     * @return header plus key plus value length.
     */
    public static int entryLength(final int keyLength, final int valueLength) {
        return HEADER_LENGTH + keyLength + valueLength;
    }

    /**
     * Whether an entry's TTL has run out: it is gone from {@code expireAtMs} on.
     *
     * @param entry buffer wrapped over the entry.
     * @param nowMs epoch time now.
     * @return true when the entry has an expiry time and it is not after {@code nowMs}.
     */
    public static boolean isExpired(final DirectBuffer entry, final long nowMs) {
        final long expireAtMs = entry.getLong(EXPIRE_AT_MS_OFFSET);
        return 0 != expireAtMs && nowMs >= expireAtMs;
    }

    /**
     * Compose an LFU access word.
     *
     * @param period  decay period of the access; only its low {@link #LFU_PERIOD_BITS} bits are kept.
     * @param counter logarithmic access counter, 0 to {@link #LFU_COUNTER_MASK}.
     * @return the access word.
     */
    public static int lfuAccess(final long period, final int counter) {
        final int periodBits = (int)(period & LFU_PERIOD_MASK) << LFU_PERIOD_SHIFT;
        return periodBits | ((counter & LFU_COUNTER_MASK) << LFU_COUNTER_SHIFT);
    }

    /**
     * LFU counter held by an access word.
     *
     * @param access word of an entry under LFU.
     * @return the counter, 0 to {@link #LFU_COUNTER_MASK}.
     */
    public static int lfuCounter(final int access) {
        return (access >>> LFU_COUNTER_SHIFT) & LFU_COUNTER_MASK;
    }

    /**
     * LFU decay period held by an access word.
     *
     * @param access word of an entry under LFU.
     * @return the period modulo 2^{@link #LFU_PERIOD_BITS}.
     */
    public static int lfuPeriod(final int access) {
        return (access >>> LFU_PERIOD_SHIFT) & LFU_PERIOD_MASK;
    }
}
