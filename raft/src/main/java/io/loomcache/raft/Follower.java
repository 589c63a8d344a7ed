package io.loomcache.raft;

import io.loomcache.protocol.raft.AppendEntriesDecoder;
import io.loomcache.protocol.raft.AppendEntriesResponseEncoder;
import io.loomcache.protocol.raft.InstallSnapshotDecoder;
import io.loomcache.protocol.raft.InstallSnapshotResponseEncoder;

import org.agrona.ExpandableDirectByteBuffer;

/**
 * The receiving side of replication: AppendEntries (§5.3) and InstallSnapshot (§7). Entries are forced before
 * they are acknowledged, and the match index reported is only what the consistency check verified. Owned by the
 * group's thread; AppendEntries allocates nothing, a snapshot grows its receive buffer once.
 *
 * <p>Acknowledgements are batched per duty cycle: a successful AppendEntries appends its entries and records a
 * pending acknowledgement (its leader, the highest verified match index, the highest sequence and the highest
 * leaderCommit of the messages it covers) instead of forcing and replying at once. {@link #flushAck()}, called at
 * the start of {@link RaftNode#doWork(long)}, forces once if the match is not yet durable, advances the commit
 * index to {@code min(leaderCommit, match)} (Figure 2) and sends one reply; so several AppendEntries from the leader
 * in one cycle cost one force and one reply, and with a log shared by the executor's groups, one force covers them
 * all. Whatever must not overtake the acknowledgement flushes it first: a rejection, a truncation, an
 * InstallSnapshot, a message of another leader or term, any change of the term or vote
 * ({@link RaftNode#persistTermAndVote(long, int)}), a step down and a TimeoutNow; so a success reply is only ever
 * sent for durable entries and carries the term they were accepted in. A storage failure ({@link RaftNode#fail()})
 * drops it unsent.
 */
final class Follower {
    private static final int MAX_HINT_SCAN = 4096;

    private final RaftNode node;
    private final AppendEntriesResponseEncoder appendResponseEncoder = new AppendEntriesResponseEncoder();
    private final InstallSnapshotResponseEncoder snapshotResponseEncoder = new InstallSnapshotResponseEncoder();
    private ExpandableDirectByteBuffer snapshotBuffer;
    private long receivingIndex = -1;
    private long receivedBytes;
    /** Leader the pending acknowledgement goes to, or -1 when none is pending. */
    private int ackLeader = -1;
    /** Highest index verified to match the leader's log by the messages the pending acknowledgement covers. */
    private long ackMatch;
    /** Highest sequence of those messages (the leader's ReadIndex and lease bookkeeping, §6.4). */
    private long ackSeq;
    /** Highest leaderCommit of those messages. */
    private long ackLeaderCommit;

    Follower(final RaftNode node) {
        this.node = node;
    }

    /**
     * Accepts or answers a leader's message of term {@code term}: stale terms are refused; a current one makes
     * this member a follower of {@code leader} and restarts its election timer.
     *
     * @return whether to go on with the message.
     */
    private boolean acceptLeader(final long term, final int leader) {
        if (term < node.currentTerm) {
            return false;
        }
        if (term > node.currentTerm || node.role != RaftNode.ROLE_FOLLOWER || node.leaderId != leader) {
            node.becomeFollower(term, leader);
            if (node.role == RaftNode.ROLE_FAILED) {
                return false;
            }
        }
        node.lastLeaderContactNs = node.nowNs;
        node.resetElectionTimer();
        return true;
    }

    /**
     * Handles an AppendEntries: a rejection is answered at once (after any pending acknowledgement), a success is
     * appended and left pending for {@link #flushAck()}.
     */
    void onAppendEntries(final AppendEntriesDecoder request) {
        final int leader = request.senderId();
        final RaftLog log = node.log;
        if (ackLeader != -1 && (leader != ackLeader || request.term() != node.currentTerm) && !flushAck()) {
            return;
        }
        if (!acceptLeader(request.term(), leader)) {
            if (node.role != RaftNode.ROLE_FAILED) {
                reply(leader, 0, log.lastIndex(), request.seq(), false);
            }
            return;
        }
        final long prev = request.prevLogIndex();
        final long snapshotIndex = log.snapshotIndex();
        if (prev > log.lastIndex()) {
            if (flushAck()) {
                reply(leader, 0, log.lastIndex(), request.seq(), false);
            }
            return;
        }
        if (prev >= snapshotIndex && log.termAt(prev) != request.prevLogTerm()) {
            if (flushAck()) {
                reply(leader, 0, conflictHint(prev), request.seq(), false);
            }
            return;
        }
        request.rewind();
        while (request.nextEntry()) {
            final long index = request.entryIndex();
            if (index <= snapshotIndex) {
                continue;
            }
            if (index <= log.lastIndex()) {
                if (log.termAt(index) == request.entryTerm()) {
                    continue;
                }
                // §5.3 step 3: a conflicting entry and everything after it go; a committed entry never conflicts
                // (leader completeness), so reaching one here means the leader is broken: stop rather than lose it.
                // A pending acknowledgement leaves first, for the log it verified.
                if (!flushAck()) {
                    return;
                }
                if (index <= node.commitIndex || !log.truncateAfter(index - 1)) {
                    node.fail();
                    return;
                }
                node.membership.onTruncated(index - 1);
            }
            if (!log.append(index, request.entryTerm(), request.entryType(), request.buffer(),
                request.entryPayloadOffset(), request.entryLength())) {
                node.fail();
                return;
            }
            if (request.entryType() == EntryType.CONFIG) {
                node.membership.onConfigAppended(index, request.buffer(), request.entryPayloadOffset(),
                    request.entryLength());
            }
        }
        // Only what this message verified (prevLogIndex + its entries) counts as matching the leader's log.
        final long match = Math.max(prev + request.entryCount(), snapshotIndex);
        if (ackLeader == -1) {
            ackLeader = leader;
            ackMatch = match;
            ackSeq = request.seq();
            ackLeaderCommit = request.leaderCommit();
        } else {
            // Same leader, same term: its log only grows within the term, so what an earlier message verified
            // still matches it; the highest of each is what the separate replies would have told the leader.
            ackMatch = Math.max(ackMatch, match);
            ackSeq = Math.max(ackSeq, request.seq());
            ackLeaderCommit = Math.max(ackLeaderCommit, request.leaderCommit());
        }
    }

