package io.loomcache.server.executor;

import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.loomcache.server.GuardedAgent;

/**
 * An executor whose home thread is a transport event loop (thread-per-core): its duty cycle runs as a task of the
 * loop, every {@link #PERIOD_NS} for the periodic work and whenever {@link #wake()} asks (a request queued in its
 * ring by a thread that could not run it inline), coalesced so that at most one wake-up task is queued at a time.
 * Requests of the loop's own connections run inline on the loop ({@link PartitionAgent#tryEnter()}), so the loop
 * reads, applies and answers them in one pass. The loop thread, except {@link #wake()}.
 */
final class HostedExecutor implements Runnable {
    /** Period of the duty cycle when nothing wakes it: bounds how late periodic work runs. */
    static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int MAX_ROUNDS = 8;

    private final GuardedAgent cycle;
    private final ScheduledExecutorService loop;
    private final AtomicBoolean woken = new AtomicBoolean();
    private ScheduledFuture<?> periodic;

    /**
     * Creates the hosted cycle.
     *
     * @param cycle the executor's guarded duty cycle.
     * @param loop the event loop it lives on.
     */
    HostedExecutor(final GuardedAgent cycle, final ScheduledExecutorService loop) {
        this.cycle = cycle;
        this.loop = loop;
    }

    /**
     * Schedules the periodic cycle; once.
     */
    void start() {
        periodic = loop.scheduleAtFixedRate(this, PERIOD_NS, PERIOD_NS, TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
        woken.set(false);
        int rounds = 0;
        while (cycle.doWork() > 0) {
            if (++rounds == MAX_ROUNDS) {
                // more is queued: let the loop's I/O run, then come back
                wake();
                return;
            }
        }
    }

    /**
     * Queues one run of the cycle on the loop unless one is queued already; any thread.
     */
    void wake() {
        // The caller has just committed a request to the ring with a release store; without a full fence that store
        // may still sit in this core's store buffer when the flag is read below, and a cycle that cleared the flag and
        // found the ring empty in between would leave the request waiting for the next periodic cycle (1 ms).
        VarHandle.fullFence();
        if (!woken.get() && woken.compareAndSet(false, true)) {
            try {
                loop.execute(this);
            } catch (final RejectedExecutionException ex) {
                // the loop is shutting down with the node: nothing runs any more
                woken.set(false);
            }
        }
    }

    /**
     * The loop this executor lives on.
     *
     * @return the loop.
     */
    ScheduledExecutorService loop() {
        return loop;
    }

    /**
     * Stops the periodic cycle.
     */
    void stop() {
        final ScheduledFuture<?> scheduled = periodic;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
