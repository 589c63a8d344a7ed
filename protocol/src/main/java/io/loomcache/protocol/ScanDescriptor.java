package io.loomcache.protocol;

/**
 * Layout of MAP_SCAN's int64 argument and of its answer. A scan walks one executor's store at a time; the request is
 * addressed to that executor (not routed by key) and carries where the walk is and how much to look at:
 * <pre>
 *  63 62           48 47            32 31                                  0
 * +--+---------------+----------------+------------------------------------+
 * |0 |  executor     |  count         |  store cursor (int32)              |
 * +--+---------------+----------------+------------------------------------+
 * </pre>
 * The count is how many store positions to look at (Redis SCAN's COUNT, a hint of work; 0 = the whole store, as
 * far as one answer can hold the keys). The answer is a RESPONSE_VALUE whose value is the int32 store cursor to
 * continue from ({@link #DONE} once the executor's whole store has been passed) followed by the keys found, each an
 * int32 length and the key's bytes. A key live during the whole walk is found exactly once; one written or removed
 * meanwhile may or may not be (the store's walk, {@code OffHeapStore.forEachEntryFrom}).
 */
public final class ScanDescriptor {
    /** The store cursor of a request that starts a walk (as Redis's cursor 0). */
    public static final int START = 0;
    /** The store cursor of an answer once the walk has passed the whole store (as Redis's cursor 0). */
    public static final int DONE = 0;
    /** The most executors a scan addresses. */
    public static final int MAX_EXECUTOR = 0x7FFF;
    /** The largest count. */
    public static final int MAX_COUNT = 0xFFFF;
    /** Offset of the next store cursor in the answer's value. */
    public static final int NEXT_CURSOR_OFFSET = 0;
    /** Offset of the first key entry in the answer's value. */
    public static final int KEYS_OFFSET = Integer.BYTES;

    private ScanDescriptor() {
    }

    /**
     * Packs the argument.
     *
     * @param executor 0 to {@link #MAX_EXECUTOR}.
     * @param count 0 to {@link #MAX_COUNT}.
     * @param storeCursor {@link #START} or a cursor an answer gave.
     * @return the argument.
     */
    public static long argument(final int executor, final int count, final int storeCursor) {
        return ((long)executor << 48) | ((long)count << 32) | (storeCursor & 0xFFFF_FFFFL);
    }

    /**
     * The executor of an argument.
     *
     * @param argument the argument.
     * @return the executor index.
     */
    public static int executor(final long argument) {
        return (int)(argument >>> 48) & MAX_EXECUTOR;
    }

    /**
     * The count of an argument.
     *
     * @param argument the argument.
     * @return 0 to {@link #MAX_COUNT}.
     */
    public static int count(final long argument) {
        return (int)(argument >>> 32) & MAX_COUNT;
    }

    /**
     * The store cursor of an argument.
     *
     * @param argument the argument.
     * @return the cursor.
     */
    public static int storeCursor(final long argument) {
        return (int)argument;
    }
}
