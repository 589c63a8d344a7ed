package io.loomcache.server.backpressure;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Low/high watermark controller over the node's load, the largest of (a) the fullest executor request ring's
 * occupancy, (b) unsent response bytes of all connections over the outbound budget and (c) the longest time a
 * request waited in an executor's ring over the queue-delay budget, all as fractions. (c) is what trips under an
 * offered load the executors cannot serve: the ring is sized for large frames and holds far more small requests
 * than a latency-sensitive client should wait behind.
 * Levels: {@link #NORMAL} below the low mark; {@link #THROTTLED} between the marks (new connections are accepted
 * with a delay); {@link #BUSY} from the high mark until the load falls below the low mark again (hysteresis):
 * new connections are refused with RESPONSE_SERVER_BUSY and new requests are answered RESPONSE_SERVER_BUSY instead
 * of queueing. {@link #SHUTTING_DOWN} once draining starts, for good: the conductor changes the level only by
 * compare-and-set from the level it read, so a reading taken just before shutdown cannot overwrite it. The conductor
 * thread updates; any thread reads one volatile int.
 */
public final class BackpressureController {
    /** Admit everything. */
    public static final int NORMAL = 0;
    /** Admit requests; delay accepts. */
    public static final int THROTTLED = 1;
    /** Refuse new requests and connections with SERVER_BUSY. */
    public static final int BUSY = 2;
    /** The node is shutting down: refuse with SHUTTING_DOWN. */
    public static final int SHUTTING_DOWN = 3;
    /** Retry hint sent with RESPONSE_SERVER_BUSY, in ms. */
    public static final int RETRY_AFTER_MS = 10;

    private final double lowWatermark;
    private final double highWatermark;
    private final AtomicInteger level = new AtomicInteger(NORMAL);
    private volatile double load;

    /**
     * Creates a controller.
     *
     * @param lowWatermark load fraction where throttling starts and busy ends.
     * @param highWatermark load fraction where busy starts, above the low mark.
     */
    public BackpressureController(final double lowWatermark, final double highWatermark) {
        if (!(lowWatermark < highWatermark)) {
            throw new IllegalArgumentException("low watermark must be below high: " + lowWatermark + " " +
                highWatermark);
        }
        this.lowWatermark = lowWatermark;
        this.highWatermark = highWatermark;
    }

    /**
     * Feeds a new load reading; conductor thread.
     *
     * @param queueFraction the fullest request ring's occupancy, 0..1.
     * @param outboundFraction unsent bytes over the outbound budget, 0 or more.
     * @param delayFraction the longest executor queueing delay over the queue-delay budget, 0 or more.
     * @return the new level.
     */
    public int update(final double queueFraction, final double outboundFraction, final double delayFraction) {
        final double current = Math.max(Math.max(queueFraction, outboundFraction), delayFraction);
        load = current;
        final int previous = level.get();
        if (previous == SHUTTING_DOWN) {
            return previous;
        }
        final int next;
        if (current >= highWatermark) {
            next = BUSY;
        } else if (current >= lowWatermark) {
            next = previous == BUSY ? BUSY : THROTTLED;
        } else {
            next = NORMAL;
        }
        if (next != previous && !level.compareAndSet(previous, next)) {
            return level.get();
        }
        return next;
    }

    /**
     * Switches to {@link #SHUTTING_DOWN} for good.
     */
    public void shutdown() {
        level.set(SHUTTING_DOWN);
    }

    /**
     * The admission level; any thread; one volatile read.
     *
     * @return {@link #NORMAL}, {@link #THROTTLED}, {@link #BUSY} or {@link #SHUTTING_DOWN}.
     */
    public int level() {
        return level.get();
    }

    /**
     * The last load reading.
     *
     * @return a fraction, may exceed 1.
     */
    public double load() {
        return load;
    }

    /**
     * Names a level for logs, health and metrics.
     *
     * @param level a level.
     * @return its name.
     */
    public static String name(final int level) {
        return switch (level) {
            case NORMAL -> "NORMAL";
            case THROTTLED -> "THROTTLED";
            case BUSY -> "BUSY";
            case SHUTTING_DOWN -> "SHUTTING_DOWN";
            default -> "UNKNOWN";
        };
    }
}
