package io.loomcache.loadgen.driver;

import java.util.Arrays;

import io.loomcache.protocol.CorrelationIdTable;

/**
 * The requests of one connection that await a response: the shared {@link CorrelationIdTable} for the ids (never 0,
 * stale or unknown ids detected) and, per slot beside it, each request's start time (send time, or intended send
 * time in open loop) and kind. Responses may complete in any order with {@link #complete(long)}, or first-in
 * first-out with {@link #completeOldest()} for protocols without ids; one table uses one of the two. The id table
 * holds only primitives and this class only primitive arrays, so the hot loop neither allocates nor boxes; the
 * cost of sharing is one field load per call. A table made {@link #InFlightTable(int, boolean) for routing} also
 * keeps, per slot, the key, the link (node) the request went to, and its redirect and leader-wait counts, so that a
 * redirected request can be sent again and a lost link's requests found. Single-threaded (the connection's I/O
 * thread).
 */
public final class InFlightTable {
    /** Returned by {@link #acquire} when every slot is in use. */
    public static final long FULL = CorrelationIdTable.FULL;
    /** Returned by {@link #complete} and {@link #completeOldest} when no request in flight matches. */
    public static final long NOT_IN_FLIGHT = Long.MIN_VALUE;
    /** Returned by {@link #slotOf} when no request in flight holds the id. */
    public static final int NO_SLOT = CorrelationIdTable.NO_SLOT;
    /** {@link #link(int)} of a free slot, or of a routed request waiting to be sent again. */
    public static final int NO_LINK = -1;

    private final CorrelationIdTable ids;
    private final long[] startNs;
    private final int[] kinds;
    private final int[] fifo;
    private final int fifoMask;
    private final long[] keys;
    private final int[] valueLengths;
    private final int[] links;
    private final int[] redirects;
    private final int[] leaderWaits;
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
        this(capacity, false);
    }

    /**
     * Creates a table, with the per-slot routing fields when asked.
     *
     * @param capacity the most requests in flight at once, at least 1.
     * @param routing whether requests are routed over several links ({@link #route} and the slot accessors).
     * @throws IllegalArgumentException when capacity is below 1.
     */
    public InFlightTable(final int capacity, final boolean routing) {
        this.ids = new CorrelationIdTable(capacity);
        this.startNs = new long[capacity];
        this.kinds = new int[capacity];
        this.fifo = new int[Integer.highestOneBit((capacity - 1) | 1) << 1];
        this.fifoMask = fifo.length - 1;
        this.keys = routing ? new long[capacity] : null;
        this.valueLengths = routing ? new int[capacity] : null;
        this.links = routing ? new int[capacity] : null;
        this.redirects = routing ? new int[capacity] : null;
        this.leaderWaits = routing ? new int[capacity] : null;
        if (routing) {
            Arrays.fill(links, NO_LINK);
        }
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
        if (links != null) {
            links[slot] = NO_LINK;
        }
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
        if (links != null) {
            Arrays.fill(links, NO_LINK);
        }
        return abandoned;
    }

    /**
     * Records where a routed request went; the table must have been made for routing.
     *
     * @param correlationId the id {@link #acquire} returned.
     * @param keyIndex the request's key number, to send it again.
     * @param valueLength the length of its value, to send it again alike.
     * @param link the link (node index) it was written to.
     */
    public void route(final long correlationId, final long keyIndex, final int valueLength, final int link) {
        final int slot = ids.slotOf(correlationId);
        keys[slot] = keyIndex;
        valueLengths[slot] = valueLength;
        links[slot] = link;
        redirects[slot] = 0;
        leaderWaits[slot] = 0;
    }

    /**
     * Finds the slot of a request in flight without completing it.
     *
     * @param correlationId the id a response echoes.
     * @return the slot, or {@link #NO_SLOT}.
     */
    public int slotOf(final long correlationId) {
        return ids.slotOf(correlationId);
    }

    /**
     * The key of a routed request.
     *
     * @param slot a slot in use.
     * @return the key number.
     */
    public long key(final int slot) {
        return keys[slot];
    }

    /**
     * The value length of a routed request.
     *
     * @param slot a slot in use.
     * @return bytes.
     */
    public int valueLength(final int slot) {
        return valueLengths[slot];
    }

    /**
     * The kind of a request in flight.
     *
     * @param slot a slot in use.
     * @return the kind given to {@link #acquire}.
     */
    public int kind(final int slot) {
        return kinds[slot];
    }

    /**
     * The link a routed request was written to last.
     *
     * @param slot a slot.
     * @return the link, or {@link #NO_LINK} for a free slot or one waiting to be sent again.
     */
    public int link(final int slot) {
        return links[slot];
    }

    /**
     * Records the link a routed request is written to (again), or {@link #NO_LINK} while it waits.
     *
     * @param slot a slot in use.
     * @param link the link.
     */
    public void link(final int slot, final int link) {
        links[slot] = link;
    }

    /**
     * Counts one more redirect of a routed request.
     *
     * @param slot a slot in use.
     * @return the redirects so far, this one included.
     */
    public int redirected(final int slot) {
        return ++redirects[slot];
    }

    /**
     * Counts one more answer that no leader is known.
     *
     * @param slot a slot in use.
     * @return the answers so far, this one included.
     */
    public int leaderUnknown(final int slot) {
        return ++leaderWaits[slot];
    }

    /**
     * Completes a request by slot (a redirected request that is given up).
     *
     * @param slot a slot in use.
     * @return the request's start time in ns; {@link #lastKind()} tells its kind.
     */
    public long completeSlot(final int slot) {
        return release(slot);
    }

    /**
     * Forgets every request written to a link that failed.
     *
     * @param link the link.
     * @return the number of requests abandoned.
     */
    public int clearLink(final int link) {
        int abandoned = 0;
        for (int slot = 0; slot < links.length; slot++) {
            if (links[slot] == link) {
                release(slot);
                abandoned++;
            }
        }
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
