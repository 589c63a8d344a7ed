package io.loomcache.loadgen.driver;

import io.loomcache.protocol.CorrelationIdTable;

/**
 * The requests of one connection that await a response: the shared {@link CorrelationIdTable} for the ids (never 0,
 * stale or unknown ids detected) and, per slot beside it, each request's start time (send time, or intended send
 * time in open loop) and kind. Responses may complete in any order with {@link #complete(long)}, or first-in
 * first-out with {@link #completeOldest()} for protocols without ids; one table uses one of the two. The id table
 * holds only primitives and this class only primitive arrays, so the hot loop neither allocates nor boxes; the
 * cost of sharing is one field load per call. Single-threaded (the connection's I/O thread).
 */
public final class InFlightTable {
    /** Returned by {@link #acquire} when every slot is in use. */
    public static final long FULL = CorrelationIdTable.FULL;
    /** Returned by {@link #complete} and {@link #completeOldest} when no request in flight matches. */
    public static final long NOT_IN_FLIGHT = Long.MIN_VALUE;

    private final CorrelationIdTable ids;
    private final long[] startNs;
    private final int[] kinds;
    private final int[] fifo;
    private final int fifoMask;
    private long fifoHead;
    private long fifoTail;
    private int lastKind;

    /**
     * Creates a table.
     *
     * @param capacity the most requests in flight at once, at least 1.
     * @throws IllegalArgumentException when capacity is below 1.
     */
    public InFlightTable(final int capacity) {
        this.ids = new CorrelationIdTable(capacity);
        this.startNs = new long[capacity];
        this.kinds = new int[capacity];
        this.fifo = new int[Integer.highestOneBit((capacity - 1) | 1) << 1];
        this.fifoMask = fifo.length - 1;
    }

    /**
     * Takes a slot for a request about to be sent.
     *
     * @param requestStartNs the time latency is measured from, in {@link System#nanoTime()} ns.
     * @param kind the request's kind, returned by {@link #lastKind()} when it completes.
     * @return the correlation id to send (&gt; 0), or {@link #FULL}.
     */
    public long acquire(final long requestStartNs, final int kind) {
        final long correlationId = ids.acquire();
        if (correlationId == FULL) {
            return FULL;
        }
        final int slot = ids.slotOf(correlationId);
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
        final int slot = ids.slotOf(correlationId);
        return slot == CorrelationIdTable.NO_SLOT ? NOT_IN_FLIGHT : release(slot);
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
        ids.release(slot);
        lastKind = kinds[slot];
        if (ids.size() == 0) {
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
        final int abandoned = ids.size();
        ids.clear();
        fifoHead = fifoTail;
        return abandoned;
    }

    /**
     * The number of requests in flight.
     *
     * @return 0 .. capacity.
     */
    public int size() {
        return ids.size();
    }

    /**
     * Tells whether no slot is free.
     *
     * @return true at capacity.
     */
    public boolean isFull() {
        return ids.isFull();
    }
}
