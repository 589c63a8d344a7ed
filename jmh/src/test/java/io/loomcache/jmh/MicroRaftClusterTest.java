package io.loomcache.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.microraft.report.RaftNodeReport;

/**
 * The harness behind {@link MicroRaftReplicationBenchmark} really replicates: every batch is committed by the leader
 * at consecutive indexes and applied by all three members in order, and snapshots bound every log.
 */
class MicroRaftClusterTest {
    private static final int COMMAND_LENGTH = 64;
    private static final int SETTLE_ROUNDS = 300_000;

    @Test
    void shouldCommitEveryBatchOnTheLeaderInOrderAndApplyItOnAllMembers() {
        final MicroRaftCluster cluster = new MicroRaftCluster(100_000, 42);
        cluster.electLeader();
        final long roleChanges = cluster.roleChanges();
        final int leaderPosition = cluster.leaderPosition();
        final long firstIndex = cluster.stateMachine(leaderPosition).lastCommitIndex() + 1;
        long lastIndex = firstIndex - 1;
        for (int batch = 1; batch <= 40; batch++) {
            final long committed = cluster.commitBatch(COMMAND_LENGTH, batch);
            assertEquals(lastIndex + batch, committed, cluster.describe());
            assertTrue(cluster.stateMachine(leaderPosition).lastCommitIndex() >= committed, cluster.describe());
            lastIndex = committed;
        }
        final int commands = 40 * 41 / 2;
        assertEquals(firstIndex + commands - 1, lastIndex);
        cluster.settle(SETTLE_ROUNDS);
        for (int i = 0; i < MicroRaftCluster.MEMBER_IDS.length; i++) {
            final MicroRaftCounterStateMachine stateMachine = cluster.stateMachine(i);
            assertEquals(lastIndex, stateMachine.lastCommitIndex(), cluster.describe());
            assertEquals(commands, stateMachine.applied(), cluster.describe());
            assertEquals(commands, stateMachine.lastValue(), cluster.describe());
            assertEquals(0, stateMachine.outOfOrder(), cluster.describe());
        }
        assertEquals(roleChanges, cluster.roleChanges());
        assertEquals(0, cluster.transport().messagesDropped());
    }

    @Test
    void shouldKeepEveryLogBoundedWhenSnapshotting() {
        final MicroRaftCluster cluster = new MicroRaftCluster(100, 7);
        cluster.electLeader();
        for (int i = 0; i < 200; i++) {
            cluster.commitBatch(COMMAND_LENGTH, 50);
        }
        cluster.settle(SETTLE_ROUNDS);
        for (int i = 0; i < MicroRaftCluster.MEMBER_IDS.length; i++) {
            final RaftNodeReport report = cluster.report(i);
            final long held = report.getLog().getLastLogOrSnapshotIndex() - report.getLog().getLastSnapshotIndex();
            assertTrue(report.getLog().getLastSnapshotIndex() >= 9_900, cluster.describe());
            assertTrue(held <= 150, "entries held by member " + i + ": " + held);
            assertEquals(10_000, cluster.stateMachine(i).applied(), cluster.describe());
            assertEquals(0, cluster.stateMachine(i).outOfOrder(), cluster.describe());
        }
    }
}
