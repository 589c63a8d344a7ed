package io.loomcache.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import io.microraft.Ordered;
import io.microraft.RaftConfig;
import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.report.RaftNodeReport;
import io.microraft.report.RaftNodeReportListener;
import org.agrona.concurrent.CachedNanoClock;

/**
 * The MicroRaft twin of {@link ReplicationCluster}: a three-member MicroRaft group in one thread, in memory, without
 * faults. Each member runs on a {@link QueueRaftNodeExecutor} over one shared {@link CachedNanoClock}; an
 * {@link ObjectPassingTransport} hands message objects between them. {@link #electLeader()} gets a leader;
 * {@link #commitBatch} replicates a batch on it and runs timers and queues until every future of the batch is
 * complete. Not thread-safe.
 */
final class MicroRaftCluster implements ReplicatedGroup {
    /** Member ids of the group. */
    static final int[] MEMBER_IDS = {1, 2, 3};
    /** Fake time added per round: 10 µs, as in {@link ReplicationCluster#ROUND_NS}. */
    static final long ROUND_NS = ReplicationCluster.ROUND_NS;
    /** Rounds after which {@link #commitBatch} gives up. */
    static final int MAX_COMMIT_ROUNDS = ReplicationCluster.MAX_COMMIT_ROUNDS;
    /** Fake time added per step while electing: 1 ms. */
    static final long ELECTION_STEP_NS = 1_000_000L;
    /** Steps after which {@link #electLeader()} gives up (20 s of fake time). */
    static final int MAX_ELECTION_STEPS = 20_000;
    /** Leader heartbeat period, s: MicroRaft's smallest (it counts in whole seconds; LoomCache sends one per 50 ms). */
    static final long HEARTBEAT_PERIOD_SECS = 1;
    /** Silence after which a follower suspects the leader, s: MicroRaft's smallest above the period. */
    static final long HEARTBEAT_TIMEOUT_SECS = 2;
    /** Base election timeout, ms; MicroRaft adds 0-100 ms of noise, so 400-500 ms (LoomCache: 300-600 ms). */
    static final long ELECTION_TIMEOUT_MS = 400;
    /** Most entries per AppendEntries: 256 KiB of 64-byte payloads, LoomCache's {@code maxAppendBytes}. */
    static final int APPEND_BATCH_ENTRIES = 4096;
    /** Most uncommitted entries on the leader, LoomCache's {@code maxUncommittedEntries}. */
    static final int MAX_PENDING_ENTRIES = 8192;

    private static final int MAX_DELIVERY_PASSES = 10_000;
    private static final int MAX_TASKS_PER_RUN = 1_000_000;
    private static final int MAX_BATCH = 4096;
    private static final String GROUP_ID = "bench";
    private static final long START_NS = 1_000_000_000L;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final ObjectPassingTransport transport;
    private final RaftNode[] nodes = new RaftNode[MEMBER_IDS.length];
    private final MicroRaftEndpoint[] endpoints = new MicroRaftEndpoint[MEMBER_IDS.length];
    private final QueueRaftNodeExecutor[] executors = new QueueRaftNodeExecutor[MEMBER_IDS.length];
    private final MicroRaftCounterStateMachine[] stateMachines = new MicroRaftCounterStateMachine[MEMBER_IDS.length];
    private final CompletableFuture<?>[] futures = new CompletableFuture<?>[MAX_BATCH];
    private final RoleChangeCounter roleChanges = new RoleChangeCounter();
    private int leaderPosition = -1;
    private long proposed;

