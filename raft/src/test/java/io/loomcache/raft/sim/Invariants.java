package io.loomcache.raft.sim;

import io.loomcache.raft.RaftLog;
import io.loomcache.raft.RaftNode;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * The Raft safety properties (Figure 3 of the extended paper), checked after every simulation step: election
 * safety (at most one leader per term), log matching (checked on every append against every other member's log),
 * leader completeness (a new leader holds every committed entry), state machine safety (no two members apply
 * different commands at an index), commit index never decreasing within an incarnation, and no acknowledged write
 * lost (its entry stays committed at its index and term). The first violation is kept with the simulated time.
 */
final class Invariants {
    private final SimMember[] members;
    private final Long2LongHashMap leaderOfTerm = new Long2LongHashMap(-1);
    private final Long2LongHashMap committedTerms = new Long2LongHashMap(-1);
    /**
     * For each committed index, an upper bound of the term in which it was committed: the lowest current term of a
     * member seen to have it committed. Leader completeness concerns leaders of later terms only: a candidate of
     * an older term may still win (its votes delayed) after a later term committed more, and then it is simply
     * deposed at its first contact.
     */
    private final Long2LongHashMap commitTermBound = new Long2LongHashMap(Long.MAX_VALUE);
    private final Long2LongHashMap appliedDigest = new Long2LongHashMap(Long.MIN_VALUE);
    private final long[] lastCommit = new long[SimNetwork.MAX_MEMBERS];
    private final int[] incarnationSeen = new int[SimNetwork.MAX_MEMBERS];
    private final long[] leaderCheckedTerm = new long[SimNetwork.MAX_MEMBERS];
    private final ExpandableDirectByteBuffer scratch = new ExpandableDirectByteBuffer(256);
    private long maxCommitted;
    private long nowMs;
    private String violation;
    long checks;

    Invariants(final SimMember[] members) {
        this.members = members;
    }

    String violation() {
        return violation;
    }

    void fail(final String message) {
        if (violation == null) {
            violation = "at " + nowMs + " ms: " + message;
        }
    }

    void onAppend(final int member, final long index, final long term, final int type, final DirectBuffer src,
        final int offset, final int length) {
        for (final SimMember other : members) {
            if (other == null || other.id == member || other.log == null) {
                continue;
            }
            final RaftLog log = other.log;
            if (log.termAt(index) != term || index < log.firstIndex()) {
                continue;
            }
            final int otherLength = log.entryLength(index);
            boolean same = otherLength == length && log.entryType(index) == type;
            if (same) {
                scratch.checkLimit(otherLength);
                log.copyEntry(index, scratch, 0);
                for (int i = 0; i < length && same; i++) {
                    same = scratch.getByte(i) == src.getByte(offset + i);
                }
            }
            final long myPrevTerm = members[member].log.termAt(index - 1);
            final long otherPrevTerm = log.termAt(index - 1);
            if (!same || (myPrevTerm != RaftLog.UNKNOWN_TERM && otherPrevTerm != RaftLog.UNKNOWN_TERM
                && myPrevTerm != otherPrevTerm)) {
                fail("log matching: member " + member + " appended index " + index + " term " + term
                    + " differing from member " + other.id + " (prev terms " + myPrevTerm + "/" + otherPrevTerm + ")");
            }
        }
    }

    void onApply(final int member, final long index, final long term, final long digest) {
        final long previous = appliedDigest.putIfAbsent(index, digest);
        if (previous != Long.MIN_VALUE && previous != digest) {
            fail("state machine safety: member " + member + " applied a different command at index " + index);
        }
        final long committedTerm = committedTerms.get(index);
        if (committedTerm != -1 && committedTerm != term) {
            fail("state machine safety: member " + member + " applied term " + term + " at index " + index
                + " committed with term " + committedTerm);
        }
    }

    /** An acknowledged write: its entry must be, and stay, committed at this index and term. */
    void onAcknowledged(final long index, final long term) {
        final long committedTerm = committedTerms.get(index);
        if (committedTerm != -1 && committedTerm != term) {
            fail("acknowledged write lost: index " + index + " term " + term + " but committed " + committedTerm);
        }
        recordCommitted(index, term, -1, Long.MAX_VALUE);
    }

    void check(final long nowMs) {
        this.nowMs = nowMs;
        checks++;
        for (final SimMember member : members) {
            if (member == null || !member.alive) {
                continue;
            }
            final RaftNode node = member.node;
            if (incarnationSeen[member.id] != member.incarnation) {
                incarnationSeen[member.id] = member.incarnation;
                lastCommit[member.id] = node.commitIndex();
            }
            checkCommit(member, node);
            if (node.role() == RaftNode.ROLE_LEADER) {
                final long term = node.term();
                final long previous = leaderOfTerm.putIfAbsent(term, member.id);
                if (previous != -1 && previous != member.id) {
                    fail("election safety: members " + previous + " and " + member.id + " both lead term " + term);
                }
                if (leaderCheckedTerm[member.id] != term) {
                    leaderCheckedTerm[member.id] = term;
                    checkLeaderCompleteness(member, term);
                }
            }
        }
    }

    private void checkCommit(final SimMember member, final RaftNode node) {
        final long commit = node.commitIndex();
        if (commit < lastCommit[member.id]) {
            fail("commit index of member " + member.id + " went back from " + lastCommit[member.id] + " to " + commit);
        }
        final RaftLog log = member.log;
        for (long index = Math.max(lastCommit[member.id] + 1, log.firstIndex()); index <= commit; index++) {
            recordCommitted(index, log.termAt(index), member.id, node.term());
        }
        lastCommit[member.id] = Math.max(lastCommit[member.id], commit);
    }

    private void recordCommitted(final long index, final long term, final int member, final long observerTerm) {
        if (term == RaftLog.UNKNOWN_TERM) {
            return;
        }
        if (observerTerm < commitTermBound.get(index)) {
            commitTermBound.put(index, observerTerm);
        }
        final long previous = committedTerms.putIfAbsent(index, term);
        if (previous != -1 && previous != term) {
            fail("committed entries differ at index " + index + ": term " + previous + " and term " + term
                + " (member " + member + ")");
        }
        maxCommitted = Math.max(maxCommitted, index);
    }

    private void checkLeaderCompleteness(final SimMember member, final long term) {
        final RaftLog log = member.log;
        for (long index = log.firstIndex(); index <= maxCommitted; index++) {
            final long committedTerm = committedTerms.get(index);
            if (committedTerm == -1 || commitTermBound.get(index) >= term) {
                continue;
            }
            if (index > log.lastIndex()) {
                fail("leader completeness: member " + member.id + " leads term " + term + " with last index "
                    + log.lastIndex() + " without index " + index + " committed by term "
                    + commitTermBound.get(index));
                return;
            }
            if (log.termAt(index) != committedTerm) {
                fail("leader completeness: member " + member.id + " leads term " + term + " with term "
                    + log.termAt(index) + " at committed index " + index + " (committed term " + committedTerm + ")");
                return;
            }
        }
    }

    /** @return the term committed at {@code index}, or -1 when not known committed. */
    long committedTerm(final long index) {
        return committedTerms.get(index);
    }

    long maxCommitted() {
        return maxCommitted;
    }
}
