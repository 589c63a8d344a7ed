package io.loomcache.client;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A class that typed maps must never register: it records when it is initialised and constructed, so a test can
 * prove that bytes naming it are refused without loading it into use.
 */
public final class Tripwire {
    /** Set by the static initialiser. */
    public static final AtomicBoolean INITIALISED = Probe.INITIALISED;
    /** Counts constructions. */
    public static final AtomicInteger CONSTRUCTED = Probe.CONSTRUCTED;

    static {
        Probe.INITIALISED.set(true);
    }

    public String payload = "boom";

    public Tripwire() {
        Probe.CONSTRUCTED.incrementAndGet();
    }

    /** Holds the counters outside Tripwire, so that reading them does not initialise it. */
    public static final class Probe {
        public static final AtomicBoolean INITIALISED = new AtomicBoolean();
        public static final AtomicInteger CONSTRUCTED = new AtomicInteger();

        private Probe() {
        }
    }
}