    /**
     * Builds and starts the members; none leads until {@link #electLeader()}.
     *
     * @param snapshotEveryEntries commits between snapshots on every member (MicroRaft needs at least 1).
     * @param seed seed of the members' election randomness (member i gets {@code seed + i}).
     */
    MicroRaftCluster(final int snapshotEveryEntries, final long seed) {
        clock.update(START_NS);
        int maxId = 0;
        final List<RaftEndpoint> members = new ArrayList<>();
        for (int i = 0; i < MEMBER_IDS.length; i++) {
            maxId = Math.max(maxId, MEMBER_IDS[i]);
            endpoints[i] = new MicroRaftEndpoint(MEMBER_IDS[i]);
            members.add(endpoints[i]);
        }
        transport = new ObjectPassingTransport(maxId);
        final RaftConfig config = RaftConfig.newBuilder()
            .setLeaderElectionTimeoutMillis(ELECTION_TIMEOUT_MS)
            .setLeaderHeartbeatPeriodSecs(HEARTBEAT_PERIOD_SECS)
            .setLeaderHeartbeatTimeoutSecs(HEARTBEAT_TIMEOUT_SECS)
            .setAppendEntriesRequestBatchSize(APPEND_BATCH_ENTRIES)
            .setMaxPendingLogEntryCount(MAX_PENDING_ENTRIES)
            .setCommitCountToTakeSnapshot(snapshotEveryEntries)
            .build();
        for (int i = 0; i < MEMBER_IDS.length; i++) {
            executors[i] = new QueueRaftNodeExecutor(clock, MAX_TASKS_PER_RUN);
            stateMachines[i] = new MicroRaftCounterStateMachine();
            nodes[i] = RaftNode.newBuilder()
                .setGroupId(GROUP_ID)
                .setLocalEndpoint(endpoints[i])
                .setInitialGroupMembers(members)
                .setConfig(config)
                .setExecutor(executors[i])
                .setTransport(transport)
                .setStateMachine(stateMachines[i])
                .setRaftNodeReportListener(roleChanges)
                .setRandom(new Random(seed + i))
                .setClock(new NanoClockView(clock))
                .build();
            transport.attach(MEMBER_IDS[i], nodes[i]);
        }
        for (final RaftNode node : nodes) {
            node.start();
        }
        deliverAll();
    }

    /**
     * Advances the clock in {@link #ELECTION_STEP_NS} steps, running due timers and every queue after each step,
     * until a member leads, then until its first entry (the {@link MicroRaftCounterStateMachine#NEW_TERM} of its
     * term) is committed and both followers name it as leader.
     *
     * @return the leader.
     * @throws IllegalStateException if none is elected within {@link #MAX_ELECTION_STEPS} steps.
     */
    RaftNode electLeader() {
        for (int step = 0; step < MAX_ELECTION_STEPS; step++) {
            clock.advance(ELECTION_STEP_NS);
            for (int i = 0; i < nodes.length; i++) {
                executors[i].runDueTimers();
                deliverAll();
                if (endpoints[i].equals(nodes[i].getTerm().getLeaderEndpoint())) {
                    leaderPosition = i;
                    awaitFollowersKnowLeader();
                    return nodes[i];
                }
            }
        }
        throw new IllegalStateException("no leader after " + MAX_ELECTION_STEPS + " steps: " + describe());
    }

    private void awaitFollowersKnowLeader() {
        for (int round = 0; round < MAX_COMMIT_ROUNDS; round++) {
            boolean known = stateMachines[leaderPosition].lastCommitIndex() > 0;
            for (final RaftNode node : nodes) {
                known &= endpoints[leaderPosition].equals(node.getTerm().getLeaderEndpoint());
            }
            if (known) {
                return;
            }
            runRound();
        }
        throw new IllegalStateException("followers do not know the leader: " + describe());
    }

    /**
     * Replicates {@code batch} new 64-byte-style commands on the leader, each a fresh {@code byte[length]} with a
     * running sequence number in its first 8 bytes (MicroRaft keeps the object in its log, so it cannot be reused),
     * then runs rounds (clock + {@link #ROUND_NS}; the leader's due timers; all queues; the followers' due timers;
     * all queues) until every future of the batch is complete.
     *
     * @param length command length, bytes, at least 8.
     * @param batch commands to replicate, at most 4096.
     * @return the commit index of the last command.
     * @throws IllegalStateException if a future fails, leadership moves, or the batch is not committed within
     *     {@link #MAX_COMMIT_ROUNDS} rounds.
     */
    long commitBatch(final int length, final int batch) {
        final RaftNode leader = nodes[leaderPosition];
        for (int i = 0; i < batch; i++) {
            final byte[] command = new byte[length];
            MicroRaftCounterStateMachine.putSequence(command, ++proposed);
            futures[i] = leader.replicate(command);
        }
        final CompletableFuture<?> last = futures[batch - 1];
        for (int round = 0; round < MAX_COMMIT_ROUNDS; round++) {
            runRound();
            if (last.isDone()) {
                for (int i = 0; i < batch; i++) {
                    if (!futures[i].isDone() || futures[i].isCompletedExceptionally()) {
                        throw new IllegalStateException("command " + i + " of the batch failed: "
                            + futures[i] + " " + describe());
                    }
                    futures[i] = null;
                }
                return ((Ordered<?>)last.join()).getCommitIndex();
            }
        }
        throw new IllegalStateException("batch not committed after " + MAX_COMMIT_ROUNDS + " rounds: " + describe());
    }

