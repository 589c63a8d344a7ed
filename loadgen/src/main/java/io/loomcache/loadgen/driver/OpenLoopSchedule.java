package io.loomcache.loadgen.driver;

/**
 * Fixed-rate schedule of an open-loop phase: {@code rate} requests per second overall, spread evenly over the
 * connections. Request {@code k} of connection {@code i} is due at
 * {@code startNs + (i + k * connections) * 1e9 / rate}: consecutive requests of the whole run are one interval
 * apart and round-robin over the connections. Latency is measured from this intended time, not from the actual
 * send, so a generator or server that falls behind cannot hide the wait (coordinated omission).
 * Immutable and thread-safe.
 */
public final class OpenLoopSchedule {
    private static final double NANOS_PER_SECOND = 1e9;

    private final long startNs;
    private final double ratePerSecond;
    private final double intervalNs;
    private final int connections;

    /**
     * Creates a schedule.
     *
     * @param startNs the phase start, {@link System#nanoTime()} ns.
     * @param ratePerSecond the offered load over all connections, requests per second, &gt; 0.
     * @param connections the number of connections sharing the load, &gt;= 1.
     */
    public OpenLoopSchedule(final long startNs, final double ratePerSecond, final int connections) {
        if (!(ratePerSecond > 0) || connections < 1) {
            throw new IllegalArgumentException("rate must be > 0 and connections >= 1: " + ratePerSecond + ", " +
                connections);
        }
        this.startNs = startNs;
        this.ratePerSecond = ratePerSecond;
        this.intervalNs = NANOS_PER_SECOND / ratePerSecond;
        this.connections = connections;
    }

    /**
     * The time a request is due.
     *
     * @param connectionIndex the connection's index over the whole run, 0 .. connections - 1.
     * @param sequence the request's number on that connection in this phase, from 0.
     * @return the intended send time, {@link System#nanoTime()} ns.
     */
    public long intendedSendNs(final int connectionIndex, final long sequence) {
        return startNs + (long)((connectionIndex + (double)sequence * connections) * NANOS_PER_SECOND / ratePerSecond);
    }

    /**
     * The gap between two consecutive requests over all connections.
     *
     * @return nanoseconds.
     */
    public double intervalNs() {
        return intervalNs;
    }

    /**
     * The gap between two consecutive requests of one connection.
     *
     * @return nanoseconds.
     */
    public double connectionIntervalNs() {
        return intervalNs * connections;
    }

    /**
     * The phase start.
     *
     * @return {@link System#nanoTime()} ns.
     */
    public long startNs() {
        return startNs;
    }
}
