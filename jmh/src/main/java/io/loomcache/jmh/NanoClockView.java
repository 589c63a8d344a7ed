package io.loomcache.jmh;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.agrona.concurrent.NanoClock;

/**
 * The {@link Clock} MicroRaft reads time through, as a view of an Agrona {@link NanoClock} (a
 * {@link org.agrona.concurrent.CachedNanoClock} that the simulated group advances); {@link #millis()} allocates
 * nothing.
 */
final class NanoClockView extends Clock {
    private final NanoClock nanoClock;

    /** @param nanoClock the clock read, ns. */
    NanoClockView(final NanoClock nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public long millis() {
        return nanoClock.nanoTime() / 1_000_000L;
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
        throw new UnsupportedOperationException("a view of a nano clock has one zone");
    }
}
