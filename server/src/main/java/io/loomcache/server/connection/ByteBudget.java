package io.loomcache.server.connection;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A node-wide budget of bytes shared by one kind of memory (partial frames, connection buffers): reservations
 * succeed while the total stays within the capacity, by compare-and-set, and count the refusals for metrics.
 * Thread-safe, lock-free, allocation-free.
 */
final class ByteBudget {
    private final long capacityBytes;
    private final AtomicLong reservedBytes = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    /**
     * Creates a budget.
     *
     * @param capacityBytes the most bytes reserved at once.
     */
    ByteBudget(final long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /**
     * Reserves bytes if they fit.
     *
     * @param bytes to reserve.
     * @return true when reserved, false when they would pass the capacity (nothing reserved, nothing counted).
     */
    boolean tryReserve(final long bytes) {
        while (true) {
            final long reserved = reservedBytes.get();
            if (reserved + bytes > capacityBytes) {
                return false;
            }
            if (reservedBytes.compareAndSet(reserved, reserved + bytes)) {
                return true;
            }
        }
    }

    /**
     * Gives reserved bytes back.
     *
     * @param bytes reserved earlier.
     */
    void release(final long bytes) {
        reservedBytes.addAndGet(-bytes);
    }

    /** Counts a request refused for want of budget. */
    void refused() {
        refusals.incrementAndGet();
    }

    long reservedBytes() {
        return reservedBytes.get();
    }

    long capacityBytes() {
        return capacityBytes;
    }

    long refusals() {
        return refusals.get();
    }
}
