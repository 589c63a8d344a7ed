package io.loomcache.loadgen.driver;

/**
 * One stretch of a run with its own statistics: the handshake, the keyspace preload, a warm-up, the measurement,
 * or one step of the watermark scenario. A phase ends at its deadline, or once its request quota is sent and
 * answered, whichever comes first. Immutable.
 *
 * @param name the label shown in progress lines and reports.
 * @param kind {@link #HANDSHAKE}, {@link #PRELOAD} or {@link #LOAD}.
 * @param rateOpsPerSec the open-loop offered load over all connections, or 0 for a closed loop.
 * @param maxDurationNs the deadline after the phase start, in ns.
 * @param requestQuota the requests to send over all connections, or {@link #UNBOUNDED}.
 */
public record Phase(String name, int kind, double rateOpsPerSec, long maxDurationNs, long requestQuota) {
    /** Kind: send each connection's handshake and wait for its answer. */
    public static final int HANDSHAKE = 0;
    /** Kind: write every key once, in order, closed loop. */
    public static final int PRELOAD = 1;
    /** Kind: the configured mix of reads and writes on random keys. */
    public static final int LOAD = 2;
    /** Request quota meaning no quota: the phase runs to its deadline. */
    public static final long UNBOUNDED = -1;

    /**
     * Tells whether the phase paces requests on a fixed-rate schedule.
     *
     * @return true for an open loop.
     */
    public boolean openLoop() {
        return rateOpsPerSec > 0;
    }

    /**
     * Tells whether the phase ends after a number of requests.
     *
     * @return true when a quota is set.
     */
    public boolean bounded() {
        return requestQuota != UNBOUNDED;
    }
}
