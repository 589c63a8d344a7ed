package io.loomcache.server.executor;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The idle strategy of an executor on a thread of its own: Agrona's backoff (spin, yield, then park up to
 * {@code maxParkNs}), except that a park is announced first, so {@link #wake()} unparks the thread only when it
 * really parks (no futex call per request while it spins) and a request queued just before the park is seen
 * (the flag is raised before the last look at the ring, and wakers look at the flag after queueing: Dekker style,
 * all volatile). Transport threads run most requests inline (see {@link PartitionAgent#tryEnter()}), so the home
 * thread mostly parks and is woken for what they queued. Owned by the executor thread except {@link #wake()}.
 */
final class ExecutorIdleStrategy implements IdleStrategy {
    private static final int SPINS = 100;
    private static final int YIELDS = 10;
    private static final long MIN_PARK_NS = 1_000;

    private final PartitionAgent agent;
    private final long maxParkNs;
    private final BackoffIdleStrategy backoff;
    private volatile Thread thread;
    private volatile boolean parking;
    private int idleCycles;
    private long parkNs = MIN_PARK_NS;

    /**
     * Creates the strategy of one executor thread.
     *
     * @param agent the executor whose ring is looked at before parking.
     * @param maxParkNs the longest park, which bounds how late periodic work (WAL interval force, expiry) runs.
     */
    ExecutorIdleStrategy(final PartitionAgent agent, final long maxParkNs) {
        this.agent = agent;
        this.maxParkNs = maxParkNs;
        this.backoff = new BackoffIdleStrategy(SPINS, YIELDS, MIN_PARK_NS, maxParkNs);
    }

    @Override
    public void idle(final int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (idleCycles < SPINS + YIELDS) {
            idleCycles++;
            backoff.idle();
            return;
        }
        if (thread == null) {
            thread = Thread.currentThread();
        }
        parking = true;
        if (agent.hasQueuedRequests()) {
            // a transport thread holds the executor and wakes this thread on exit: give the core up meanwhile
            parking = false;
            Thread.yield();
            return;
        }
        LockSupport.parkNanos(this, parkNs);
        parkNs = Math.min(parkNs << 1, maxParkNs);
        parking = false;
    }

    @Override
    public void reset() {
        idleCycles = 0;
        parkNs = MIN_PARK_NS;
        backoff.reset();
    }

    /**
     * Unparks the executor thread if it parks; any thread; allocation-free.
     */
    void wake() {
        // fence the caller's ring commit (a release store) before reading the flag: see HostedExecutor.wake
        VarHandle.fullFence();
        if (parking) {
            final Thread parked = thread;
            if (parked != null) {
                LockSupport.unpark(parked);
            }
        }
    }

    @Override
    public String alias() {
        return "executor-backoff";
    }
}
