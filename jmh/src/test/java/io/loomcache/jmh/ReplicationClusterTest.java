package io.loomcache.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.loomcache.raft.RaftNode;
import io.loomcache.testkit.Allocations;

/**
 * The harness behind {@link RaftReplicationBenchmark} really replicates: every batch is committed by the leader and
 * applied by all three members in order, snapshots keep the in-memory logs bounded, and the steady state (propose,
 * replicate, commit, apply, snapshot, transport) allocates nothing.
 */
class ReplicationClusterTest {
    private static final int COMMAND_LENGTH = 64;
    private static final int SETTLE_ROUNDS = 20_000;
    private static final int WINDOW_BATCHES = 2_000;
    private static final int WINDOWS = 5;
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[COMMAND_LENGTH]);

    @Test
    void shouldCommitEveryBatchOnTheLeaderAndApplyItOnAllMembers() {
        final ReplicationCluster cluster = new ReplicationCluster(0, 42);
        final RaftNode leader = cluster.electLeader();
        final long roleChanges = cluster.roleChanges();
        final long firstIndex = leader.log().lastIndex() + 1;
        long lastIndex = 0;
        for (int batch = 1; batch <= 40; batch++) {
            lastIndex = cluster.commitBatch(command, COMMAND_LENGTH, batch);
            assertTrue(leader.commitIndex() >= lastIndex);
        }
        final int commands = 40 * 41 / 2;
        assertEquals(firstIndex + commands - 1, lastIndex);
        cluster.settle(SETTLE_ROUNDS);
        for (int i = 0; i < ReplicationCluster.MEMBER_IDS.length; i++) {
            assertEquals(lastIndex, cluster.node(i).lastApplied(), cluster.describe());
            assertEquals(commands, cluster.stateMachine(i).applied(), cluster.describe());
            assertEquals(commands, cluster.stateMachine(i).lastValue(), cluster.describe());
        }
        assertEquals(roleChanges, cluster.roleChanges());
        assertEquals(0, cluster.transport().framesDropped());
    }

    @Test
    void shouldKeepEveryLogBoundedWhenSnapshotting() {
        final ReplicationCluster cluster = new ReplicationCluster(100, 7);
        cluster.electLeader();
        for (int i = 0; i < 200; i++) {
            cluster.commitBatch(command, COMMAND_LENGTH, 50);
        }
        cluster.settle(SETTLE_ROUNDS);
        for (int i = 0; i < ReplicationCluster.MEMBER_IDS.length; i++) {
            final long held = cluster.log(i).lastIndex() - cluster.log(i).snapshotIndex();
            assertTrue(cluster.log(i).snapshotIndex() >= 9_900, cluster.describe());
            assertTrue(held <= 150, "entries held by member " + i + ": " + held);
            assertEquals(10_000, cluster.stateMachine(i).applied(), cluster.describe());
        }
    }

    /**
     * Up to five windows run after a warm-up and the last must allocate nothing (a window may see a few hundred
     * bytes while the JIT deoptimizes a frame); one allocation per entry would cost every window 16 bytes per entry.
     */
    @Test
    void shouldNotAllocateInSteadyStateReplication() {
        final ReplicationCluster cluster = new ReplicationCluster(1_000, 3);
        cluster.electLeader();
        Allocations.assertAllocationFree(() -> commitWindow(cluster), WINDOWS, WINDOW_BATCHES + " batches committed");
    }

    private void commitWindow(final ReplicationCluster cluster) {
        for (int i = 0; i < WINDOW_BATCHES; i++) {
            cluster.commitBatch(command, COMMAND_LENGTH, 1 + i % 32);
        }
    }
}
