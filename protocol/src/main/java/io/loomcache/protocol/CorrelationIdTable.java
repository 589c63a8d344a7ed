package io.loomcache.protocol;

/**
 * The correlation ids of the requests in flight on one connection, the one table the client and the load generator
 * share. An id is {@code sequence << slotBits | slot}: the slot (0 .. capacity - 1) finds the request in O(1) and
 * the whole id must match, so the late answer of a request that timed out never completes the newer request now
 * holding its slot; the sequence starts at 1, so an id is never 0 (the handshake's) nor negative. The table holds
 * only ids: each user keeps what it needs per request in its own arrays indexed by slot (the client a pending
 * request, the load generator a start time and a kind), so nothing is boxed and nothing is allocated after
 * construction. Not thread-safe: one owner (a connection's lock or its I/O thread).
 */
public final class CorrelationIdTable {
    /** Returned by {@link #acquire()} when every slot is taken. */
    public static final long FULL = -1;
    /** Returned by {@link #slotOf(long)} when no request in flight holds the id. */
    public static final int NO_SLOT = -1;

    private final long[] correlationIds;
    private final int[] freeSlots;
    private final int slotBits;
    private final long slotMask;
    private final long maxSequence;
    private int freeCount;
    private long nextSequence = 1;

    /**
     * Creates a table.
     *
     * @param capacity the most requests in flight at once, &gt;= 1.
     * @throws IllegalArgumentException when capacity is below 1.
     */
    public CorrelationIdTable(final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.slotBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(capacity - 1));
        this.slotMask = (1L << slotBits) - 1;
        this.maxSequence = Long.MAX_VALUE >>> slotBits;
        this.correlationIds = new long[capacity];
        this.freeSlots = new int[capacity];
        clear();
    }

    /**
     * Takes a slot for a request about to be sent.
     *
     * @return the request's correlation id (&gt; 0), whose slot is {@link #slotOf(long)}, or {@link #FULL}.
     */
    public long acquire() {
        if (freeCount == 0) {
            return FULL;
        }
        final int slot = freeSlots[--freeCount];
        final long sequence = nextSequence;
        nextSequence = sequence == maxSequence ? 1 : sequence + 1;
        final long correlationId = (sequence << slotBits) | slot;
        correlationIds[slot] = correlationId;
        return correlationId;
    }

    /**
     * Finds the slot of a request in flight.
     *
     * @param correlationId the id a response echoes.
     * @return the slot, or {@link #NO_SLOT} when no request in flight holds this id (stale, foreign or 0).
     */
    public int slotOf(final long correlationId) {
        final int slot = (int)(correlationId & slotMask);
        if (correlationId <= 0 || slot >= correlationIds.length || correlationIds[slot] != correlationId) {
            return NO_SLOT;
        }
        return slot;
    }

    /**
     * Frees the slot of a request in flight.
     *
     * @param slot a slot in use.
     */
    public void release(final int slot) {
        correlationIds[slot] = 0;
        freeSlots[freeCount++] = slot;
    }

    /**
     * Frees every slot, forgetting every request in flight.
     */
    public void clear() {
        final int capacity = freeSlots.length;
        for (int i = 0; i < capacity; i++) {
            correlationIds[i] = 0;
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    /**
     * The number of requests in flight.
     *
     * @return 0 .. capacity.
     */
    public int size() {
        return freeSlots.length - freeCount;
    }

    /**
     * Tells whether every slot is taken.
     *
     * @return true when {@link #acquire()} would return {@link #FULL}.
     */
    public boolean isFull() {
        return freeCount == 0;
    }

    /**
     * The most requests in flight at once.
     *
     * @return the capacity given at construction.
     */
    public int capacity() {
        return freeSlots.length;
    }
}
