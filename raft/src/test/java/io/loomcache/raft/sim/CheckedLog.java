package io.loomcache.raft.sim;

import io.loomcache.raft.RaftLog;
import io.loomcache.raft.storage.InMemoryRaftLog;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The simulated member's storage: an {@link InMemoryRaftLog} (crash loses what was not forced) that reports every
 * append to the {@link Invariants} so the Log Matching property is checked as entries arrive.
 */
final class CheckedLog implements RaftLog {
    /** Called when a force is interrupted by a crash. */
    interface CrashHook {
        void crashInForce(int member);
    }

    /**
     * Thrown out of a force that the simulation turned into a crash: it unwinds the member's code at once, as the
     * death of its process would; the simulation catches it around every call into a member.
     */
    static final class MemberCrashed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MemberCrashed(final int member) {
            super("member " + member + " crashed inside a force", null, false, false);
        }
    }

    final InMemoryRaftLog delegate;
    private final int member;
    private final Invariants invariants;
    private final CrashHook crashHook;
    /** Crash the member inside its next force, after it sent what it sent and before anything is durable. */
    boolean crashAtNextForce;

    CheckedLog(final int member, final Invariants invariants, final CrashHook crashHook) {
        this(member, invariants, crashHook, new InMemoryRaftLog(4096));
    }

    /** A restarted member's view of the storage its previous incarnation left. */
    CheckedLog(final int member, final Invariants invariants, final CrashHook crashHook,
        final InMemoryRaftLog delegate) {
        this.member = member;
        this.invariants = invariants;
        this.crashHook = crashHook;
        this.delegate = delegate;
    }

    @Override
    public long firstIndex() {
        return delegate.firstIndex();
    }

    @Override
    public long lastIndex() {
        return delegate.lastIndex();
    }

    @Override
    public long termAt(final long index) {
        return delegate.termAt(index);
    }

    @Override
    public int entryType(final long index) {
        return delegate.entryType(index);
    }

    @Override
    public int entryLength(final long index) {
        return delegate.entryLength(index);
    }

    @Override
    public int copyEntry(final long index, final MutableDirectBuffer dst, final int dstOffset) {
        return delegate.copyEntry(index, dst, dstOffset);
    }

    @Override
    public boolean append(final long index, final long term, final int type, final DirectBuffer src,
        final int offset, final int length) {
        final boolean appended = delegate.append(index, term, type, src, offset, length);
        if (appended) {
            invariants.onAppend(member, index, term, type, src, offset, length);
        }
        return appended;
    }

    @Override
    public boolean truncateAfter(final long index) {
        return delegate.truncateAfter(index);
    }

    @Override
    public long force() {
        if (crashAtNextForce) {
            crashAtNextForce = false;
            crashHook.crashInForce(member);
            throw new MemberCrashed(member);
        }
        return delegate.force();
    }

    @Override
    public long durableIndex() {
        return delegate.durableIndex();
    }

    @Override
    public long currentTerm() {
        return delegate.currentTerm();
    }

    @Override
    public int votedFor() {
        return delegate.votedFor();
    }

    @Override
    public boolean persistTermAndVote(final long term, final int votedFor) {
        return delegate.persistTermAndVote(term, votedFor);
    }

    @Override
    public long snapshotIndex() {
        return delegate.snapshotIndex();
    }

    @Override
    public long snapshotTerm() {
        return delegate.snapshotTerm();
    }

    @Override
    public int snapshotLength() {
        return delegate.snapshotLength();
    }

    @Override
    public int copySnapshot(final long position, final MutableDirectBuffer dst, final int dstOffset,
        final int maxLength) {
        return delegate.copySnapshot(position, dst, dstOffset, maxLength);
    }

    @Override
    public boolean saveSnapshot(final long index, final long term, final DirectBuffer data, final int offset,
        final int length) {
        return delegate.saveSnapshot(index, term, data, offset, length);
    }

    @Override
    public boolean installSnapshot(final long index, final long term, final DirectBuffer data, final int offset,
        final int length) {
        return delegate.installSnapshot(index, term, data, offset, length);
    }
}
