package io.loomcache.raft;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.raft.AppendEntriesDecoder;
import io.loomcache.protocol.raft.AppendEntriesResponseDecoder;
import io.loomcache.protocol.raft.InstallSnapshotDecoder;
import io.loomcache.protocol.raft.InstallSnapshotResponseDecoder;
import io.loomcache.protocol.raft.RaftMessageDescriptor;
import io.loomcache.protocol.raft.TimeoutNowDecoder;
import io.loomcache.protocol.raft.VoteRequestDecoder;
import io.loomcache.protocol.raft.VoteRequestEncoder;
import io.loomcache.protocol.raft.VoteResponseDecoder;
import io.loomcache.protocol.raft.VoteResponseEncoder;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One member of one Raft group (Ongaro, "In Search of an Understandable Consensus Algorithm (Extended Version)",
 * and the dissertation "Consensus: Bridging Theory and Practice" for pre-vote, leases, transfer and membership).
 * A small object driven by the executor that owns it: {@link #doWork(long)} runs timers, replication and apply;
 * {@link #onMessage(DirectBuffer, int, int)} takes one Raft frame; no thread of its own, no locks, not thread-safe.
 *
 * <p>Durability (Figure 2): the term and vote are forced through {@link RaftLog#persistTermAndVote(long, int)}
 * before any message that depends on them is sent; a follower forces appended entries before it acknowledges them
 * (once per duty cycle: successful AppendEntries are acknowledged together by the next {@link #doWork(long)});
 * the leader counts itself towards a quorum only up to its own durable index. A storage failure stops the member
 * ({@link #ROLE_FAILED}) rather than let it acknowledge what it may have lost.
 *
 * <p>Allocation: the steady state (propose, replicate, acknowledge, commit, apply, heartbeats, reads) allocates
 * nothing; membership changes, snapshot transfers and the first growth of scratch buffers do.
 */
public final class RaftNode {
    /** Role: follows a leader (or waits for one). */
    public static final int ROLE_FOLLOWER = 0;
    /** Role: asking for pre-votes (§9.6) without changing its term. */
    public static final int ROLE_PRE_CANDIDATE = 1;
    /** Role: asking for votes in a new term (§5.2). */
    public static final int ROLE_CANDIDATE = 2;
    /** Role: leader of the current term. */
    public static final int ROLE_LEADER = 3;
    /** Role: stopped after a storage failure; ignores everything. */
    public static final int ROLE_FAILED = 4;
    /** Returned when this member is not the leader; {@link #leaderId()} tells who may be. */
    public static final long NOT_LEADER = -1;
    /** Returned when the leader cannot take more now (uncommitted backlog, transfer or change in progress). */
    public static final long BACK_PRESSURED = -2;
    /** Returned for a request that can never succeed (payload too large, unknown member...). */
    public static final long INVALID_ARGUMENT = -3;
    /** Returned after a storage failure. */
    public static final long FAILED = -4;

    private static final long NS_PER_MS = 1_000_000L;
    private static final int READ_QUEUE_CAPACITY = 4096;

    final RaftContext ctx;
    final int groupId;
    final int memberId;
    final Clock clock;
    final Transport transport;
    final RaftLog log;
    final StateMachine stateMachine;
    final RaftListener listener;
    private final SplittableRandom random;
    private final long electionMinNs;
    private final long electionMaxNs;
    private final long heartbeatNs;
    private final long leaseNs;

    final UnsafeBuffer sendBuffer;
    private final ExpandableDirectByteBuffer applyBuffer = new ExpandableDirectByteBuffer(4096);
    private final VoteRequestEncoder voteRequestEncoder = new VoteRequestEncoder();
    private final VoteResponseEncoder voteResponseEncoder = new VoteResponseEncoder();
    private final VoteRequestDecoder voteRequestDecoder = new VoteRequestDecoder();
    private final VoteResponseDecoder voteResponseDecoder = new VoteResponseDecoder();
    private final AppendEntriesDecoder appendDecoder = new AppendEntriesDecoder();
    private final AppendEntriesResponseDecoder appendResponseDecoder = new AppendEntriesResponseDecoder();
    private final InstallSnapshotDecoder snapshotDecoder = new InstallSnapshotDecoder();
    private final InstallSnapshotResponseDecoder snapshotResponseDecoder = new InstallSnapshotResponseDecoder();
    private final TimeoutNowDecoder timeoutNowDecoder = new TimeoutNowDecoder();
    final Replicator replicator;
    final Follower follower;
    final Membership membership;
    private final ReadQueue reads = new ReadQueue(READ_QUEUE_CAPACITY);

    int role = ROLE_FOLLOWER;
    long currentTerm;
    int votedFor;
    int leaderId = -1;
    long commitIndex;
    long lastApplied;
    long nowNs;
    private long electionDeadlineNs;
    long lastLeaderContactNs;
    private long votesGranted;
    private long appliedSinceSnapshot;
    private boolean snapshotRequested;
    private int failedDecodes;

    /**
     * Creates the member and recovers it from its log: term and vote, the latest snapshot (restored into the
     * state machine), and the configuration (the snapshot's, then any configuration entry after it, else the
     * context's initial voters).
     *
     * @param context the member's settings (validated here).
     * @param clock monotonic time.
     * @param transport outbound network.
     * @param log durable storage, possibly holding state from an earlier run.
     * @param stateMachine the replicated state.
     * @param listener callbacks to the owner.
     */
    public RaftNode(
        final RaftContext context,
        final Clock clock,
        final Transport transport,
        final RaftLog log,
        final StateMachine stateMachine,
        final RaftListener listener) {
        this.ctx = context.validate();
        this.groupId = context.groupId();
        this.memberId = context.memberId();
        this.clock = clock;
        this.transport = transport;
        this.log = log;
        this.stateMachine = stateMachine;
        this.listener = listener;
        this.random = new SplittableRandom(context.randomSeed());
        this.electionMinNs = context.electionTimeoutMinMs() * NS_PER_MS;
        this.electionMaxNs = context.electionTimeoutMaxMs() * NS_PER_MS;
        this.heartbeatNs = context.heartbeatIntervalMs() * NS_PER_MS;
        this.leaseNs = (long)(electionMinNs * (1.0 - context.maxClockDriftRatio()));
        final int capacity = Math.max(
            RaftMessageDescriptor.APPEND_ENTRIES_HEADER_LENGTH + context.maxAppendBytes(),
            RaftMessageDescriptor.INSTALL_SNAPSHOT_HEADER_LENGTH + context.snapshotChunkBytes());
        this.sendBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
        this.currentTerm = log.currentTerm();
        this.votedFor = log.votedFor();
        this.nowNs = clock.nowNs();
        // A restarted member may have acknowledged a leader just before it stopped: it honours that leader's lease
        // (refuses votes for the minimum election timeout) as if it had just heard from it.
        this.lastLeaderContactNs = nowNs;
        this.membership = new Membership(this, new Configuration(context.initialVoters(), new int[0]));
        this.replicator = new Replicator(this);
        this.follower = new Follower(this);
        recoverSnapshot();
        membership.recoverFromLog();
        resetElectionTimer();
    }

    private void recoverSnapshot() {
        final int length = log.snapshotLength();
        if (length > 0) {
            final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(length);
            log.copySnapshot(0, buffer, 0, length);
            if (!restoreSnapshot(buffer, length, log.snapshotIndex())) {
                fail();
            }
        }
    }

    /**
     * Restores the state machine and the configuration from snapshot bytes (configuration first).
     */
    boolean restoreSnapshot(final DirectBuffer buffer, final int length, final long index) {
        final Configuration configuration = Configuration.decode(buffer, 0, length);
        if (configuration == null) {
            return false;
        }
        final int configLength = configuration.encodedLength();
        stateMachine.restore(buffer, configLength, length - configLength);
        membership.onSnapshotRestored(configuration, index);
        commitIndex = Math.max(commitIndex, index);
        lastApplied = index;
        appliedSinceSnapshot = 0;
        return true;
    }

    // ------------------------------------------------------------------------------------------------ public API

    /**
     * The duty cycle: first acknowledges the AppendEntries taken by {@link #onMessage(DirectBuffer, int, int)} since
     * the last cycle (one force if their entries are not durable yet, the follower's commit index advanced, one reply
     * to the leader carrying the highest match index and sequence), then runs the election and heartbeat timers,
     * replicates (sending the leader's new entries before forcing them, §10.2.1), forces the leader's own appends,
     * advances and applies the commit index, serves reads, and snapshots when due. The owner calls it after feeding
     * the cycle's inbound frames, so that every AppendEntries of the cycle shares one force and one reply.
     *
     * @param nowNs the owner's current time from the same {@link Clock}.
     * @return amount of work done (0 when idle, for an idle strategy).
     */
    public int doWork(final long nowNs) {
        if (role == ROLE_FAILED) {
            return 0;
        }
        this.nowNs = nowNs;
        int work = 0;
        if (follower.ackPending()) {
            work++;
            if (!follower.flushAck()) {
                return work;
            }
        }
        if (role == ROLE_LEADER) {
            work += replicator.doWork();
        } else if (nowNs >= electionDeadlineNs) {
            work += onElectionTimeout();
        }
        work += applyCommitted();
        if (role == ROLE_LEADER) {
            work += reads.serve(replicator.quorumAckedSeq(), lastApplied, listener);
        }
        work += maybeSnapshot();
        return work;
    }

    /**
     * The first pass of a duty cycle shared by several groups ({@link RaftGroups#doWork(long)}): a leader sends the
     * entries it holds beyond its durable index, as {@link #doWork(long)} does first before forcing them. Run for
     * every group before any group's {@code doWork}, it lets the first force of a log shared by the groups cover
     * every group's new entries, each already on its way to the followers (§10.2.1). {@code doWork} still does all
     * of it by itself for a member driven alone.
     *
     * @param nowNs the owner's current time, the one the following {@link #doWork(long)} gets.
     * @return messages sent.
     */
    int sendUnforced(final long nowNs) {
        if (role != ROLE_LEADER) {
            return 0;
        }
        this.nowNs = nowNs;
        return replicator.sendUnforced();
    }

    /**
     * Takes one Raft frame addressed to this group; malformed frames are counted and dropped.
     *
     * @param buffer holds the frame.
     * @param offset index of the frame's first byte.
     * @param length frame length.
     */
    public void onMessage(final DirectBuffer buffer, final int offset, final int length) {
        if (role == ROLE_FAILED || length < FrameHeaderDescriptor.HEADER_LENGTH) {
            return;
        }
        nowNs = clock.nowNs();
        final int opcode = buffer.getShort(offset + FrameHeaderDescriptor.OPCODE_OFFSET,
            FrameHeaderDescriptor.BYTE_ORDER) & 0xFFFF;
        switch (opcode) {
            case Opcodes.APPEND_ENTRIES -> {
                if (decoded(appendDecoder.wrap(buffer, offset, length))) {
                    follower.onAppendEntries(appendDecoder);
                }
            }
            case Opcodes.APPEND_ENTRIES_RESPONSE -> {
                if (decoded(appendResponseDecoder.wrap(buffer, offset, length))) {
                    onAppendEntriesResponse(appendResponseDecoder);
                }
            }
            case Opcodes.VOTE_REQUEST, Opcodes.PRE_VOTE_REQUEST -> {
                if (decoded(voteRequestDecoder.wrap(buffer, offset, length))) {
                    onVoteRequest(voteRequestDecoder);
                }
            }
            case Opcodes.VOTE_RESPONSE, Opcodes.PRE_VOTE_RESPONSE -> {
                if (decoded(voteResponseDecoder.wrap(buffer, offset, length))) {
                    onVoteResponse(voteResponseDecoder);
                }
            }
            case Opcodes.INSTALL_SNAPSHOT -> {
                if (decoded(snapshotDecoder.wrap(buffer, offset, length))) {
                    follower.onInstallSnapshot(snapshotDecoder);
                }
            }
            case Opcodes.INSTALL_SNAPSHOT_RESPONSE -> {
                if (decoded(snapshotResponseDecoder.wrap(buffer, offset, length))) {
                    onInstallSnapshotResponse(snapshotResponseDecoder);
                }
            }
            case Opcodes.TIMEOUT_NOW -> {
                if (decoded(timeoutNowDecoder.wrap(buffer, offset, length))) {
                    onTimeoutNow(timeoutNowDecoder);
                }
            }
            default -> failedDecodes++;
        }
    }

    private boolean decoded(final int errorCode) {
        if (errorCode != ErrorCode.NONE) {
            failedDecodes++;
            return false;
        }
        return true;
    }

    /**
     * Appends a client command to the leader's log; it is replicated by the next duty cycles. The command is
     * committed when {@link StateMachine#apply} sees this index with the term this member had when proposing
     * ({@link #term()}); a different term at that index means the command was lost with its leader.
     *
     * @param buffer holds the command.
     * @param offset index of its first byte.
     * @param length command length.
     * @return the entry's index, or {@link #NOT_LEADER}, {@link #BACK_PRESSURED}, {@link #INVALID_ARGUMENT}
     *     (longer than the batch size), {@link #FAILED}.
     */
    public long propose(final DirectBuffer buffer, final int offset, final int length) {
        return replicator.propose(EntryType.COMMAND, buffer, offset, length);
    }

    /**
     * Asks for a linearizable read (§6.4). {@link RaftListener#onReadReady(long, long)} follows once leadership is
     * confirmed and the read index applied, or {@link RaftListener#onReadRejected(long)} if leadership is lost.
     *
     * @param correlationId the owner's id for the read.
     * @param allowLease whether a valid leader lease may stand in for the heartbeat round (§6.4.1).
     * @return 0 when queued, {@link #NOT_LEADER}, or {@link #BACK_PRESSURED} when too many reads are pending.
     */
    public long read(final long correlationId, final boolean allowLease) {
        if (role != ROLE_LEADER) {
            return NOT_LEADER;
        }
        nowNs = clock.nowNs();
        final long readIndex = Math.max(commitIndex, replicator.termStartIndex());
        final long seq = allowLease && ctx.leaseReads() && replicator.leaseValid(leaseNs)
            ? 0 : replicator.nextSeq();
        if (!reads.offer(correlationId, readIndex, seq)) {
            return BACK_PRESSURED;
        }
        if (seq != 0) {
            replicator.requestHeartbeat();
        }
        return 0;
    }

    /**
     * Adds a member as a learner (receives the log, does not vote). Dissertation §4.1: one change at a time, and
     * only once the leader has committed an entry of its term.
     *
     * @param id the new member.
     * @return the configuration entry's index, or {@link #NOT_LEADER}, {@link #BACK_PRESSURED},
     *     {@link #INVALID_ARGUMENT} (already a member).
     */
    public long addLearner(final int id) {
        return membership.addLearner(id);
    }

    /**
     * Makes a learner a voter.
     *
     * @param id a learner.
     * @return the configuration entry's index, or {@link #NOT_LEADER}, {@link #BACK_PRESSURED},
     *     {@link #INVALID_ARGUMENT} (not a learner).
     */
    public long promote(final int id) {
        return membership.promote(id);
    }

    /**
     * Removes a voter or learner; a leader that removes itself steps down once the change commits (§4.2.2).
     *
     * @param id the member to remove.
     * @return the configuration entry's index, or {@link #NOT_LEADER}, {@link #BACK_PRESSURED},
     *     {@link #INVALID_ARGUMENT} (not a member, or the last voter).
     */
    public long removeMember(final int id) {
        return membership.remove(id);
    }

    /**
     * Starts a leadership transfer (§3.10): proposals are refused, the target is brought up to date and sent
     * TimeoutNow; the transfer is abandoned after an election timeout.
     *
     * @param targetId a voter other than this member.
     * @return 0 when started, {@link #NOT_LEADER} or {@link #INVALID_ARGUMENT}.
     */
    public long transferLeadership(final int targetId) {
        return replicator.transferLeadership(targetId);
    }

    // ------------------------------------------------------------------------------------------------ elections

    private int onElectionTimeout() {
        if (!membership.configuration().isVoter(memberId)) {
            resetElectionTimer();
            return 0;
        }
        if (ctx.preVote()) {
            startPreVote();
        } else {
            startElection(false);
        }
        return 1;
    }

    private void startPreVote() {
        // Run from doWork, which sent any pending acknowledgement already; a role change never leaves one behind.
        if (!follower.flushAck()) {
            return;
        }
        role = ROLE_PRE_CANDIDATE;
        leaderId = -1;
        votesGranted = 0;
        resetElectionTimer();
        listener.onRoleChange(role, currentTerm, leaderId);
        recordVote(memberId);
        if (wonElection()) {
            startElection(false);
        } else {
            broadcastVoteRequest(Opcodes.PRE_VOTE_REQUEST, currentTerm + 1, 0);
        }
    }

    /**
     * Starts a real election (§5.2): a new term, a vote for itself, forced to disk before any request leaves.
     */
    void startElection(final boolean transfer) {
        if (!persistTermAndVote(currentTerm + 1, memberId)) {
            return;
        }
        role = ROLE_CANDIDATE;
        leaderId = -1;
        votesGranted = 0;
        resetElectionTimer();
        listener.onRoleChange(role, currentTerm, leaderId);
        recordVote(memberId);
        if (wonElection()) {
            becomeLeader();
        } else {
            broadcastVoteRequest(Opcodes.VOTE_REQUEST, currentTerm,
                transfer ? RaftMessageDescriptor.FLAG_LEADERSHIP_TRANSFER : 0);
        }
    }

    private void broadcastVoteRequest(final int opcode, final long term, final int flags) {
        final Configuration configuration = membership.configuration();
        final long lastIndex = log.lastIndex();
        final long lastTerm = log.termAt(lastIndex);
        for (int i = 0; i < configuration.voterCount(); i++) {
            final int voter = configuration.voter(i);
            if (voter != memberId) {
                final int length = voteRequestEncoder.wrap(sendBuffer, 0).opcode(opcode).groupId(groupId)
                    .senderId(memberId).term(term).lastLogIndex(lastIndex).lastLogTerm(lastTerm).voteFlags(flags)
                    .frameLength();
                transport.send(voter, sendBuffer, 0, length);
            }
        }
    }

    private void onVoteRequest(final VoteRequestDecoder request) {
        final boolean preVote = request.isPreVote();
        final long term = request.term();
        final int candidate = request.senderId();
        final boolean transfer = (request.voteFlags() & RaftMessageDescriptor.FLAG_LEADERSHIP_TRANSFER) != 0;
        // Dissertation §4.2.3: within the minimum election timeout of hearing from a leader, neither update the
        // term nor grant a vote (a leader hears from itself) - this keeps removed or partitioned members from
        // disrupting a healthy leader and is what makes leader leases safe. A transfer (TimeoutNow) is exempt.
        // The check does not depend on knowing the leader: a member that just restarted, or just stepped down on a
        // stale higher-term reply, may have acknowledged a leader whose lease is still running.
        final boolean leaderAlive = !transfer && (role == ROLE_LEADER || nowNs - lastLeaderContactNs < electionMinNs);
        if (term < currentTerm || leaderAlive) {
            replyVote(request.opcode(), candidate, false);
            return;
        }
        if (!preVote && term > currentTerm) {
            becomeFollower(term, -1);
            if (role == ROLE_FAILED) {
                return;
            }
        }
        final long lastIndex = log.lastIndex();
        final long lastTerm = log.termAt(lastIndex);
        // §5.4.1 election restriction: the candidate's log must be at least as up to date as ours.
        final boolean upToDate = request.lastLogTerm() > lastTerm
            || (request.lastLogTerm() == lastTerm && request.lastLogIndex() >= lastIndex);
        // §9.6: a pre-vote changes nothing here; it only says whether a real vote could be granted.
        final boolean granted = preVote
            ? upToDate && term > currentTerm
            : upToDate && (votedFor == RaftLog.NO_VOTE || votedFor == candidate);
        if (!preVote && granted) {
            // Figure 2: the vote is on disk before the reply leaves; a crash cannot lead to a second vote.
            if (votedFor != candidate && !persistTermAndVote(currentTerm, candidate)) {
                return;
            }
            resetElectionTimer();
        }
        replyVote(request.opcode(), candidate, granted);
    }

    private void replyVote(final int requestOpcode, final int candidate, final boolean granted) {
        final int opcode = requestOpcode == Opcodes.PRE_VOTE_REQUEST
            ? Opcodes.PRE_VOTE_RESPONSE : Opcodes.VOTE_RESPONSE;
        final int length = voteResponseEncoder.wrap(sendBuffer, 0).opcode(opcode).groupId(groupId).senderId(memberId)
            .term(currentTerm).granted(granted).frameLength();
        transport.send(candidate, sendBuffer, 0, length);
    }

    private void onVoteResponse(final VoteResponseDecoder response) {
        final long term = response.term();
        if (term > currentTerm && !(response.isPreVote() && response.granted())) {
            becomeFollower(term, -1);
            return;
        }
        if (response.isPreVote()) {
            if (role == ROLE_PRE_CANDIDATE && response.granted()) {
                recordVote(response.senderId());
                if (wonElection()) {
                    startElection(false);
                }
            }
        } else if (role == ROLE_CANDIDATE && term == currentTerm && response.granted()) {
            recordVote(response.senderId());
            if (wonElection()) {
                becomeLeader();
            }
        }
    }

    private void recordVote(final int voterId) {
        final int position = membership.voterPosition(voterId);
        if (position >= 0) {
            votesGranted |= 1L << position;
        }
    }

    private boolean wonElection() {
        return Long.bitCount(votesGranted) >= membership.configuration().quorum();
    }

    private void becomeLeader() {
        role = ROLE_LEADER;
        leaderId = memberId;
        replicator.onBecomeLeader();
        listener.onRoleChange(role, currentTerm, leaderId);
    }

    private void onTimeoutNow(final TimeoutNowDecoder request) {
        // What the leader sent before the TimeoutNow is acknowledged before any election it starts.
        if (!follower.flushAck()) {
            return;
        }
        // §3.10: the leader asks us to start an election at once, skipping pre-vote and the leader-alive check.
        if (request.term() == currentTerm && role == ROLE_FOLLOWER && membership.configuration().isVoter(memberId)) {
            startElection(true);
        }
    }

    /**
     * Steps down to follower (§5.1): a higher term is persisted with no vote before anything else happens.
     */
    void becomeFollower(final long term, final int newLeaderId) {
        // A pending acknowledgement is for the current leader and term: it leaves before either changes.
        if (!follower.flushAck()) {
            return;
        }
        if (term > currentTerm && !persistTermAndVote(term, RaftLog.NO_VOTE)) {
            return;
        }
        final boolean changed = role != ROLE_FOLLOWER || leaderId != newLeaderId;
        if (role == ROLE_LEADER) {
            reads.rejectAll(listener);
            replicator.onStepDown();
        }
        role = ROLE_FOLLOWER;
        leaderId = newLeaderId;
        resetElectionTimer();
        if (changed) {
            listener.onRoleChange(role, currentTerm, leaderId);
        }
    }

    /**
     * Durably records the term and vote; a pending acknowledgement is sent first, in the term it was accepted in.
     */
    boolean persistTermAndVote(final long term, final int vote) {
        if (!follower.flushAck()) {
            return false;
        }
        if (!log.persistTermAndVote(term, vote)) {
            fail();
            return false;
        }
        currentTerm = term;
        votedFor = vote;
        return true;
    }

    void resetElectionTimer() {
        electionDeadlineNs = nowNs + electionMinNs + random.nextLong(electionMaxNs - electionMinNs);
    }

    void fail() {
        // Nothing is acknowledged after a storage failure: the entries may be lost.
        follower.dropAck();
        if (role == ROLE_LEADER) {
            reads.rejectAll(listener);
        }
        role = ROLE_FAILED;
        leaderId = -1;
        listener.onRoleChange(role, currentTerm, leaderId);
    }

    // ------------------------------------------------------------------------------------------------ leader side

    private void onAppendEntriesResponse(final AppendEntriesResponseDecoder response) {
        if (response.term() > currentTerm) {
            becomeFollower(response.term(), -1);
        } else if (role == ROLE_LEADER && response.term() == currentTerm) {
            replicator.onAppendEntriesResponse(response);
        }
    }

    private void onInstallSnapshotResponse(final InstallSnapshotResponseDecoder response) {
        if (response.term() > currentTerm) {
            becomeFollower(response.term(), -1);
        } else if (role == ROLE_LEADER && response.term() == currentTerm) {
            replicator.onInstallSnapshotResponse(response);
        }
    }

    // ------------------------------------------------------------------------------------------------ apply

    private int applyCommitted() {
        final long target = Math.min(commitIndex, lastApplied + ctx.maxApplyBatch());
        int applied = 0;
        while (lastApplied < target) {
            final long index = lastApplied + 1;
            final int type = log.entryType(index);
            if (type == EntryType.COMMAND) {
                final int length = log.entryLength(index);
                applyBuffer.checkLimit(length);
                log.copyEntry(index, applyBuffer, 0);
                stateMachine.apply(index, log.termAt(index), applyBuffer, 0, length);
            } else if (type == EntryType.CONFIG) {
                membership.onConfigCommitted(index);
            }
            lastApplied = index;
            appliedSinceSnapshot++;
            applied++;
        }
        return applied;
    }

    private int maybeSnapshot() {
        final long every = ctx.snapshotEveryEntries();
        final boolean due = snapshotRequested || every != 0 && appliedSinceSnapshot >= every;
        if (!due || lastApplied <= log.snapshotIndex()) {
            snapshotRequested = false;
            return 0;
        }
        final Configuration configuration = membership.appliedConfiguration();
        final ExpandableDirectByteBuffer buffer = applyBuffer;
        final int configLength = configuration.encode(buffer, 0);
        final int stateLength = stateMachine.takeSnapshot(buffer, configLength);
        if (!log.saveSnapshot(lastApplied, log.termAt(lastApplied), buffer, 0, configLength + stateLength)) {
            fail();
            return 0;
        }
        membership.onSnapshotTaken(lastApplied);
        appliedSinceSnapshot = 0;
        snapshotRequested = false;
        return 1;
    }

    /**
     * Asks for a snapshot at the next duty cycle, whatever the entry count since the last one (nothing happens when
     * nothing was applied since): the owner's way to let a log drop entries it keeps space for, e.g. an idle group
     * holding the oldest segment of a log shared with busy groups.
     */
    public void requestSnapshot() {
        snapshotRequested = true;
    }

    /** Advances the commit index, never backwards. */
    void advanceCommitIndex(final long index) {
        if (index > commitIndex) {
            commitIndex = index;
        }
    }

    // ------------------------------------------------------------------------------------------------ accessors

    /** @return one of the {@code ROLE_*} constants. */
    public int role() {
        return role;
    }

    /** @return the current term. */
    public long term() {
        return currentTerm;
    }

    /** @return the member voted for in the current term, or {@link RaftLog#NO_VOTE}. */
    public int votedFor() {
        return votedFor;
    }

    /** @return the known leader of the current term, or -1. */
    public int leaderId() {
        return leaderId;
    }

    /** @return the highest index known committed. */
    public long commitIndex() {
        return commitIndex;
    }

    /** @return the highest index applied to the state machine. */
    public long lastApplied() {
        return lastApplied;
    }

    /** @return this member's id. */
    public int memberId() {
        return memberId;
    }

    /** @return the group's id. */
    public int groupId() {
        return groupId;
    }

    /** @return the configuration in effect (the latest one in the log, committed or not). */
    public Configuration configuration() {
        return membership.configuration();
    }

    /** @return the log this member runs on. */
    public RaftLog log() {
        return log;
    }

    /** @return frames dropped because they failed to decode. */
    public int failedDecodes() {
        return failedDecodes;
    }

    /** @return reads waiting for confirmation or apply. */
    public int pendingReads() {
        return reads.size();
    }

    /**
     * @param memberId a member of the group.
     * @return the leader's known match index of that member (its own durable index for the leader itself), for
     *     tests and metrics; -1 when this member is not the leader or does not know the member.
     */
    public long matchIndexOf(final int memberId) {
        return role == ROLE_LEADER ? replicator.matchIndexOf(memberId) : -1;
    }

    /**
     * Describes the leader's view of every follower (replication mode, next and match index, messages in flight);
     * allocates: for diagnostics and tests only.
     *
     * @param out where to append.
     */
    public void appendReplicationTo(final StringBuilder out) {
        if (role == ROLE_LEADER) {
            replicator.appendTo(out);
        }
    }

    @Override
    public String toString() {
        return "RaftNode{group=" + groupId + ", member=" + memberId + ", role=" + role + ", term=" + currentTerm
            + ", leader=" + leaderId + ", commit=" + commitIndex + ", applied=" + lastApplied
            + ", last=" + log.lastIndex() + ", snapshot=" + log.snapshotIndex() + "}";
    }
}
