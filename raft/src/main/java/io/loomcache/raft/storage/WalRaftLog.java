package io.loomcache.raft.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochClock;

import io.loomcache.raft.RaftLog;
import io.loomcache.wal.FsyncPolicy;
import io.loomcache.wal.RecordHandler;
import io.loomcache.wal.Snapshot;
import io.loomcache.wal.WalContext;
import io.loomcache.wal.WriteAheadLog;

/**
 * The production {@link RaftLog} of one member, in one directory: the entries are the records of a
 * {@link WriteAheadLog} in {@code wal/} (record type = entry type, with the entry's term and index), snapshots are
 * the WAL's snapshot files there, and the term and vote live in the two-slot {@code hard-state} file
 * ({@link HardStateDescriptor}), so that a torn write never loses the previous value.
 * <p>
 * Reads: the positions of the last {@code recentEntries} records are remembered ({@link RecentEntries}), so
 * termAt, entryType, entryLength and copyEntry of the tail a leader replicates cost an array lookup and a copy out
 * of the mapped segment. An older entry is found by walking its segment's records from the previous read position
 * when that lies before it (sequential catch-up reads are cheap), else from the segment's start: up to one
 * segment's worth of record headers per read.
 * <p>
 * Recovery ({@link #open}): the newest valid snapshot, the newest valid hard-state slot, and the WAL's intact
 * records; when the WAL does not continue the snapshot (it ends before it, or holds another term at its index) the
 * log restarts after the snapshot, as {@link #installSnapshot} would have left it.
 * <p>
 * Failures: I/O errors come back as false or {@link #FAILED}, never as exceptions, and the log then refuses
 * writes until reopened. Append returns false without failing the log when the payload exceeds a segment or a new
 * segment cannot be created (disk full). Contract violations by the caller throw. Owned by one thread.
 */
public final class WalRaftLog extends MappedRaftLog implements AutoCloseable {
    /** Default number of recent entries whose positions are remembered. */
    public static final int DEFAULT_RECENT_ENTRIES = 1024;
    /** Subdirectory holding the WAL segments and snapshots. */
    public static final String WAL_DIRECTORY = "wal";
    /** File holding the current term and vote. */
    public static final String HARD_STATE_FILE = "hard-state";

    private final WriteAheadLog wal;
    private final EntryReader reader = new EntryReader();
    private boolean closed;

    /** Whether a force syncs the entries (FsyncPolicy.BATCH) or only marks them accepted (NONE, INTERVAL). */
    private final boolean syncOnForce;
    private final EpochClock epochClock;
    /** Under NONE or INTERVAL: the last index a force accepted as durable without syncing it. */
    private long acceptedIndex;

    private WalRaftLog(final WriteAheadLog wal, final HardStateFile hardState, final int recentEntries,
        final WalContext walContext) {
        super(recentEntries);
        this.syncOnForce = walContext.fsyncPolicy() == FsyncPolicy.BATCH;
        this.epochClock = walContext.epochClock();
        this.wal = wal;
        hardState(hardState);
    }

    /**
     * Opens or creates the log in {@code directory} with a default {@link WalContext} and
     * {@link #DEFAULT_RECENT_ENTRIES}.
     *
     * @param directory the member's storage directory, created when missing.
     * @return the open log, owned by the calling thread.
     * @throws IOException when the storage cannot be read, created or recovered.
     */
    public static WalRaftLog open(final Path directory) throws IOException {
        return open(directory, new WalContext(), DEFAULT_RECENT_ENTRIES);
    }

    /**
     * Opens or creates the log in {@code directory}, recovering snapshot, term, vote and entries.
     *
     * @param directory     the member's storage directory, created when missing.
     * @param walContext    WAL settings (segment length, syncer, snapshot retention); its directory is set to
     *                      {@code directory/wal}, and its syncer also forces the hard-state file. With
     *                      {@link io.loomcache.wal.FsyncPolicy#BATCH} (the default) truncations and resets are
     *                      forced before they return.
     * @param recentEntries how many of the newest entries have their positions remembered, at least 1.
     * @return the open log, owned by the calling thread.
     * @throws IOException when the storage cannot be read, created or recovered, or is inconsistent (entries
     *     missing at the start of the log with no snapshot covering them).
     */
    public static WalRaftLog open(final Path directory, final WalContext walContext, final int recentEntries)
        throws IOException {
        if (recentEntries < 1) {
            throw new IllegalArgumentException("recentEntries must be positive: " + recentEntries);
        }
        Files.createDirectories(directory);
        final HardStateFile hardState = HardStateFile.open(directory.resolve(HARD_STATE_FILE), walContext.syncer());
        WriteAheadLog wal = null;
        WalRaftLog log = null;
        try {
            wal = WriteAheadLog.open(walContext.directory(directory.resolve(WAL_DIRECTORY)));
            log = new WalRaftLog(wal, hardState, recentEntries, walContext);
            log.recover();
            return log;
        } catch (final IOException | RuntimeException ex) {
            if (log != null) {
                log.close();
            } else {
                if (wal != null) {
                    wal.close();
                }
                hardState.close();
            }
            throw ex;
        }
    }

