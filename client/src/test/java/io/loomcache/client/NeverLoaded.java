package io.loomcache.client;

/**
 * Named only by text in a test's crafted bytes; its static initialiser flags {@link Tripwire.Probe} if it ever runs.
 */
public final class NeverLoaded {
    static {
        Tripwire.Probe.INITIALISED.set(true);
    }

    public NeverLoaded() {
        Tripwire.Probe.CONSTRUCTED.incrementAndGet();
    }
}
