package io.loomcache.client;

import java.util.concurrent.locks.LockSupport;

/**
 * The client's timer duty cycle: every tick it fails the requests past their deadline on every connection the
 * router holds, to every node, with {@link LoomTimeoutException}. Runs on one virtual thread per client; a deadline
 * is noticed within one tick.
 */
final class TimeoutSweeper implements Runnable {
    /** Shortest tick in milliseconds. */
    static final long MIN_TICK_MS = 1;
    /** Longest tick in milliseconds. */
    static final long MAX_TICK_MS = 50;

    private final RequestRouter router;
    private final long tickNs;
    private volatile boolean running = true;
    private volatile Thread thread;

    /**
     * Creates a sweeper.
     *
     * @param router the router whose connections it sweeps.
     * @param requestTimeoutMs the request timeout; the tick is a tenth of it, within [1, 50] ms.
     */
    TimeoutSweeper(final RequestRouter router, final long requestTimeoutMs) {
        this.router = router;
        this.tickNs = Math.clamp(requestTimeoutMs / 10, MIN_TICK_MS, MAX_TICK_MS) * 1_000_000L;
    }

    /**
     * Starts the sweeper on a virtual thread.
     *
     * @param name the thread name.
     * @return this.
     */
    TimeoutSweeper start(final String name) {
        thread = Thread.ofVirtual().name(name).start(this);
        return this;
    }

    @Override
    public void run() {
        while (running) {
            LockSupport.parkNanos(this, tickNs);
            if (running) {
                doWork(System.nanoTime());
            }
        }
    }

    /**
     * Expires due requests once.
     *
     * @param nowNs the current {@link System#nanoTime()}.
     * @return the number of requests timed out.
     */
    int doWork(final long nowNs) {
        int expired = 0;
        for (final Connection connection : router.connections()) {
            expired += connection.expire(nowNs);
        }
        return expired;
    }

    /**
     * Stops the sweeper and waits, bounded, for its thread to end.
     */
    void stop() {
        running = false;
        final Thread current = thread;
        if (current != null && current != Thread.currentThread()) {
            LockSupport.unpark(current);
            try {
                current.join(MAX_TICK_MS * 20);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
