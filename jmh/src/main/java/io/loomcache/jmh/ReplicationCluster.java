package io.loomcache.jmh;

import org.agrona.MutableDirectBuffer;

import io.loomcache.raft.RaftContext;
import io.loomcache.raft.RaftListener;
import io.loomcache.raft.RaftNode;
import io.loomcache.raft.storage.InMemoryRaftLog;

/**
 * A three-member Raft group in one thread, in memory, without faults: three {@link RaftNode}s over three
 * {@link InMemoryRaftLog}s, a {@link RingTransport} between them and a fake clock that only moves when the cluster
 * advances it. {@link #electLeader()} gets a leader; {@link #commitBatch} proposes a batch on it and drives duty
 * cycles and deliveries until the leader has committed the whole batch. Not thread-safe.
 */
final class ReplicationCluster implements ReplicatedGroup {
    /** Member ids of the group. */
    static final int[] MEMBER_IDS = {1, 2, 3};
    /** Fake time added per duty-cycle round: 10 µs, so a 50 ms heartbeat falls due every 5,000 rounds. */
    static final long ROUND_NS = 10_000L;
    /** Rounds after which {@link #commitBatch} gives up. */
    static final int MAX_COMMIT_ROUNDS = 1_000;
    /** Fake time added per step while electing: 1 ms. */
    static final long ELECTION_STEP_NS = 1_000_000L;
    /** Steps after which {@link #electLeader()} gives up (10 s of fake time). */
    static final int MAX_ELECTION_STEPS = 10_000;

    private static final int INBOX_INITIAL_CAPACITY_BYTES = 1 << 20;
    private static final int INBOX_MAX_CAPACITY_BYTES = 1 << 26;
    private static final int MAX_DELIVERY_PASSES = 10_000;
    private static final int LOG_INITIAL_CAPACITY_BYTES = 1 << 20;

    private final RingTransport transport;
    private final RaftNode[] nodes = new RaftNode[MEMBER_IDS.length];
    private final CounterStateMachine[] stateMachines = new CounterStateMachine[MEMBER_IDS.length];
    private final InMemoryRaftLog[] logs = new InMemoryRaftLog[MEMBER_IDS.length];
    private final RoleChangeCounter roleChanges = new RoleChangeCounter();
    private long nowNs = 1_000_000_000L;
    private RaftNode leader;
    private long proposed;

    /**
     * @param snapshotEveryEntries applied entries between snapshots on every member (0 never; then the logs grow
     *     without bound).
     * @param seed seed of the members' election randomness (member i gets {@code seed + i}).
     */
    ReplicationCluster(final long snapshotEveryEntries, final long seed) {
        int maxId = 0;
        for (final int id : MEMBER_IDS) {
            maxId = Math.max(maxId, id);
        }
        transport = new RingTransport(maxId, INBOX_INITIAL_CAPACITY_BYTES, INBOX_MAX_CAPACITY_BYTES,
            MAX_DELIVERY_PASSES);
        for (int i = 0; i < MEMBER_IDS.length; i++) {
            final RaftContext context = new RaftContext()
                .groupId(7)
                .memberId(MEMBER_IDS[i])
                .initialVoters(MEMBER_IDS)
                .snapshotEveryEntries(snapshotEveryEntries)
                .randomSeed(seed + i);
            logs[i] = new InMemoryRaftLog(LOG_INITIAL_CAPACITY_BYTES);
            stateMachines[i] = new CounterStateMachine();
            nodes[i] = new RaftNode(context, this::nowNs, transport, logs[i], stateMachines[i], roleChanges);
            transport.attach(MEMBER_IDS[i], nodes[i]);
        }
    }

    /** @return the fake clock, ns; the members read it through a method reference. */
    long nowNs() {
        return nowNs;
    }

    /**
     * Advances the clock in {@link #ELECTION_STEP_NS} steps, running every member and delivering everything after
     * each step, until a member leads, then until its first entry (the no-op of its term) is committed and both
     * followers know it.
     *
     * @return the leader.
     * @throws IllegalStateException if none is elected within {@link #MAX_ELECTION_STEPS} steps.
     */
    RaftNode electLeader() {
        for (int step = 0; step < MAX_ELECTION_STEPS; step++) {
            nowNs += ELECTION_STEP_NS;
            for (final RaftNode node : nodes) {
                node.doWork(nowNs);
                transport.deliverAll();
                if (node.role() == RaftNode.ROLE_LEADER) {
                    leader = node;
                    awaitFollowersKnowLeader();
                    return node;
                }
            }
        }
        throw new IllegalStateException("no leader after " + MAX_ELECTION_STEPS + " steps: " + describe());
    }

