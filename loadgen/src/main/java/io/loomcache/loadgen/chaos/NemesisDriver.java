package io.loomcache.loadgen.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The nemesis schedule of one run, on a thread of its own: the cluster stays healthy for the interval, then a fault
 * is injected, held and healed, again and again while a whole fault still fits before the workload ends. Each fault
 * is kept as a {@link Fault} window. {@link #stop} ends the schedule and heals a fault still held.
 */
final class NemesisDriver {
    private final Nemesis nemesis;
    private final NemesisLog log;
    private final long intervalNs;
    private final long holdNs;
    private final long startNs;
    private final long endNs;
    private final List<Fault> faults = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile String error;

    /**
     * One fault as it happened.
     *
     * @param cycle 1 for the first fault of the run.
     * @param what what was done.
     * @param startNs when the injection began ({@link System#nanoTime()}).
     * @param endNs when healing had finished.
     */
    record Fault(int cycle, String what, long startNs, long endNs) {
    }

    NemesisDriver(final Nemesis nemesis, final ChaosContext context, final NemesisLog log, final long startNs,
        final long endNs) {
        this.nemesis = nemesis;
        this.log = log;
        this.intervalNs = context.intervalNs();
        this.holdNs = context.holdNs();
        this.startNs = startNs;
        this.endNs = endNs;
        this.thread = new Thread(this::run, "chaos-nemesis");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Ends the schedule: a fault being held is healed now; waits for the thread.
     *
     * @throws InterruptedException when interrupted while waiting.
     */
    void stop() throws InterruptedException {
        stopped = true;
        LockSupport.unpark(thread);
        thread.join();
    }

    /**
     * The faults injected, in order.
     *
     * @return a copy.
     */
    synchronized List<Fault> faults() {
        return List.copyOf(faults);
    }

    /**
     * Why the nemesis gave up (an injection or healing failed), if it did.
     *
     * @return the message, or null.
     */
    String error() {
        return error;
    }

    private void run() {
        int cycle = 0;
        long next = startNs + intervalNs;
        while (parkUntil(next) && System.nanoTime() + holdNs - endNs <= 0) {
            cycle++;
            final long injectedNs = System.nanoTime();
            try {
                final String what = nemesis.inject(cycle);
                log.say(String.format(Locale.ROOT, "  +%.1fs fault %d: %s", seconds(injectedNs - startNs), cycle,
                    what));
                parkUntil(System.nanoTime() + holdNs);
                nemesis.heal();
                final long healedNs = System.nanoTime();
                synchronized (this) {
                    faults.add(new Fault(cycle, what, injectedNs, healedNs));
                }
                log.say(String.format(Locale.ROOT, "  +%.1fs healed fault %d after %.1fs", seconds(healedNs - startNs),
                    cycle, seconds(healedNs - injectedNs)));
            } catch (final ChaosException ex) {
                error = "fault " + cycle + ": " + ex.getMessage();
                log.say("  nemesis stopped: " + error);
                healQuietly();
                return;
            }
            next = System.nanoTime() + intervalNs;
        }
    }

    private void healQuietly() {
        try {
            nemesis.heal();
        } catch (final ChaosException ex) {
            log.say("  healing failed too: " + ex.getMessage());
        }
    }

    /** Waits until the deadline; false when stopped first. */
    private boolean parkUntil(final long deadlineNs) {
        long remaining;
        while (!stopped && (remaining = deadlineNs - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
        return !stopped;
    }

    static double seconds(final long nanos) {
        return nanos / 1e9;
    }
}
