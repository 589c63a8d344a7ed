package io.loomcache.jmh;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Raft replication in a three-member group driven by one thread, in memory, with no faults (see
 * {@link ReplicationCluster}): an invocation proposes a batch of 64-byte commands on the leader and runs duty
 * cycles and deliveries until the leader has committed them. Each method fixes its batch size in
 * {@code @OperationsPerInvocation}, so the score is committed entries per second and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes allocated per committed entry. The cost covers all three members: encoding and
 * decoding AppendEntries and their responses, copying into and out of the in-memory logs, the commit rule, applying
 * on every member, heartbeats every 50 ms of fake time and a snapshot (with log compaction) every
 * {@code snapshotEveryEntries} applied entries. There is no disk and no socket: this is the protocol's CPU cost.
 */
public class RaftReplicationBenchmark extends AbstractReplicationBenchmark {
    private ReplicationCluster cluster;
    private UnsafeBuffer command;

    @Override
    protected ReplicatedGroup startGroup(final long snapshotEveryEntries, final long seed) {
        cluster = new ReplicationCluster(snapshotEveryEntries, seed);
        cluster.electLeader();
        command = new UnsafeBuffer(ByteBuffer.allocateDirect(COMMAND_LENGTH));
        for (int i = 0; i < COMMAND_LENGTH; i++) {
            command.putByte(i, (byte)i);
        }
        return cluster;
    }

    @Override
    protected long commitBatch(final int batch) {
        return cluster.commitBatch(command, COMMAND_LENGTH, batch);
    }
}