    /**
     * One round: the clock moves by {@link #ROUND_NS}, the leader's due timers run, every queue is run empty, the
     * followers' due timers run, every queue is run empty.
     */
    void runRound() {
        clock.advance(ROUND_NS);
        if (leaderPosition >= 0) {
            executors[leaderPosition].runDueTimers();
            deliverAll();
        }
        for (int i = 0; i < executors.length; i++) {
            if (i != leaderPosition) {
                executors[i].runDueTimers();
            }
        }
        deliverAll();
    }

    /**
     * Runs every member's queue, the messages and tasks that causes and so on, until all are empty.
     *
     * @return tasks run.
     * @throws IllegalStateException if tasks are still queued after {@code MAX_DELIVERY_PASSES} passes.
     */
    int deliverAll() {
        int ran = 0;
        for (int pass = 0; pass < MAX_DELIVERY_PASSES; pass++) {
            int tasks = 0;
            for (final QueueRaftNodeExecutor executor : executors) {
                tasks += executor.runQueued();
            }
            if (tasks == 0) {
                return ran;
            }
            ran += tasks;
        }
        throw new IllegalStateException("tasks still queued after " + MAX_DELIVERY_PASSES + " passes");
    }

    /**
     * Runs rounds until every member has applied the leader's last applied index.
     *
     * @param maxRounds rounds after which to give up.
     * @return rounds run.
     * @throws IllegalStateException if the members have not caught up within {@code maxRounds}.
     */
    int settle(final int maxRounds) {
        final long leaderIndex = stateMachines[leaderPosition].lastCommitIndex();
        for (int round = 0; round < maxRounds; round++) {
            boolean applied = true;
            for (final MicroRaftCounterStateMachine stateMachine : stateMachines) {
                applied &= stateMachine.lastCommitIndex() == leaderIndex;
            }
            if (applied) {
                return round;
            }
            runRound();
        }
        throw new IllegalStateException("not settled after " + maxRounds + " rounds: " + describe());
    }

    /** @return the current leader, null before {@link #electLeader()}. */
    RaftNode leader() {
        return leaderPosition < 0 ? null : nodes[leaderPosition];
    }

    /** @return the position of the leader in {@link #MEMBER_IDS}, -1 before {@link #electLeader()}. */
    int leaderPosition() {
        return leaderPosition;
    }

    /**
     * @param i position in {@link #MEMBER_IDS}.
     * @return that member's state machine.
     */
    MicroRaftCounterStateMachine stateMachine(final int i) {
        return stateMachines[i];
    }

    /**
     * Asks one member for its report (a future completed by running the queues); for tests and failure messages.
     *
     * @param i position in {@link #MEMBER_IDS}.
     * @return that member's report.
     */
    RaftNodeReport report(final int i) {
        final CompletableFuture<Ordered<RaftNodeReport>> future = nodes[i].getReport();
        deliverAll();
        return future.join().getResult();
    }

    /** @return the network. */
    ObjectPassingTransport transport() {
        return transport;
    }

    @Override
    public long roleChanges() {
        return roleChanges.count;
    }

    @Override
    public long dropped() {
        return transport.messagesDropped();
    }

    @Override
    public String describe() {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < nodes.length; i++) {
            text.append('[').append(MEMBER_IDS[i]).append(' ').append(nodes[i].getStatus())
                .append(" term=").append(nodes[i].getTerm().getTerm())
                .append(" leader=").append(nodes[i].getTerm().getLeaderEndpoint())
                .append(" applied=").append(stateMachines[i].lastCommitIndex())
                .append(" queued=").append(executors[i].queued())
                .append(" timers=").append(executors[i].scheduled()).append("] ");
        }
        return text.append("sent=").append(transport.messagesSent())
            .append(" dropped=").append(transport.messagesDropped()).toString();
    }

    /** Counts role-change reports; the group must keep one leader for a whole measurement. */
    private static final class RoleChangeCounter implements RaftNodeReportListener {
        private long count;

        @Override
        public void accept(final RaftNodeReport report) {
            if (report.getReason() == RaftNodeReport.RaftNodeReportReason.ROLE_CHANGE) {
                count++;
            }
        }
    }
}
