package io.loomcache.client;

import java.util.List;

/**
 * The requests in flight on one connection, indexed by correlation id in O(1) without allocation. A correlation id
 * is {@code sequence << slotBits | slot}: the slot finds the entry and the whole id must match, so that the late
 * answer of a request that timed out never completes the newer request now holding its slot. Not thread-safe: the
 * owning {@link Connection} guards it with its lock.
 */
final class InFlightTable {
    /** Returned by {@link #register(PendingRequest)} when every slot is taken. */
    static final long NO_SLOT = -1;

    private final PendingRequest<?>[] requests;
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
     * @param capacity the maximum of requests in flight, &gt;= 1.
     */
    InFlightTable(final int capacity) {
        final int slots = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.slotBits = Integer.numberOfTrailingZeros(slots);
        this.slotMask = slots - 1L;
        this.maxSequence = Long.MAX_VALUE >>> slotBits;
        this.requests = new PendingRequest<?>[slots];
        this.correlationIds = new long[slots];
        this.freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeSlots[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    /**
     * Takes a slot for a request.
     *
     * @param request the request.
     * @return its new correlation id (positive), or {@link #NO_SLOT} when full.
     */
    long register(final PendingRequest<?> request) {
        if (freeCount == 0) {
            return NO_SLOT;
        }
        final int slot = freeSlots[--freeCount];
        final long sequence = nextSequence;
        nextSequence = sequence == maxSequence ? 1 : sequence + 1;
        final long correlationId = (sequence << slotBits) | slot;
        requests[slot] = request;
        correlationIds[slot] = correlationId;
        return correlationId;
    }

    /**
     * Removes the request holding a correlation id.
     *
     * @param correlationId the id echoed by a response.
     * @return the request, or null when none holds that id (it timed out, or the id is foreign).
     */
    PendingRequest<?> remove(final long correlationId) {
        final int slot = (int)(correlationId & slotMask);
        final PendingRequest<?> request = requests[slot];
        if (correlationId <= 0 || request == null || correlationIds[slot] != correlationId) {
            return null;
        }
        release(slot);
        return request;
    }

    /**
     * Removes every request whose deadline has passed.
     *
     * @param nowNs the current {@link System#nanoTime()}.
     * @param expired receives the removed requests.
     * @return the number removed.
     */
    int removeExpired(final long nowNs, final List<PendingRequest<?>> expired) {
        int count = 0;
        for (int slot = 0; slot < requests.length; slot++) {
            final PendingRequest<?> request = requests[slot];
            if (request != null && nowNs - request.deadlineNs() >= 0) {
                release(slot);
                expired.add(request);
                count++;
            }
        }
        return count;
    }

    /**
     * Removes every request, for a connection that is closing.
     *
     * @param removed receives the removed requests.
     */
    void removeAll(final List<PendingRequest<?>> removed) {
        for (int slot = 0; slot < requests.length; slot++) {
            final PendingRequest<?> request = requests[slot];
            if (request != null) {
                release(slot);
                removed.add(request);
            }
        }
    }

    private void release(final int slot) {
        requests[slot] = null;
        correlationIds[slot] = 0;
        freeSlots[freeCount++] = slot;
    }

    /**
     * The number of requests in flight.
     *
     * @return 0..capacity.
     */
    int size() {
        return freeSlots.length - freeCount;
    }

    /**
     * Tells whether a slot is free.
     *
     * @return true when {@link #register(PendingRequest)} would succeed.
     */
    boolean hasFreeSlot() {
        return freeCount > 0;
    }

    /**
     * The maximum of requests in flight.
     *
     * @return the capacity given at construction.
     */
    int capacity() {
        return freeSlots.length;
    }
}
