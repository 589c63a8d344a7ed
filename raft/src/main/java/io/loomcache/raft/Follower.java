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
 */
final class Follower {
    private static final int MAX_HINT_SCAN = 4096;

    private final RaftNode node;
    private final AppendEntriesResponseEncoder appendResponseEncoder = new AppendEntriesResponseEncoder();
    private final InstallSnapshotResponseEncoder snapshotResponseEncoder = new InstallSnapshotResponseEncoder();
    private ExpandableDirectByteBuffer snapshotBuffer;
    private long receivingIndex = -1;
    private long receivedBytes;

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

    void onAppendEntries(final AppendEntriesDecoder request) {
        final int leader = request.senderId();
        final RaftLog log = node.log;
        if (!acceptLeader(request.term(), leader)) {
            if (node.role != RaftNode.ROLE_FAILED) {
                reply(leader, 0, log.lastIndex(), request.seq(), false);
            }
            return;
        }
        final long prev = request.prevLogIndex();
        final long snapshotIndex = log.snapshotIndex();
        if (prev > log.lastIndex()) {
            reply(leader, 0, log.lastIndex(), request.seq(), false);
            return;
        }
        if (prev >= snapshotIndex && log.termAt(prev) != request.prevLogTerm()) {
            reply(leader, 0, conflictHint(prev), request.seq(), false);
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
        final long match = Math.max(prev + request.entryCount(), snapshotIndex);
        if (log.durableIndex() < match && log.force() == RaftLog.FAILED) {
            node.fail();
            return;
        }
        // Figure 2: commitIndex = min(leaderCommit, index of last new entry), only what this message verified.
        node.advanceCommitIndex(Math.min(request.leaderCommit(), match));
        reply(leader, match, log.lastIndex(), request.seq(), true);
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
