package io.loomcache.server.connection;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of buffers under a node-wide budget of bytes shared by one kind of memory (partial frames, connection
 * buffers): everything leased plus everything pooled stays within the capacity, reserved by compare-and-set;
 * a reservation that does not fit drops pooled buffers first ({@link #dropOnePooled()}) and is refused (counted
 * for metrics) when none is left. Thread-safe, lock-free, allocation-free.
 */
public abstract class BudgetedPool {
    private final long capacityBytes;
    private final AtomicLong reservedBytes = new AtomicLong();
    private final AtomicLong leasedBytes = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    /**
     * Creates a pool with nothing reserved.
     *
     * @param capacityBytes the most bytes reserved at once.
     */
    BudgetedPool(final long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /**
     * Reserves bytes for a new buffer, dropping pooled buffers to make room.
     *
     * @param bytes to reserve.
     * @return true when reserved, false (counted as a refusal) when they do not fit even with the pools empty.
     */
    final boolean reserve(final int bytes) {
        while (!tryReserve(bytes)) {
            if (!dropOnePooled()) {
                refusals.incrementAndGet();
                return false;
            }
        }
        return true;
    }

    private boolean tryReserve(final long bytes) {
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
     * Drops one pooled (not leased) buffer and gives its bytes back with {@link #releaseBytes}.
     *
     * @return false when the pools hold nothing.
     */
    abstract boolean dropOnePooled();

    /**
     * Gives reserved bytes back (a buffer dropped or left to the garbage collector).
     *
     * @param bytes reserved earlier.
     */
    final void releaseBytes(final long bytes) {
        reservedBytes.addAndGet(-bytes);
    }

    /**
     * Counts bytes handed out (positive) or handed back (negative).
     *
     * @param bytes the change.
     */
    final void leased(final long bytes) {
        leasedBytes.addAndGet(bytes);
    }

    /**
     * Counts a buffer handed back, and gives its bytes back to the budget unless it was pooled.
     *
     * @param bytes the buffer's length.
     * @param pooled whether the buffer went back into a pool.
     */
    final void returned(final int bytes, final boolean pooled) {
        leasedBytes.addAndGet(-bytes);
        if (!pooled) {
            releaseBytes(bytes);
        }
    }

    /**
     * Bytes leased out now (held by connections).
     *
     * @return bytes.
     */
    public long leasedBytes() {
        return leasedBytes.get();
    }

    /**
     * Bytes counted against the budget: leased plus pooled.
     *
     * @return bytes.
     */
    public long reservedBytes() {
        return reservedBytes.get();
    }

    /**
     * The budget.
     *
     * @return bytes.
     */
    public long budgetBytes() {
        return capacityBytes;
    }

    /**
     * Leases refused for want of budget, since start.
     *
     * @return the count.
     */
    public long refusals() {
        return refusals.get();
    }
}
