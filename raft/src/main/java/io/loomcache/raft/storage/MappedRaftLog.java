package io.loomcache.raft.storage;

import java.io.IOException;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.wal.Snapshot;
import io.loomcache.wal.SnapshotOutput;
import io.loomcache.wal.SnapshotWriter;

/**
 * What the logs whose entries are records of a mapped WAL share ({@link WalRaftLog}, a group of a
 * {@link SharedRaftLog}): the newest entries read through their remembered positions ({@link RecentEntries}) and
 * older ones through the subclass's {@link #readOld}; the term and vote in a {@link HardStateFile}; the latest
 * snapshot mapped, copied out in chunks, and the bytes a snapshot call hands over passed to the writer without a
 * capturing lambda. Owned by one thread.
 */
abstract class MappedRaftLog extends AbstractRaftLog {
    final RecentEntries recent;
    /** Set by {@link #readOld}: the entry's type and payload length. */
    int oldType;
    int oldLength;
    private final SnapshotBytes snapshotBytes = new SnapshotBytes();
    private final UnsafeBuffer snapshotView = new UnsafeBuffer(new byte[0]);
    private HardStateFile hardState;
    private Snapshot snapshot;

    MappedRaftLog(final int recentEntries) {
        this.recent = new RecentEntries(recentEntries);
    }

    /** Sets the hard-state file, once, when the log is opened. */
    final void hardState(final HardStateFile file) {
        this.hardState = file;
    }

    /**
     * Reads an entry older than the remembered ones: sets {@link #oldType} and {@link #oldLength} and copies the
     * payload to {@code dst} when it is not null.
     */
    abstract void readOld(long index, MutableDirectBuffer dst, int dstOffset);

    /** @return the term of an entry older than the remembered ones, or {@link #UNKNOWN_TERM}. */
    abstract long oldTerm(long index);

    @Override
    final long entryTerm(final long index) {
        return recent.contains(index) ? recent.term(index) : oldTerm(index);
    }

    @Override
    public final int entryType(final long index) {
        checkEntry(index);
        if (recent.contains(index)) {
            return recent.type(index);
        }
        readOld(index, null, 0);
        return oldType;
    }

    @Override
    public final int entryLength(final long index) {
        checkEntry(index);
        if (recent.contains(index)) {
            return recent.length(index);
        }
        readOld(index, null, 0);
        return oldLength;
    }

    @Override
    public final int copyEntry(final long index, final MutableDirectBuffer dst, final int dstOffset) {
        checkEntry(index);
        if (recent.contains(index)) {
            final int length = recent.length(index);
            dst.putBytes(dstOffset, recent.buffer(index), recent.offset(index), length);
            return length;
        }
        readOld(index, dst, dstOffset);
        return oldLength;
    }

    @Override
    public final long currentTerm() {
        return hardState.term();
    }

    @Override
    public final int votedFor() {
        return hardState.votedFor();
    }

    @Override
    final boolean writeTermAndVote(final long term, final int votedFor) {
        try {
            hardState.write(term, votedFor);
            return true;
        } catch (final IOException ex) {
            return fail();
        }
    }

    @Override
    final void copySnapshotBytes(final int position, final MutableDirectBuffer dst, final int dstOffset,
        final int length) {
        snapshot.wrapBody(snapshotView, position, length);
        dst.putBytes(dstOffset, snapshotView, 0, length);
    }

    /** Makes a loaded snapshot the latest (closing the one before); refuses one longer than 2 GiB. */
    final void adoptSnapshot(final Snapshot latest) throws IOException {
        if (latest.bodyLength() > Integer.MAX_VALUE) {
            latest.close();
            throw new IOException("snapshot " + latest.file() + " is longer than 2 GiB: " + latest.bodyLength());
        }
        if (snapshot != null) {
            snapshot.close();
        }
        snapshot = latest;
        snapshotIs(latest.lastIncludedIndex(), latest.lastIncludedTerm(), (int)latest.bodyLength());
    }

    /**
     * Adopts the snapshot just written at {@code index}, read back from its file: a newest readable snapshot that is
     * not it means the write did not stick, and the log fails.
     *
     * @return true when adopted.
     */
    final boolean adoptWritten(final Snapshot written, final long index) throws IOException {
        if (written == null || written.lastIncludedIndex() != index) {
            if (written != null) {
                written.close();
            }
            return fail();
        }
        adoptSnapshot(written);
        return true;
    }

    /** @return the writer of the bytes given, valid until {@link #releaseSnapshotBytes()}. */
    final SnapshotWriter snapshotBytes(final DirectBuffer data, final int offset, final int length) {
        snapshotBytes.set(data, offset, length);
        return snapshotBytes;
    }

    /** Drops the reference to the bytes a snapshot call handed over. */
    final void releaseSnapshotBytes() {
        snapshotBytes.set(null, 0, 0);
    }

    /** Unmaps the snapshot and closes the hard-state file; a failure to close fails the log. */
    final void closeFiles() {
        if (snapshot != null) {
            snapshot.close();
            snapshot = null;
        }
        if (hardState != null) {
            try {
                hardState.close();
            } catch (final IOException ex) {
                fail();
            }
        }
    }

    /** Hands the bytes given to a snapshot call to the snapshot writer without a capturing lambda. */
    private static final class SnapshotBytes implements SnapshotWriter {
        private DirectBuffer data;
        private int offset;
        private int length;

        void set(final DirectBuffer data, final int offset, final int length) {
            this.data = data;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public void write(final SnapshotOutput output) throws IOException {
            output.write(data, offset, length);
        }
    }
}
