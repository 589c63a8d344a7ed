package io.loomcache.raft;

/**
 * Monotonic time source of a Raft group. Production passes {@code System::nanoTime}; the simulation passes a fake
 * clock it advances itself (and may jump, to test leases).
 */
@FunctionalInterface
public interface Clock {
    /**
     * Reads the clock.
     *
     * @return monotonic time in nanoseconds; only differences are meaningful.
     */
    long nowNs();
}
