package io.loomcache.server.executor;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.EpochClock;

import io.loomcache.store.OffHeapStore;
import io.loomcache.store.StoreContext;

/**
 * An executor's {@link OffHeapStore} with what the executor keeps around it: the {@link DroppedKeys} listener that
 * keeps the keys the store drops by itself, for their tombstones, and the clock the store reads, which the executor
 * sets once per request ({@link #tick(long)}) so that the deadline it logs is the deadline the store keeps. Owned by
 * the thread that recovers the store, then by the executor thread.
 */
public final class ExecutorStore {
    private final OffHeapStore store;
    private final DroppedKeys dropped = new DroppedKeys();
    private final CachedEpochClock clock = new CachedEpochClock();

    private ExecutorStore(final StoreContext context, final EpochClock epochClock) {
        clock.update(epochClock.time());
        store = new OffHeapStore(context.epochClock(clock).listener(dropped));
    }

    /**
     * Creates the store; its clock starts at the node clock's current time.
     *
     * @param context the store settings; its clock and listener are replaced here.
     * @param epochClock the node's clock.
     * @return the store with its listener and clock.
     */
    public static ExecutorStore create(final StoreContext context, final EpochClock epochClock) {
        return new ExecutorStore(context, epochClock);
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
     * The clock the store reads.
     *
     * @return the clock; moves only by {@link #tick(long)}.
     */
    public EpochClock clock() {
        return clock;
    }

    /**
     * Sets the store's clock.
     *
     * @param nowMs the node clock's reading, epoch ms.
     */
    public void tick(final long nowMs) {
        clock.update(nowMs);
    }
}
