package io.loomcache.jmh;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that only moves when its owner calls {@link #advanceNs}; MicroRaft reads time through
 * {@link #millis()}, which allocates nothing. Owned by the one thread that drives a simulated group.
 */
final class FakeClock extends Clock {
    private long nowNs;

    /** @param startNs the initial reading, ns. */
    FakeClock(final long startNs) {
        this.nowNs = startNs;
    }

    /**
     * Moves the clock forward.
     *
     * @param deltaNs how far, ns (not negative).
     * @return the new reading, ns.
     */
    long advanceNs(final long deltaNs) {
        nowNs += deltaNs;
        return nowNs;
    }

    /** @return the current reading, ns. */
    long nowNs() {
        return nowNs;
    }

    @Override
    public long millis() {
        return nowNs / 1_000_000L;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone) {
        throw new UnsupportedOperationException("a fake clock has one zone");
    }
}
