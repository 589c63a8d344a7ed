package io.loomcache.server.executor;

/**
 * Payload of the server's WAL records (the record type is one of the {@code TYPE_*} constants) and of the entries
 * of a store snapshot, which are {@link #TYPE_PUT} payloads laid end to end. The log holds effects, not commands:
 * a successful put-if-absent, replace or expire is a PUT, a failed one is not logged; a remove is a REMOVE whatever
 * it found, so that the key is absent after a restart whatever the log held for it before (e.g. a log written by a
 * version that did not log evictions). Keys the store drops by itself (evicted under the memory cap, or expired)
 * are logged as REMOVE too, as Redis appends a DEL for them, right after the record of the write during which the
 * store dropped them, if any. The expiry is an absolute epoch millisecond deadline (0 = none) so that a TTL keeps
 * running across a restart. Little-endian.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |              Expire At (int64, epoch ms, 0 = never)           |  0
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                       Key Length (int32)                      |  8
 * +---------------------------------------------------------------+
 * |                      Value Length (int32)                     |  12
 * +---------------------------------------------------------------+
 * |                     Key ...      |      Value ...             |  16
 * +---------------------------------------------------------------+
 * </pre>
 * PUT carries all fields; EXPIRE carries the deadline and key (value length 0); REMOVE the key; CLEAR nothing
 * (both lengths 0).
 */
public final class WalRecordDescriptor {
    /** Record type: the key now holds the value with the deadline. */
    public static final int TYPE_PUT = 1;
    /** Record type: the key was removed, or dropped by the store (evicted, expired). */
    public static final int TYPE_REMOVE = 2;
    /**
     * Record type: the key's deadline changed. Replayed but no longer written: replay may drop the key's PUT as
     * expired before it meets the EXPIRE that extended it, so MAP_EXPIRE now logs a PUT with the value.
     */
    public static final int TYPE_EXPIRE = 3;
    /** Record type: every key of this executor was removed. */
    public static final int TYPE_CLEAR = 4;

    /** Offset of the absolute deadline. */
    public static final int EXPIRE_AT_MS_OFFSET = 0;
    /** Length of the deadline. */
    public static final int EXPIRE_AT_MS_LENGTH = Long.BYTES;
    /** Offset of the key length. */
    public static final int KEY_LENGTH_OFFSET = EXPIRE_AT_MS_OFFSET + EXPIRE_AT_MS_LENGTH;
    /** Length of the key length field. */
    public static final int KEY_LENGTH_LENGTH = Integer.BYTES;
    /** Offset of the value length. */
    public static final int VALUE_LENGTH_OFFSET = KEY_LENGTH_OFFSET + KEY_LENGTH_LENGTH;
    /** Length of the value length field. */
    public static final int VALUE_LENGTH_LENGTH = Integer.BYTES;
    /** Offset of the key bytes; the value follows the key. */
    public static final int KEY_OFFSET = VALUE_LENGTH_OFFSET + VALUE_LENGTH_LENGTH;
    /** Length of the fixed part. */
    public static final int HEADER_LENGTH = KEY_OFFSET;

    private WalRecordDescriptor() {
    }

    /**
     * The payload length of a record.
     *
     * @param keyLength key bytes.
     * @param valueLength value bytes.
     * @return bytes.
     */
    public static int length(final int keyLength, final int valueLength) {
        return HEADER_LENGTH + keyLength + valueLength;
    }
}
