package io.loomcache.server;

import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.EpochClock;

/** An epoch clock the test moves by hand; thread-safe. */
final class ManualEpochClock implements EpochClock {
    private final AtomicLong timeMs;

    ManualEpochClock(final long startMs) {
        timeMs = new AtomicLong(startMs);
    }

    @Override
    public long time() {
        return timeMs.get();
    }

    void advance(final long ms) {
        timeMs.addAndGet(ms);
    }
}
