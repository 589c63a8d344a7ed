package io.loomcache.raft;

import io.loomcache.protocol.raft.AppendEntriesEncoder;
import io.loomcache.protocol.raft.AppendEntriesResponseDecoder;
import io.loomcache.protocol.raft.InstallSnapshotEncoder;
import io.loomcache.protocol.raft.InstallSnapshotResponseDecoder;
import io.loomcache.protocol.raft.RaftMessageDescriptor;
import io.loomcache.protocol.raft.TimeoutNowEncoder;

import org.agrona.DirectBuffer;

/**
 * The leader's side of log replication (§5.3) for one group: proposals, batched and pipelined AppendEntries per
 * follower (PROBE until the follower's position is known, then REPLICATE with a window of messages in flight),
 * InstallSnapshot in chunks (§7), heartbeats, the commit rule (§5.4.2), check-quorum, the ReadIndex and lease
 * bookkeeping (§6.4) and leadership transfer (§3.10). Owned by the group's thread; allocates nothing in the steady
 * state.
 */
final class Replicator {
    private static final int SEQ_RING = 1024;

    private final RaftNode node;
    private final AppendEntriesEncoder appendEncoder = new AppendEntriesEncoder();
    private final InstallSnapshotEncoder snapshotEncoder = new InstallSnapshotEncoder();
    private final TimeoutNowEncoder timeoutNowEncoder = new TimeoutNowEncoder();
    private final long[] seqSentNs = new long[SEQ_RING];
    private final long[] seqOfSlot = new long[SEQ_RING];
    private final long[] scratch = new long[ConfigurationDescriptor.MAX_MEMBERS];
    private final long heartbeatNs;
    private final long electionMaxNs;
    private Peer[] peers = new Peer[0];
    private long seq;
    private long termStartIndex;
    private long lastTickNs;
    private boolean heartbeatRequested;
    private int transferTarget = -1;
    private boolean timeoutNowSentThisTerm;
    private long transferDeadlineNs;

