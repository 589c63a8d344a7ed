package io.loomcache.loadgen.report;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A daemon thread that runs a task once a second, on a fixed schedule (a slow task does not shift the next ones),
 * until closed: the progress line's and the timeline's clock.
 */
final class EverySecond implements AutoCloseable {
    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long JOIN_MS = 2_000;

    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Starts the thread.
     *
     * @param name the thread's name.
     * @param task what runs each second.
     */
    EverySecond(final String name, final Runnable task) {
        thread = Thread.ofPlatform().daemon().name(name).start(() -> loop(task));
    }

    private void loop(final Runnable task) {
        long nextNs = System.nanoTime() + INTERVAL_NS;
        while (running) {
            final long waitNs = nextNs - System.nanoTime();
            if (waitNs > 0) {
                LockSupport.parkNanos(this, waitNs);
                continue;
            }
            nextNs += INTERVAL_NS;
            task.run();
        }
    }

    /**
     * Stops the thread and waits (boundedly) for it: the task is not run again once this returns, unless it was
     * running and outlasts the wait.
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(JOIN_MS);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
