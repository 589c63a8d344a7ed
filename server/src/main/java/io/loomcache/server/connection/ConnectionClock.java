package io.loomcache.server.connection;

/**
 * The monotonic millisecond clock of connection deadlines (slowloris, slow consumer, drain); never the epoch clock
 * that TTLs use, so a test clock or a wall-clock step cannot fire them. Thread-safe.
 */
public final class ConnectionClock {
    private static final long NANOS_PER_MS = 1_000_000L;

    private ConnectionClock() {
    }

    /**
     * Monotonic milliseconds.
     *
     * @return ms since an arbitrary origin, never 0 in practice.
     */
    public static long nowMs() {
        return System.nanoTime() / NANOS_PER_MS;
    }
}
