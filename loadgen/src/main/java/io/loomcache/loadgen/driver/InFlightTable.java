package io.loomcache.loadgen.driver;

/**
 * The requests of one connection that await a response: a fixed table of slots holding each request's start time
 * (send time, or intended send time in open loop) and kind, found again by correlation id in O(1). A correlation id
 * is {@code sequence << slotBits | slot} with a sequence that starts at 1 and grows, so an id is never 0 (the
 * handshake's) and a stale or unknown id is detected, not mistaken for a live one. Responses may complete in any
 * order with {@link #complete(long)}, or first-in first-out with {@link #completeOldest()} for protocols without ids;
 * one table uses one of the two. Single-threaded (the connection's I/O thread); allocates nothing after construction.
 */
public final class InFlightTable {
    /** Returned by {@link #acquire} when every slot is in use. */
    public static final long FULL = -1;
    /** Returned by {@link #complete} and {@link #completeOldest} when no request in flight matches. */
    public static final long NOT_IN_FLIGHT = Long.MIN_VALUE;

    private final int capacity;
    private final int slotBits;
    private final long slotMask;
    private final long[] correlationIds;
    private final long[] startNs;
    private final int[] kinds;
    private final int[] freeSlots;
    private final int[] fifo;
    private final int fifoMask;
    private int freeCount;
    private long fifoHead;
    private long fifoTail;
    private long sequence;
    private int lastKind;

    /**
     * Creates a table.
     *
     * @param capacity the most requests in flight at once, at least 1.
     */
    public InFlightTable(final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        this.slotBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(capacity - 1));
        this.slotMask = (1L << slotBits) - 1;
        this.correlationIds = new long[capacity];
        this.startNs = new long[capacity];
        this.kinds = new int[capacity];
        this.freeSlots = new int[capacity];
        this.fifo = new int[1 << slotBits];
        this.fifoMask = fifo.length - 1;
        for (int i = 0; i < capacity; i++) {
            freeSlots[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    /**
     * Takes a slot for a request about to be sent.
     *
     * @param requestStartNs the time latency is measured from, in {@link System#nanoTime()} ns.
     * @param kind the request's kind, returned by {@link #lastKind()} when it completes.
     * @return the correlation id to send (&gt; 0), or {@link #FULL}.
     */
    public long acquire(final long requestStartNs, final int kind) {
        if (freeCount == 0) {
            return FULL;
        }
        final int slot = freeSlots[--freeCount];
        final long correlationId = (++sequence << slotBits) | slot;
        correlationIds[slot] = correlationId;
        startNs[slot] = requestStartNs;
        kinds[slot] = kind;
        fifo[(int)(fifoTail++ & fifoMask)] = slot;
        return correlationId;
    }

    /**
     * Completes the request a response names.
     *
     * @param correlationId the id the response echoes.
     * @return the request's start time in ns, or {@link #NOT_IN_FLIGHT} when no request in flight has this id.
     */
    public long complete(final long correlationId) {
        final int slot = (int)(correlationId & slotMask);
        if (correlationId <= 0 || slot >= capacity || correlationIds[slot] != correlationId) {
            return NOT_IN_FLIGHT;
        }
        return release(slot);
    }

    /**
     * Completes the oldest request, for protocols that answer in order.
     *
     * @return the request's start time in ns, or {@link #NOT_IN_FLIGHT} when nothing is in flight.
     */
    public long completeOldest() {
        if (fifoHead == fifoTail) {
            return NOT_IN_FLIGHT;
        }
        return release(fifo[(int)(fifoHead++ & fifoMask)]);
    }

    private long release(final int slot) {
        correlationIds[slot] = 0;
        lastKind = kinds[slot];
        freeSlots[freeCount++] = slot;
        if (freeCount == capacity) {
            fifoHead = fifoTail;
        }
        return startNs[slot];
    }

    /**
     * The kind of the request completed last.
     *
     * @return the kind given to {@link #acquire}.
     */
    public int lastKind() {
        return lastKind;
    }

    /**
     * Forgets every request in flight (their connection failed).
     *
     * @return the number of requests abandoned.
     */
    public int clear() {
        final int abandoned = size();
        for (int i = 0; i < capacity; i++) {
            correlationIds[i] = 0;
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
        fifoHead = fifoTail;
        return abandoned;
    }

    /**
     * The number of requests in flight.
     *
     * @return 0 .. capacity.
     */
    public int size() {
        return capacity - freeCount;
    }

    /**
     * Tells whether no slot is free.
     *
     * @return true at capacity.
     */
    public boolean isFull() {
        return freeCount == 0;
    }

    /**
     * The most requests in flight at once.
     *
     * @return the capacity.
     */
    public int capacity() {
        return capacity;
    }
}
