package io.loomcache.server.executor;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

import io.loomcache.store.OffHeapStore;
import io.loomcache.store.StoreContext;

/**
 * An executor's {@link OffHeapStore} with what the executor keeps around it: the {@link DroppedKeys} listener that
 * keeps the keys the store drops by itself, for their tombstones, and the cached clocks the store reads (epoch for
 * TTLs, monotonic for LRU/LFU), which the executor sets once per duty cycle ({@link #tick}) so that the deadline it
 * logs is the deadline the store keeps and no request reads a clock itself. Owned by the thread that recovers the
 * store, then by the executor thread.
 */
public final class ExecutorStore {
    private final OffHeapStore store;
    private final DroppedKeys dropped = new DroppedKeys();
    private final CachedEpochClock clock = new CachedEpochClock();
    private final CachedNanoClock nanoClock = new CachedNanoClock();

    private ExecutorStore(final StoreContext context, final EpochClock epochClock, final NanoClock nanoClock) {
        tick(epochClock.time(), nanoClock.nanoTime());
        store = new OffHeapStore(context.epochClock(clock).nanoClock(this.nanoClock).listener(dropped));
    }

    /**
     * Creates the store; its clocks start at the node clocks' current readings.
     *
     * @param context the store settings; its clocks and listener are replaced here.
     * @param epochClock the node's epoch clock.
     * @param nanoClock the node's monotonic clock.
     * @return the store with its listener and clocks.
     */
    public static ExecutorStore create(final StoreContext context, final EpochClock epochClock,
        final NanoClock nanoClock) {
        return new ExecutorStore(context, epochClock, nanoClock);
    }

    /**
     * The store.
     *
     * @return the store.
     */
    public OffHeapStore store() {
        return store;
    }

    /**
     * The store's listener.
     *
     * @return the keys the store dropped by itself.
     */
    public DroppedKeys dropped() {
        return dropped;
    }

    /**
     * The epoch clock the store reads.
     *
     * @return the clock; moves only by {@link #tick}.
     */
    public EpochClock clock() {
        return clock;
    }

    /**
     * Sets the store's clocks; the executor, once per duty cycle.
     *
     * @param nowMs the node's epoch clock reading, ms.
     * @param nowNs the node's monotonic clock reading, ns.
     */
    public void tick(final long nowMs, final long nowNs) {
        clock.update(nowMs);
        nanoClock.update(nowNs);
    }

    /**
     * Sets only the store's epoch clock: a replicated command is applied as of the time its leader stamped on it,
     * so that every member computes the same TTL deadlines and expiry decisions.
     *
     * @param nowMs the epoch time, ms.
     */
    public void epochMs(final long nowMs) {
        clock.update(nowMs);
    }
}