    /** Runs rounds until the leader's no-op is committed and both followers name it as leader. */
    private void awaitFollowersKnowLeader() {
        for (int round = 0; round < MAX_COMMIT_ROUNDS; round++) {
            boolean known = leader.commitIndex() >= leader.log().lastIndex();
            for (final RaftNode node : nodes) {
                known &= node.leaderId() == leader.memberId();
            }
            if (known) {
                return;
            }
            runRound();
        }
        throw new IllegalStateException("followers do not know the leader: " + describe());
    }

    /**
     * Proposes {@code batch} commands on the leader, each a copy of {@code payload} with a running sequence number
     * written into its first 8 bytes, then runs rounds (clock + {@link #ROUND_NS}; leader duty cycle; delivery;
     * followers' duty cycles; delivery) until the leader's commit index reaches the last proposed index.
     *
     * @param payload command bytes at offset 0, at least 8 long; its first 8 bytes are overwritten.
     * @param length command length, bytes.
     * @param batch commands to propose.
     * @return the index of the last command, now committed.
     * @throws IllegalStateException if a proposal is refused, leadership moves, or the batch is not committed
     *     within {@link #MAX_COMMIT_ROUNDS} rounds.
     */
    long commitBatch(final MutableDirectBuffer payload, final int length, final int batch) {
        final RaftNode leader = this.leader;
        long lastIndex = 0;
        for (int i = 0; i < batch; i++) {
            payload.putLong(0, ++proposed);
            lastIndex = leader.propose(payload, 0, length);
            if (lastIndex < 0) {
                throw new IllegalStateException("propose returned " + lastIndex + ": " + describe());
            }
        }
        for (int round = 0; round < MAX_COMMIT_ROUNDS; round++) {
            runRound();
            if (leader.role() != RaftNode.ROLE_LEADER) {
                throw new IllegalStateException("leadership lost: " + describe());
            }
            if (leader.commitIndex() >= lastIndex) {
                return lastIndex;
            }
        }
        throw new IllegalStateException("index " + lastIndex + " not committed after " + MAX_COMMIT_ROUNDS
            + " rounds: " + describe());
    }

    /**
     * One round: the clock moves by {@link #ROUND_NS}, the leader runs its duty cycle, everything is delivered, the
     * followers run theirs, everything is delivered.
     */
    void runRound() {
        nowNs += ROUND_NS;
        leader.doWork(nowNs);
        transport.deliverAll();
        for (final RaftNode node : nodes) {
            if (node != leader) {
                node.doWork(nowNs);
            }
        }
        transport.deliverAll();
    }

    /**
     * Runs rounds until every member has applied the leader's commit index; followers learn it from the next
     * AppendEntries, which after the last batch is the next heartbeat (50 ms of fake time, 5,000 rounds).
     *
     * @param maxRounds rounds after which to give up.
     * @return rounds run.
     * @throws IllegalStateException if the members have not caught up within {@code maxRounds}.
     */
    int settle(final int maxRounds) {
        for (int round = 0; round < maxRounds; round++) {
            boolean applied = true;
            for (final RaftNode node : nodes) {
                applied &= node.lastApplied() == leader.commitIndex();
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
        return leader;
    }

    /**
     * @param i position in {@link #MEMBER_IDS}.
     * @return that member.
     */
    RaftNode node(final int i) {
        return nodes[i];
    }

    /**
     * @param i position in {@link #MEMBER_IDS}.
     * @return that member's state machine.
     */
    CounterStateMachine stateMachine(final int i) {
        return stateMachines[i];
    }

    /**
     * @param i position in {@link #MEMBER_IDS}.
     * @return that member's log.
     */
    InMemoryRaftLog log(final int i) {
        return logs[i];
    }

    /** @return the network. */
    RingTransport transport() {
        return transport;
    }

    @Override
    public long roleChanges() {
        return roleChanges.count;
    }

    @Override
    public long dropped() {
        return transport.framesDropped();
    }

    @Override
    public String describe() {
        final StringBuilder text = new StringBuilder();
        for (final RaftNode node : nodes) {
            text.append(node).append(' ');
        }
        return text.append("dropped=").append(transport.framesDropped()).toString();
    }

    /** Counts role changes; the group must keep one leader for a whole measurement. */
    private static final class RoleChangeCounter implements RaftListener {
        private long count;

        @Override
        public void onReadReady(final long correlationId, final long readIndex) {
            throw new IllegalStateException("no reads are issued");
        }

        @Override
        public void onReadRejected(final long correlationId) {
            throw new IllegalStateException("no reads are issued");
        }

        @Override
        public void onRoleChange(final int role, final long term, final int leaderId) {
            count++;
        }
    }
}