    private void recover() throws IOException {
        final Snapshot latest = wal.loadLatestSnapshot();
        if (latest != null) {
            adoptSnapshot(latest);
            final long snapshotIndex = snapshotIndex();
            final boolean continues = wal.lastAppendedIndex() >= snapshotIndex
                && (wal.firstIndex() == snapshotIndex + 1 || wal.termAt(snapshotIndex) == snapshotTerm());
            if (!continues && wal.reset(snapshotIndex) < 0) {
                throw new IOException("cannot restart the log after snapshot " + snapshotIndex, wal.lastError());
            }
            wal.deleteSegmentsUpTo(snapshotIndex);
        } else if (wal.firstIndex() != 1) {
            throw new IOException("the log starts at index " + wal.firstIndex() + " but no snapshot covers the "
                + "entries before it: restore the directory from a replica");
        }
        final long from = Math.max(firstIndex(), lastIndex() - recent.capacity() + 1);
        wal.read(from, recent.capacity(), recent);
    }

    @Override
    public long lastIndex() {
        return wal.lastAppendedIndex();
    }

    @Override
    long oldTerm(final long index) {
        final long term = wal.termAt(index);
        return term < 0 ? UNKNOWN_TERM : term;
    }

    @Override
    boolean appendEntry(
        final long index, final long term, final int type, final DirectBuffer src, final int offset,
        final int length) {
        final long position = wal.claimAt(index, length);
        if (position < 0) {
            return position == WriteAheadLog.LOG_FAILED && fail();
        }
        final MutableDirectBuffer buffer = wal.buffer();
        buffer.putBytes((int)position, src, offset, length);
        wal.commit(type, term);
        recent.add(index, term, type, buffer, (int)position, length);
        return true;
    }

    @Override
    boolean truncateEntriesAfter(final long index) {
        recent.truncateAfter(index);
        acceptedIndex = Math.min(acceptedIndex, index);
        return wal.truncateAfter(index) >= 0 || fail();
    }

    @Override
    long forceEntries() {
        if (!syncOnForce) {
            // the WAL's policy decides when entries reach the disk (INTERVAL: its own schedule, NONE: the OS's); an
            // entry counts as durable once appended, as a single node's write is acknowledged under these policies
            acceptedIndex = wal.lastAppendedIndex();
            wal.doWork(epochClock.time());
            return wal.isFailed() ? FAILED : durableIndex();
        }
        if (wal.force() < 0) {
            fail();
            return FAILED;
        }
        return durableIndex();
    }

    @Override
    public long durableIndex() {
        return Math.max(Math.max(wal.durableIndex(), acceptedIndex), snapshotIndex());
    }


    /** Writes the snapshot file durably, then deletes the WAL segments it fully covers. */
    @Override
    boolean compactTo(final long index, final long term, final DirectBuffer data, final int offset, final int length) {
        return writeSnapshot(index, term, data, offset, length) && deleteSegmentsUpTo(index);
    }

    /** Writes the snapshot file durably, then resets the WAL to start after it. */
    @Override
    boolean resetTo(final long index, final long term, final DirectBuffer data, final int offset, final int length) {
        if (!writeSnapshot(index, term, data, offset, length)) {
            return false;
        }
        recent.clear();
        acceptedIndex = Math.min(acceptedIndex, index);
        return wal.reset(index) >= 0 || fail();
    }

    /**
     * Unmaps the snapshot and the WAL segments and closes the hard-state file. Does not force: entries appended
     * since the last {@link #force()} may be lost. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wal.close();
        closeFiles();
    }

    private boolean writeSnapshot(
        final long index, final long term, final DirectBuffer data, final int offset, final int length) {
        try {
            wal.writeSnapshot(index, term, snapshotBytes(data, offset, length));
            return adoptWritten(wal.loadLatestSnapshot(), index);
        } catch (final IOException ex) {
            return wal.isFailed() && fail();
        } finally {
            releaseSnapshotBytes();
        }
    }

    private boolean deleteSegmentsUpTo(final long index) {
        try {
            wal.deleteSegmentsUpTo(index);
            return true;
        } catch (final IOException ex) {
            return fail();
        }
    }

    @Override
    void readOld(final long index, final MutableDirectBuffer dst, final int dstOffset) {
        reader.prepare(dst, dstOffset);
        if (wal.read(index, 1, reader) != 1 || reader.index != index) {
            throw new IllegalStateException("entry " + index + " not found in the WAL");
        }
        oldType = reader.type;
        oldLength = reader.length;
    }

    /** Reads one record's type and length and copies its payload when a destination is set. */
    private static final class EntryReader implements RecordHandler {
        private MutableDirectBuffer dst;
        private int dstOffset;
        private long index;
        private int type;
        private int length;

        void prepare(final MutableDirectBuffer dst, final int dstOffset) {
            this.dst = dst;
            this.dstOffset = dstOffset;
            this.index = -1;
        }

        @Override
        public void onRecord(
            final int type, final long term, final long index, final DirectBuffer buffer, final int offset,
            final int payloadLength) {
            this.index = index;
            this.type = type;
            this.length = payloadLength;
            if (dst != null) {
                dst.putBytes(dstOffset, buffer, offset, payloadLength);
            }
            dst = null;
        }
    }
}
