package io.loomcache.jmh;

/**
 * What {@link AbstractReplicationBenchmark} checks on a three-member group in one thread, in memory: that it stayed
 * quiet (no role change, nothing dropped) for a whole trial. Not thread-safe.
 */
interface ReplicatedGroup {
    /** @return role changes seen on any member since creation. */
    long roleChanges();

    /** @return messages or frames the in-memory network dropped. */
    long dropped();

    /** @return the members' state, for failure messages. */
    String describe();
}
