package io.loomcache.store;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

/**
 * Fake time for store tests: an epoch clock for TTL and a monotonic nano clock for access recency that
 * {@link #advance(long)} moves together, while {@link #stepWallClock(long)} moves only the epoch clock, as an
 * NTP step or an operator would.
 */
final class ManualClock implements EpochClock, NanoClock {
    /**
     * Arbitrary, negative start of the nano clock: System.nanoTime has no fixed origin either.
     */
    static final long NANO_ORIGIN = -7_000_000_000_123L;

    private static final long NANOS_PER_MS = 1_000_000L;

    private long timeMs;
    private long nanoTimeNs = NANO_ORIGIN;

    ManualClock(final long timeMs) {
        this.timeMs = timeMs;
    }

    @Override
    public long time() {
        return timeMs;
    }

    @Override
    public long nanoTime() {
        return nanoTimeNs;
    }

    void advance(final long ms) {
        timeMs += ms;
        nanoTimeNs += ms * NANOS_PER_MS;
    }

    void stepWallClock(final long deltaMs) {
        timeMs += deltaMs;
    }
}
