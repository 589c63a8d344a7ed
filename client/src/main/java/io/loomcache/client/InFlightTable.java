package io.loomcache.client;

import java.util.List;

import io.loomcache.protocol.CorrelationIdTable;

/**
 * The requests in flight on one connection: a {@link CorrelationIdTable} for the ids (a stale or foreign id never
 * matches) and the pending request of each slot beside it, found in O(1) without allocation. Not thread-safe: the
 * owning {@link Connection} guards it with its lock.
 */
final class InFlightTable {
    /** Returned by {@link #register(PendingRequest)} when every slot is taken. */
    static final long NO_SLOT = CorrelationIdTable.FULL;

    private final CorrelationIdTable ids;
    private final PendingRequest<?>[] requests;

    /**
     * Creates a table.
     *
     * @param capacity the maximum of requests in flight, &gt;= 1.
     */
    InFlightTable(final int capacity) {
        this.ids = new CorrelationIdTable(capacity);
        this.requests = new PendingRequest<?>[capacity];
    }

    /**
     * Takes a slot for a request.
     *
     * @param request the request.
     * @return its new correlation id (positive), or {@link #NO_SLOT} when full.
     */
    long register(final PendingRequest<?> request) {
        final long correlationId = ids.acquire();
        if (correlationId != CorrelationIdTable.FULL) {
            requests[ids.slotOf(correlationId)] = request;
        }
        return correlationId;
    }

    /**
     * Removes the request holding a correlation id.
     *
     * @param correlationId the id echoed by a response.
     * @return the request, or null when none holds that id (it timed out, or the id is foreign).
     */
    PendingRequest<?> remove(final long correlationId) {
        final int slot = ids.slotOf(correlationId);
        return slot == CorrelationIdTable.NO_SLOT ? null : release(slot);
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
                expired.add(release(slot));
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
            if (requests[slot] != null) {
                removed.add(release(slot));
            }
        }
    }

    private PendingRequest<?> release(final int slot) {
        final PendingRequest<?> request = requests[slot];
        requests[slot] = null;
        ids.release(slot);
        return request;
    }

    /**
     * The number of requests in flight.
     *
     * @return 0..capacity.
     */
    int size() {
        return ids.size();
    }

    /**
     * Tells whether a slot is free.
     *
     * @return true when {@link #register(PendingRequest)} would succeed.
     */
    boolean hasFreeSlot() {
        return !ids.isFull();
    }

    /**
     * The maximum of requests in flight.
     *
     * @return the capacity given at construction.
     */
    int capacity() {
        return ids.capacity();
    }
}
