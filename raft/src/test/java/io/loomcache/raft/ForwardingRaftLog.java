package io.loomcache.raft;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A {@link RaftLog} that forwards every call to another: tests override the few calls they watch or change (a
 * simulated crash in force, a force shared by several groups, an invariant checked on append).
 */
public abstract class ForwardingRaftLog implements RaftLog {
    /** The log every call goes to unless overridden. */
    protected final RaftLog delegate;

    /**
     * @param delegate the log to forward to.
     */
    protected ForwardingRaftLog(final RaftLog delegate) {
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
        return delegate.append(index, term, type, src, offset, length);
    }

    @Override
    public boolean truncateAfter(final long index) {
        return delegate.truncateAfter(index);
    }

    @Override
    public long force() {
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
