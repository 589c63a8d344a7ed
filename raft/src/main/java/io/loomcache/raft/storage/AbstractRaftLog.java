package io.loomcache.raft.storage;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.loomcache.raft.RaftLog;

/**
 * What the {@link RaftLog}s of this package share: the latest snapshot's index, term and length, the checks of the
 * caller's arguments (a broken contract throws, it is a bug and not a storage failure), and the failed state in
 * which every write is refused. A subclass keeps the entries, the hard state and the snapshot's bytes, and is called
 * only with arguments that passed the checks on a log that has not failed. Owned by one thread.
 */
abstract class AbstractRaftLog implements RaftLog {
    private long snapshotIndex;
    private long snapshotTerm;
    private int snapshotLength;
    private boolean failed;

    @Override
    public final long firstIndex() {
        return snapshotIndex + 1;
    }

    @Override
    public final long termAt(final long index) {
        if (index == snapshotIndex) {
            return snapshotTerm;
        }
        if (index == 0) {
            return 0;
        }
        if (index < snapshotIndex || index > lastIndex()) {
            return UNKNOWN_TERM;
        }
        return entryTerm(index);
    }

    @Override
    public final boolean append(
        final long index, final long term, final int type, final DirectBuffer src, final int offset,
        final int length) {
        if (index != lastIndex() + 1) {
            throw new IllegalArgumentException("append at " + index + " but lastIndex is " + lastIndex());
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative length: " + length);
        }
        return !failed && appendEntry(index, term, type, src, offset, length);
    }

    @Override
    public final boolean truncateAfter(final long index) {
        if (index < snapshotIndex) {
            throw new IllegalArgumentException("truncateAfter " + index + " below snapshotIndex " + snapshotIndex);
        }
        if (failed) {
            return false;
        }
        return index >= lastIndex() || truncateEntriesAfter(index);
    }

    @Override
    public final long force() {
        return failed ? FAILED : forceEntries();
    }

    @Override
    public final boolean persistTermAndVote(final long term, final int votedFor) {
        if (term < currentTerm()) {
            throw new IllegalArgumentException("term " + term + " below currentTerm " + currentTerm());
        }
        return !failed && writeTermAndVote(term, votedFor);
    }

    @Override
    public final long snapshotIndex() {
        return snapshotIndex;
    }

    @Override
    public final long snapshotTerm() {
        return snapshotTerm;
    }

    @Override
    public final int snapshotLength() {
        return snapshotLength;
    }

    @Override
    public final int copySnapshot(final long position, final MutableDirectBuffer dst, final int dstOffset,
        final int maxLength) {
        if (position < 0 || position > snapshotLength || maxLength < 0) {
            throw new IndexOutOfBoundsException("position " + position + " outside snapshot of " + snapshotLength);
        }
        final int length = (int)Math.min(maxLength, snapshotLength - position);
        if (length > 0) {
            copySnapshotBytes((int)position, dst, dstOffset, length);
        }
        return length;
    }

    /**
     * {@inheritDoc} A snapshot at or below the current {@link #snapshotIndex()} is stale: nothing changes and the
     * call returns true.
     */
    @Override
    public final boolean saveSnapshot(
        final long index, final long term, final DirectBuffer data, final int offset, final int length) {
        if (index > lastIndex()) {
            throw new IllegalArgumentException("snapshot at " + index + " beyond lastIndex " + lastIndex());
        }
        if (failed) {
            return false;
        }
        return index <= snapshotIndex || compactTo(index, term, data, offset, length);
    }

    /**
     * {@inheritDoc} A snapshot at or below the current {@link #snapshotIndex()} is stale: nothing changes and the
     * call returns true.
     */
    @Override
    public final boolean installSnapshot(
        final long index, final long term, final DirectBuffer data, final int offset, final int length) {
        if (failed) {
            return false;
        }
        if (index <= snapshotIndex) {
            return true;
        }
        if (index <= lastIndex() && termAt(index) == term) {
            return compactTo(index, term, data, offset, length);
        }
        return resetTo(index, term, data, offset, length);
    }

    /**
     * Whether the log refuses writes: appends, truncations, persists and snapshots return false and forces return
     * {@link #FAILED}.
     *
     * @return true once failed.
     */
    public final boolean isFailed() {
        return failed;
    }

    /**
     * Marks the log failed.
     *
     * @return false, for a write to return.
     */
    final boolean fail() {
        failed = true;
        return false;
    }

    /**
     * Lets the log accept writes again, as storage reopened after a restart does.
     */
    final void clearFailure() {
        failed = false;
    }

    /**
     * Records the latest snapshot's position; its bytes are the subclass's.
     */
    final void snapshotIs(final long index, final long term, final int length) {
        snapshotIndex = index;
        snapshotTerm = term;
        snapshotLength = length;
    }

    /**
     * Throws unless {@code index} is an entry held, in {@code [firstIndex(), lastIndex()]}.
     */
    final void checkEntry(final long index) {
        if (index <= snapshotIndex || index > lastIndex()) {
            throw new IndexOutOfBoundsException(
                "index " + index + " outside [" + firstIndex() + ", " + lastIndex() + "]");
        }
    }

    /** @return the term of a held entry, in {@code (snapshotIndex, lastIndex]}. */
    abstract long entryTerm(long index);

    /** Appends the next entry (index and length checked); false when it does not fit or the storage failed. */
    abstract boolean appendEntry(long index, long term, int type, DirectBuffer src, int offset, int length);

    /** Drops the entries above {@code index}, which is in {@code [snapshotIndex, lastIndex)}. */
    abstract boolean truncateEntriesAfter(long index);

    /** @return the durable index after forcing every entry appended, or {@link #FAILED}. */
    abstract long forceEntries();

    /** Durably stores the term (not below the current one) and vote. */
    abstract boolean writeTermAndVote(long term, int votedFor);

    /** Copies {@code length > 0} bytes of the snapshot from {@code position}, both within it. */
    abstract void copySnapshotBytes(int position, MutableDirectBuffer dst, int dstOffset, int length);

    /**
     * Makes a snapshot newer than the current one durable and drops the entries it covers, keeping those after it
     * ({@code index} is at most {@code lastIndex()}).
     */
    abstract boolean compactTo(long index, long term, DirectBuffer data, int offset, int length);

    /** Makes a snapshot newer than the current one durable and discards every entry: the next append is at index+1. */
    abstract boolean resetTo(long index, long term, DirectBuffer data, int offset, int length);
}
