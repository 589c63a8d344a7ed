package io.loomcache.jmh;

/**
 * The peer of {@link RaftReplicationBenchmark}: the same measurement for MicroRaft 0.7 (see {@link MicroRaftCluster}).
 * An invocation replicates a batch of 64-byte commands on the leader of a three-member group driven by one thread in
 * memory and runs timers and task queues until every future of the batch is complete. Each method fixes its batch
 * size in {@code @OperationsPerInvocation}, so the score is committed entries per second and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes allocated per committed entry, including the fresh {@code byte[64]} each
 * command is (MicroRaft keeps operation objects in its log; LoomCache copies the bytes). Messages are passed as
 * objects, not encoded. The name ends in {@code RaftReplicationBenchmark} so one JMH pattern runs both.
 */
public class MicroRaftReplicationBenchmark extends AbstractReplicationBenchmark {
    private MicroRaftCluster cluster;

    @Override
    protected ReplicatedGroup startGroup(final long snapshotEveryEntries, final long seed) {
        cluster = new MicroRaftCluster(Math.toIntExact(snapshotEveryEntries), seed);
        cluster.electLeader();
        return cluster;
    }

    @Override
    protected long commitBatch(final int batch) {
        return cluster.commitBatch(COMMAND_LENGTH, batch);
    }
}