    /** @return whether a successful AppendEntries waits for {@link #flushAck()}. */
    boolean ackPending() {
        return ackLeader != -1;
    }

    /**
     * Sends the pending acknowledgement, if any: forces the log when the acknowledged match is not durable yet,
     * advances the commit index to {@code min(leaderCommit, match)} (Figure 2: only entries verified to match the
     * leader) and replies once with the highest match and sequence, in the current term (the one the entries were
     * accepted in: every change of term flushes first).
     *
     * @return false if the force failed (the member stopped), true otherwise.
     */
    boolean flushAck() {
        final int leader = ackLeader;
        if (leader == -1) {
            return true;
        }
        ackLeader = -1;
        final RaftLog log = node.log;
        if (log.durableIndex() < ackMatch && log.force() == RaftLog.FAILED) {
            node.fail();
            return false;
        }
        node.advanceCommitIndex(Math.min(ackLeaderCommit, ackMatch));
        reply(leader, ackMatch, log.lastIndex(), ackSeq, true);
        return true;
    }

    /** Forgets the pending acknowledgement unsent (the member stopped on a storage failure). */
    void dropAck() {
        ackLeader = -1;
    }

    /**
     * The index before the conflicting term at {@code prev} starts (bounded scan), so the leader skips a whole
     * term of mismatching entries in one round trip (§5.3, "optimization").
     */
    private long conflictHint(final long prev) {
        final RaftLog log = node.log;
        final long conflictTerm = log.termAt(prev);
        final long floor = Math.max(node.commitIndex, log.snapshotIndex());
        long index = prev - 1;
        int scanned = 0;
        while (index > floor && scanned < MAX_HINT_SCAN && log.termAt(index) == conflictTerm) {
            index--;
            scanned++;
        }
        return Math.max(index, floor);
    }

    private void reply(final int leader, final long match, final long lastIndex, final long seq,
        final boolean success) {
        final int length = appendResponseEncoder.wrap(node.sendBuffer, 0).groupId(node.groupId)
            .senderId(node.memberId).term(node.currentTerm).matchIndex(match).lastLogIndex(lastIndex).seq(seq)
            .success(success).frameLength();
        node.transport.send(leader, node.sendBuffer, 0, length);
    }

    void onInstallSnapshot(final InstallSnapshotDecoder request) {
        if (!flushAck()) {
            return;
        }
        final int leader = request.senderId();
        final long index = request.lastIncludedIndex();
        if (!acceptLeader(request.term(), leader)) {
            if (node.role != RaftNode.ROLE_FAILED) {
                replySnapshot(leader, index, 0, request.seq(), false);
            }
            return;
        }
        if (index <= node.commitIndex) {
            // Everything the snapshot covers is already committed here: tell the leader to go on after it.
            receivingIndex = -1;
            replySnapshot(leader, index, request.totalLength(), request.seq(), true);
            return;
        }
        if (request.chunkOffset() == 0) {
            receivingIndex = index;
            receivedBytes = 0;
        }
        if (receivingIndex != index || request.chunkOffset() != receivedBytes
            || request.totalLength() > Integer.MAX_VALUE) {
            replySnapshot(leader, index, receivingIndex == index ? receivedBytes : 0, request.seq(), false);
            return;
        }
        if (snapshotBuffer == null) {
            snapshotBuffer = new ExpandableDirectByteBuffer(Math.max(64, request.chunkLength()));
        }
        snapshotBuffer.putBytes((int)receivedBytes, request.buffer(), request.chunkPayloadOffset(),
            request.chunkLength());
        receivedBytes += request.chunkLength();
        if (request.done()) {
            receivingIndex = -1;
            if (receivedBytes != request.totalLength()) {
                replySnapshot(leader, index, 0, request.seq(), false);
                return;
            }
            if (!install(index, request.lastIncludedTerm(), (int)receivedBytes)) {
                return;
            }
        }
        replySnapshot(leader, index, receivedBytes, request.seq(), true);
    }

    private boolean install(final long index, final long term, final int length) {
        if (!node.log.installSnapshot(index, term, snapshotBuffer, 0, length)) {
            node.fail();
            return false;
        }
        if (!node.restoreSnapshot(snapshotBuffer, length, index)) {
            node.fail();
            return false;
        }
        node.membership.recoverFromLog();
        return true;
    }

    private void replySnapshot(final int leader, final long index, final long nextOffset, final long seq,
        final boolean success) {
        final int length = snapshotResponseEncoder.wrap(node.sendBuffer, 0).groupId(node.groupId)
            .senderId(node.memberId).term(node.currentTerm).lastIncludedIndex(index).nextOffset(nextOffset).seq(seq)
            .success(success).frameLength();
        node.transport.send(leader, node.sendBuffer, 0, length);
    }
}