    Replicator(final RaftNode node) {
        this.node = node;
        this.heartbeatNs = node.ctx.heartbeatIntervalMs() * 1_000_000L;
        this.electionMaxNs = node.ctx.electionTimeoutMaxMs() * 1_000_000L;
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    void onBecomeLeader() {
        seq = 0;
        transferTarget = -1;
        timeoutNowSentThisTerm = false;
        lastTickNs = node.nowNs;
        onConfigurationChanged(node.membership.configuration());
        final long next = node.log.lastIndex() + 1;
        for (final Peer peer : peers) {
            peer.reset(next, node.nowNs);
        }
        // §8: a new leader commits a no-op of its own term so that earlier entries commit and reads can start.
        termStartIndex = next;
        if (!node.log.append(next, node.currentTerm, EntryType.NOOP, node.sendBuffer, 0, 0)) {
            node.fail();
            return;
        }
        heartbeatRequested = true;
    }

    void onStepDown() {
        transferTarget = -1;
        heartbeatRequested = false;
    }

    /**
     * Rebuilds the per-member state after a configuration change: members that stay keep their progress.
     */
    void onConfigurationChanged(final Configuration configuration) {
        final int count = configuration.voterCount() + configuration.learnerCount()
            - (configuration.contains(node.memberId) ? 1 : 0);
        final Peer[] next = new Peer[count];
        int n = 0;
        for (int i = 0; i < configuration.voterCount(); i++) {
            n = addPeer(next, n, configuration.voter(i));
        }
        for (int i = 0; i < configuration.learnerCount(); i++) {
            n = addPeer(next, n, configuration.learner(i));
        }
        peers = next;
    }

    private int addPeer(final Peer[] next, final int n, final int id) {
        if (id == node.memberId) {
            return n;
        }
        Peer peer = peer(id);
        if (peer == null) {
            peer = new Peer(id, node.ctx.maxInflightAppends());
            peer.reset(node.log.lastIndex() + 1, node.nowNs);
        }
        next[n] = peer;
        return n + 1;
    }

    // ------------------------------------------------------------------------------------------------ proposals

    long propose(final int type, final DirectBuffer buffer, final int offset, final int length) {
        if (node.role != RaftNode.ROLE_LEADER) {
            return node.role == RaftNode.ROLE_FAILED ? RaftNode.FAILED : RaftNode.NOT_LEADER;
        }
        if (length < 0 || length > node.ctx.maxAppendBytes() - RaftMessageDescriptor.ENTRY_HEADER_LENGTH) {
            return RaftNode.INVALID_ARGUMENT;
        }
        final RaftLog log = node.log;
        if (transferTarget != -1 || log.lastIndex() - node.commitIndex >= node.ctx.maxUncommittedEntries()) {
            return RaftNode.BACK_PRESSURED;
        }
        final long index = log.lastIndex() + 1;
        if (!log.append(index, node.currentTerm, type, buffer, offset, length)) {
            node.fail();
            return RaftNode.FAILED;
        }
        return index;
    }

    // ------------------------------------------------------------------------------------------------ duty cycle

    int doWork() {
        int work = 0;
        final RaftLog log = node.log;
        if (log.durableIndex() < log.lastIndex()) {
            // One force covers every entry proposed since the last duty cycle (batching); followers write in
            // parallel, since the entries were already sent (§10.2.1).
            work += sendAll();
            if (log.force() == RaftLog.FAILED) {
                node.fail();
                return work;
            }
            work++;
        }
        // Ticks fall on multiples of the interval of the owner's clock rather than an interval after the last one,
        // so every group an owner drives heartbeats in the same duty cycle and a transport can pack their frames
        // to one member into one (the server's PeerBatcher).
        if (Math.floorDiv(node.nowNs, heartbeatNs) != Math.floorDiv(lastTickNs, heartbeatNs)) {
            lastTickNs = node.nowNs;
            work += tick();
            if (node.role != RaftNode.ROLE_LEADER) {
                return work;
            }
        }
        work += sendAll();
        advanceCommitIndex();
        return work;
    }

    /**
     * Sends the entries beyond the durable index, the first step of {@link #doWork()} (before its force); run by
     * itself for every group of an executor before any of them forces (see {@link RaftNode#sendUnforced(long)}).
     */
    int sendUnforced() {
        final RaftLog log = node.log;
        return log.durableIndex() < log.lastIndex() ? sendAll() : 0;
    }

    private int sendAll() {
        int sent = 0;
        for (final Peer peer : peers) {
            sent += sendIfNeeded(peer);
        }
        // A requested round (ReadIndex) is one message per follower, even when a duty cycle sends twice.
        heartbeatRequested = false;
        return sent;
    }

    private int tick() {
        final long now = node.nowNs;
        for (final Peer peer : peers) {
            if (peer.state == Peer.REPLICATE && peer.inflight > 0 && peer.matchIndex == peer.matchIndexAtTick) {
                // Messages in flight but the match index did not move for a heartbeat interval: assume they were
                // lost and re-probe. (Acknowledgements alone prove nothing: heartbeats are answered too.)
                peer.probe(peer.matchIndex + 1);
            } else if (peer.state != Peer.REPLICATE) {
                peer.awaiting = false;
            }
            peer.matchIndexAtTick = peer.matchIndex;
        }
        if (transferTarget != -1 && now >= transferDeadlineNs) {
            transferTarget = -1;
        }
        // Check quorum (dissertation §6.2): a leader that has not heard from a majority for an election timeout
        // steps down, so a partitioned leader stops serving and its lease cannot outlive its authority.
        final Configuration configuration = node.membership.configuration();
        int alive = configuration.isVoter(node.memberId) ? 1 : 0;
        for (final Peer peer : peers) {
            if (configuration.isVoter(peer.id) && now - peer.lastAckNs < electionMaxNs) {
                alive++;
            }
        }
        if (alive < configuration.quorum()) {
            node.becomeFollower(node.currentTerm, -1);
        }
        return 1;
    }

    private int sendIfNeeded(final Peer peer) {
        final boolean heartbeatDue = heartbeatRequested || node.nowNs - peer.lastSendNs >= heartbeatNs;
        final long lastIndex = node.log.lastIndex();
        switch (peer.state) {
            case Peer.SNAPSHOT -> {
                if (!peer.awaiting) {
                    sendSnapshotChunk(peer);
                    return 1;
                }
                return 0;
            }
            case Peer.PROBE -> {
                if (!peer.awaiting && (peer.nextIndex <= lastIndex || heartbeatDue)) {
                    sendAppend(peer);
                    return 1;
                }
                return 0;
            }
            default -> {
                int sent = 0;
                while (peer.state == Peer.REPLICATE && !peer.inflightFull() && peer.nextIndex <= lastIndex) {
                    sendAppend(peer);
                    sent++;
                }
                if (sent == 0 && heartbeatDue && peer.state == Peer.REPLICATE) {
                    sendHeartbeat(peer);
                    sent++;
                }
                return sent;
            }
        }
    }

    private void sendAppend(final Peer peer) {
        final RaftLog log = node.log;
        final long next = peer.nextIndex;
        final long prev = next - 1;
        final long prevTerm = log.termAt(prev);
        if (next < log.firstIndex() || prevTerm == RaftLog.UNKNOWN_TERM) {
            startSnapshot(peer);
            return;
        }
        final long messageSeq = nextSeqAndRecord();
        appendHeader(prev, prevTerm, messageSeq);
        final long lastIndex = log.lastIndex();
        final int maxBytes = node.ctx.maxAppendBytes();
        int bytes = 0;
        long index = next;
        while (index <= lastIndex) {
            final int length = log.entryLength(index);
            final int needed = RaftMessageDescriptor.ENTRY_HEADER_LENGTH + length;
            if (bytes > 0 && bytes + needed > maxBytes) {
                break;
            }
            final int position = appendEncoder.claimEntry(log.termAt(index), log.entryType(index), length);
            log.copyEntry(index, node.sendBuffer, position);
            bytes += needed;
            index++;
        }
        node.transport.send(peer.id, node.sendBuffer, 0, appendEncoder.frameLength());
        peer.lastSendNs = node.nowNs;
        if (peer.state == Peer.REPLICATE) {
            if (index > next) {
                peer.addInflight(index - 1);
                peer.nextIndex = index;
            }
        } else {
            peer.awaiting = true;
        }
    }

    private void sendHeartbeat(final Peer peer) {
        final long prev = peer.matchIndex;
        final long prevTerm = node.log.termAt(prev);
        if (prevTerm == RaftLog.UNKNOWN_TERM) {
            peer.probe(peer.matchIndex + 1);
            sendAppend(peer);
            return;
        }
        final long messageSeq = nextSeqAndRecord();
        final int length = appendHeader(prev, prevTerm, messageSeq).frameLength();
        node.transport.send(peer.id, node.sendBuffer, 0, length);
        peer.lastSendNs = node.nowNs;
    }

    private AppendEntriesEncoder appendHeader(final long prev, final long prevTerm, final long messageSeq) {
        return appendEncoder.wrap(node.sendBuffer, 0).groupId(node.groupId).senderId(node.memberId)
            .term(node.currentTerm).prevLogIndex(prev).prevLogTerm(prevTerm).leaderCommit(node.commitIndex)
            .seq(messageSeq);
    }

    private void startSnapshot(final Peer peer) {
        peer.state = Peer.SNAPSHOT;
        peer.snapshotIndex = -1;
        peer.awaiting = false;
        peer.inflight = 0;
        sendSnapshotChunk(peer);
    }

    private void sendSnapshotChunk(final Peer peer) {
        final RaftLog log = node.log;
        if (peer.snapshotIndex != log.snapshotIndex()) {
            // A newer local snapshot replaces the one being sent: start over with it.
            peer.snapshotIndex = log.snapshotIndex();
            peer.snapshotTerm = log.snapshotTerm();
            peer.snapshotLength = log.snapshotLength();
            peer.snapshotOffset = 0;
        }
        final int chunk = (int)Math.min(node.ctx.snapshotChunkBytes(), peer.snapshotLength - peer.snapshotOffset);
        final boolean done = peer.snapshotOffset + chunk == peer.snapshotLength;
        final long messageSeq = nextSeqAndRecord();
        final int position = snapshotEncoder.wrap(node.sendBuffer, 0).groupId(node.groupId).senderId(node.memberId)
            .term(node.currentTerm).lastIncludedIndex(peer.snapshotIndex).lastIncludedTerm(peer.snapshotTerm)
            .totalLength(peer.snapshotLength).chunkOffset(peer.snapshotOffset).seq(messageSeq).done(done)
            .claimChunk(chunk);
        log.copySnapshot(peer.snapshotOffset, node.sendBuffer, position, chunk);
        node.transport.send(peer.id, node.sendBuffer, 0, position + chunk);
        peer.lastSendNs = node.nowNs;
        peer.awaiting = true;
    }

    // ------------------------------------------------------------------------------------------------ responses

    void onAppendEntriesResponse(final AppendEntriesResponseDecoder response) {
        final Peer peer = peer(response.senderId());
        if (peer == null) {
            return;
        }
        acknowledge(peer, response.seq());
        if (response.success()) {
            // The follower reports the index its consistency check verified (prevLogIndex + entries), never its
            // last index: a heartbeat must not make stale entries of an old term look replicated.
            final long match = Math.min(response.matchIndex(), node.log.lastIndex());
            if (match > peer.matchIndex) {
                peer.matchIndex = match;
            }
            peer.freeInflightTo(peer.matchIndex);
            if (peer.state == Peer.PROBE) {
                peer.state = Peer.REPLICATE;
                peer.awaiting = false;
                peer.nextIndex = peer.matchIndex + 1;
            } else if (peer.state == Peer.REPLICATE) {
                peer.nextIndex = Math.max(peer.nextIndex, peer.matchIndex + 1);
            }
            advanceCommitIndex();
            maybeSendTimeoutNow(peer);
        } else if (peer.state != Peer.SNAPSHOT) {
            if (response.lastLogIndex() < peer.matchIndex && response.term() == node.currentTerm) {
                // The follower holds less than it acknowledged: its storage was lost (a wiped member rejoining
                // under its old id). Forget what it acknowledged, so that it is brought back from its real last
                // index (by InstallSnapshot when that is before the log) instead of being probed above it forever.
                peer.matchIndex = Math.max(0, response.lastLogIndex());
            }
            // §5.3: back off to the follower's hint (its last index or the start of a conflicting term).
            peer.probe(Math.min(response.lastLogIndex() + 1, peer.nextIndex));
        }
        if (node.role == RaftNode.ROLE_LEADER) {
            sendIfNeeded(peer);
        }
    }

    void onInstallSnapshotResponse(final InstallSnapshotResponseDecoder response) {
        final Peer peer = peer(response.senderId());
        if (peer == null) {
            return;
        }
        acknowledge(peer, response.seq());
        if (peer.state != Peer.SNAPSHOT || response.lastIncludedIndex() != peer.snapshotIndex) {
            return;
        }
        if (response.success() && response.nextOffset() >= peer.snapshotLength) {
            peer.matchIndex = Math.max(peer.matchIndex, peer.snapshotIndex);
            peer.probe(peer.snapshotIndex + 1);
            advanceCommitIndex();
        } else {
            peer.snapshotOffset = Math.max(0, Math.min(response.nextOffset(), peer.snapshotLength));
            peer.awaiting = false;
        }
        sendIfNeeded(peer);
    }

    private void acknowledge(final Peer peer, final long messageSeq) {
        peer.lastAckNs = node.nowNs;
        if (messageSeq > peer.ackedSeq) {
            peer.ackedSeq = messageSeq;
            final int slot = (int)(messageSeq & (SEQ_RING - 1));
            if (seqOfSlot[slot] == messageSeq) {
                peer.ackedSentNs = seqSentNs[slot];
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ commit

    /**
     * §5.4.2: the highest index stored on a majority of voters commits only if its entry is of the current term.
     * The leader counts itself up to its durable index only.
     */
    private void advanceCommitIndex() {
        final Configuration configuration = node.membership.configuration();
        final int voters = configuration.voterCount();
        if (voters == 0) {
            return;
        }
        for (int i = 0; i < voters; i++) {
            final int id = configuration.voter(i);
            if (id == node.memberId) {
                scratch[i] = node.log.durableIndex();
            } else {
                final Peer peer = peer(id);
                scratch[i] = peer == null ? 0 : peer.matchIndex;
            }
        }
        final long quorumIndex = quorumValue(voters, configuration.quorum());
        if (quorumIndex > node.commitIndex && node.log.termAt(quorumIndex) == node.currentTerm) {
            node.advanceCommitIndex(quorumIndex);
        }
    }

    /** Sorts the first {@code count} scratch values and returns the largest value a quorum reaches. */
    private long quorumValue(final int count, final int quorum) {
        for (int i = 1; i < count; i++) {
            final long value = scratch[i];
            int j = i - 1;
            while (j >= 0 && scratch[j] > value) {
                scratch[j + 1] = scratch[j];
                j--;
            }
            scratch[j + 1] = value;
        }
        return scratch[count - quorum];
    }

    // ------------------------------------------------------------------------------------------------ reads

    long termStartIndex() {
        return termStartIndex;
    }

    /** @return the sequence the next message will carry; a read waits until a quorum acknowledged it. */
    long nextSeq() {
        return seq + 1;
    }

    void requestHeartbeat() {
        heartbeatRequested = true;
    }

    private long nextSeqAndRecord() {
        final long messageSeq = ++seq;
        final int slot = (int)(messageSeq & (SEQ_RING - 1));
        seqOfSlot[slot] = messageSeq;
        seqSentNs[slot] = node.nowNs;
        return messageSeq;
    }

    /** @return the highest sequence acknowledged by a quorum of voters (the leader acknowledges everything). */
    long quorumAckedSeq() {
        final Configuration configuration = node.membership.configuration();
        final int voters = configuration.voterCount();
        if (voters == 0) {
            return 0;
        }
        for (int i = 0; i < voters; i++) {
            final int id = configuration.voter(i);
            final Peer peer = id == node.memberId ? null : peer(id);
            scratch[i] = id == node.memberId ? Long.MAX_VALUE : peer == null ? 0 : peer.ackedSeq;
        }
        return quorumValue(voters, configuration.quorum());
    }

    /**
     * §6.4.1 lease: voters do not vote for another candidate within the minimum election timeout of hearing from
     * this leader (see RaftNode#onVoteRequest), so a quorum that acknowledged a message sent at time t keeps
     * anyone else from leading before t + electionTimeoutMin, measured on their clocks. The lease is shortened by
     * the drift ratio to cover clocks that run at different rates, is unavailable until this term's first entry is
     * committed, and is given up as soon as a leadership transfer starts and for the rest of the term once a
     * TimeoutNow was sent (TimeoutNow bypasses the voters' check).
     */
    boolean leaseValid(final long leaseNs) {
        if (transferTarget != -1 || timeoutNowSentThisTerm || node.commitIndex < termStartIndex) {
            return false;
        }
        final Configuration configuration = node.membership.configuration();
        final int voters = configuration.voterCount();
        for (int i = 0; i < voters; i++) {
            final int id = configuration.voter(i);
            final Peer peer = id == node.memberId ? null : peer(id);
            scratch[i] = id == node.memberId ? node.nowNs : peer == null ? Long.MIN_VALUE : peer.ackedSentNs;
        }
        final long leaseStartNs = quorumValue(voters, configuration.quorum());
        return leaseStartNs != Long.MIN_VALUE && node.nowNs - leaseStartNs < leaseNs;
    }

    // ------------------------------------------------------------------------------------------------ transfer

    long transferLeadership(final int targetId) {
        if (node.role != RaftNode.ROLE_LEADER) {
            return RaftNode.NOT_LEADER;
        }
        final Peer peer = peer(targetId);
        if (peer == null || !node.membership.configuration().isVoter(targetId)) {
            return RaftNode.INVALID_ARGUMENT;
        }
        transferTarget = targetId;
        transferDeadlineNs = node.nowNs + electionMaxNs;
        peer.timeoutNowSent = false;
        maybeSendTimeoutNow(peer);
        return 0;
    }

    private void maybeSendTimeoutNow(final Peer peer) {
        if (transferTarget == peer.id && !peer.timeoutNowSent && peer.matchIndex == node.log.lastIndex()) {
            final int length = timeoutNowEncoder.wrap(node.sendBuffer, 0).groupId(node.groupId)
                .senderId(node.memberId).term(node.currentTerm).frameLength();
            node.transport.send(peer.id, node.sendBuffer, 0, length);
            peer.timeoutNowSent = true;
            // A TimeoutNow may be acted on at any later time, even after the transfer was abandoned, and the
            // election it starts skips the voters' leader-alive check: no more lease reads in this term.
            timeoutNowSentThisTerm = true;
        }
    }

    boolean transferring() {
        return transferTarget != -1;
    }

    // ------------------------------------------------------------------------------------------------ lookup

    private Peer peer(final int id) {
        for (final Peer peer : peers) {
            if (peer.id == id) {
                return peer;
            }
        }
        return null;
    }

    void appendTo(final StringBuilder out) {
        for (final Peer peer : peers) {
            out.append(" [peer ").append(peer.id).append(" state=").append(peer.state).append(" next=")
                .append(peer.nextIndex).append(" match=").append(peer.matchIndex).append(" inflight=")
                .append(peer.inflight).append(" awaiting=").append(peer.awaiting).append(" lastAckMs=")
                .append((node.nowNs - peer.lastAckNs) / 1_000_000).append(" ago]");
        }
    }

    long matchIndexOf(final int id) {
        if (id == node.memberId) {
            return node.log.durableIndex();
        }
        final Peer peer = peer(id);
        return peer == null ? -1 : peer.matchIndex;
    }
}
