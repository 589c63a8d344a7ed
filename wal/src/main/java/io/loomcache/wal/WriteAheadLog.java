package io.loomcache.wal;

import static io.loomcache.wal.RecordDescriptor.HEADER_LENGTH;
import static io.loomcache.wal.RecordDescriptor.alignedLength;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.zip.CRC32C;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Write-ahead log over memory-mapped segment files of CRC32C-checked records (layout in {@link RecordDescriptor}).
 * <p>
 * Append without allocation by {@link #claim(int)}, writing the payload into {@link #buffer()} at the returned
 * offset, then {@link #commit(int, long)}; or copy with {@link #append}. Indexes are consecutive from 1 (or from
 * where {@link #reset(long)} put them). Durability follows the {@link FsyncPolicy}: a record counts as durable
 * ({@link #durableIndex()}) only after a force of its bytes returned successfully. After a failed force the log is
 * failed until reopened: appends and forces return {@link #LOG_FAILED} and durableIndex never moves again, because
 * the kernel may already have dropped the dirty pages (fsyncgate). Reads still work. For the same reason
 * {@link #open} dirties every page of the recovered records before its first force, so that records whose earlier
 * force failed are written again (or the open fails) instead of being reported durable from the page cache.
 * <p>
 * Crash ordering: a segment's records are forced before the next segment file is created, and files are created
 * and the directory forced before old ones are deleted, so that after a crash only the last segment can end in a
 * torn write; recovery treats damage anywhere else as corruption and refuses to open.
 * <p>
 * Views: the buffers handed out by {@link #buffer()} and to a {@link RecordHandler} are the mapped segments. A
 * segment is unmapped when {@link #deleteSegmentsUpTo}, {@link #truncateAfter}, {@link #reset} or {@link #close}
 * removes it; its buffer is then re-wrapped to zero bytes, so a view used later throws
 * {@link IndexOutOfBoundsException} (with Agrona's default bounds checks) and never reads unmapped memory.
 * <p>
 * Owned by one thread: every method must be called by it, except {@link #durableIndex()} which any thread may read.
 * The one other thread the log starts is the sync thread of an incremental snapshot ({@link #sealSnapshot}).
 */
public final class WriteAheadLog implements AutoCloseable {
    /** The log failed (a force or segment operation reported an I/O error); see {@link #lastError()}; reopen. */
    public static final long LOG_FAILED = -1;
    /** The index given to {@link #claimAt} or {@link #appendAt} is not {@link #lastAppendedIndex()} + 1. */
    public static final long INDEX_MISMATCH = -2;
    /** The payload does not fit in one segment: more than {@link #maxPayloadLength()} bytes. */
    public static final long PAYLOAD_TOO_LONG = -3;
    /**
     * A new segment could not be created (e.g. disk full); see {@link #lastError()}. Nothing changed: the active
     * segment is still open for smaller records, and a later call retries.
     */
    public static final long ROLL_FAILED = -4;
    /** {@link #termAt(long)}: the index is not in the log. */
    public static final long NOT_FOUND = -5;
    /** {@link #pollSnapshot()}: no incremental snapshot is in progress. */
    public static final int SNAPSHOT_IDLE = 0;
    /** {@link #pollSnapshot()}: the body is being written ({@link #beginSnapshot} was called, not yet sealed). */
    public static final int SNAPSHOT_BUILDING = 1;
    /** {@link #pollSnapshot()}: sealed; the sync thread is forcing and publishing the file. */
    public static final int SNAPSHOT_SYNCING = 2;
    /** {@link #pollSnapshot()}, once: the snapshot is durable under its final name; the log is idle again. */
    public static final int SNAPSHOT_PUBLISHED = 3;
    /** {@link #pollSnapshot()}, once: the sync failed, see {@link #lastSnapshotError()}; the log is idle again. */
    public static final int SNAPSHOT_FAILED = 4;

    private final Path directory;
    private final int segmentLength;
    private final FsyncPolicy fsyncPolicy;
    private final long fsyncIntervalMs;
    private final Syncer syncer;
    private final FileChannel directoryChannel;
    private final SnapshotStore snapshots;
    private final ArrayList<Segment> segments = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private final SegmentSpare spare;
    private final SnapshotBuilder snapshotBuilder;

    private volatile long durableIndex;
    private long nextIndex;
    private long lastForceMs;
    private boolean unforced;
    private boolean directoryDirty;
    private boolean failed;
    private boolean closed;
    private IOException lastError;
    private volatile IOException lastSpareError;
    private int claimedFrameLength;
    private long claimedIndex;

    private WriteAheadLog(final WalContext context, final FileChannel directoryChannel) {
        this.directory = context.directory();
        this.segmentLength = context.segmentLength();
        this.spare = new SegmentSpare(directory, segmentLength);
        this.fsyncPolicy = context.fsyncPolicy();
        this.fsyncIntervalMs = context.fsyncIntervalMs();
        this.syncer = context.syncer();
        this.directoryChannel = directoryChannel;
        this.snapshots = new SnapshotStore(directory, syncer, context.snapshotsToRetain());
        this.snapshotBuilder = new SnapshotBuilder(directory, syncer, snapshots);
        this.lastForceMs = context.epochClock().time();
    }

    /**
     * Opens the log in the context's directory, creating it when missing: recovers the intact records, zeroes a torn
     * tail of the last segment, dirties every page of the recovered records (see the class comment) and, unless the
     * policy is {@link FsyncPolicy#NONE}, forces them so that {@code durableIndex() == lastAppendedIndex()}. With
     * NONE the rewrite happens at the first {@link #force()} or whenever the OS writes the pages back.
     *
     * @param context the configuration; {@link WalContext#conclude()} is called here.
     * @return the open log, owned by the calling thread.
     * @throws IOException when the directory or a segment cannot be read, mapped, created or forced, or when a
     *     segment other than the last is corrupt (the message names the file and offset; nothing is deleted).
     */
    public static WriteAheadLog open(final WalContext context) throws IOException {
        context.conclude();
        final Path directory = context.directory();
        Files.createDirectories(directory);
        final FileChannel directoryChannel = FileChannel.open(directory, StandardOpenOption.READ);
        final WriteAheadLog log = new WriteAheadLog(context, directoryChannel);
        try {
            log.recover();
        } catch (final IOException | RuntimeException ex) {
            log.close();
            throw ex;
        }
        return log;
    }

    private void recover() throws IOException {
        directoryDirty = SegmentFiles.deleteTemporaryFiles(directory);
        directoryDirty |= LogRecovery.recover(directory, segmentLength, crc, segments);
        if (segments.isEmpty()) {
            segments.add(SegmentFiles.create(directory, 1, segmentLength));
            directoryDirty = true;
        }
        for (int i = 0; i < segments.size(); i++) {
            segments.get(i).dirtyRecordPages();
        }
        nextIndex = segments.getLast().lastIndex() + 1;
        unforced = true;
        if (fsyncPolicy != FsyncPolicy.NONE && force() == LOG_FAILED) {
            throw lastError;
        }
    }

    /**
     * Claims room for the next record, whose index is {@link #lastAppendedIndex()} + 1, rolling to a new segment
     * when it does not fit. Write the payload into {@link #buffer()} at the returned offset, then {@link #commit}
     * or {@link #abort}. Allocation-free except when a new segment is created.
     *
     * @param payloadLength payload bytes, not negative.
     * @return the payload offset in {@link #buffer()}, or {@link #PAYLOAD_TOO_LONG}, {@link #ROLL_FAILED} or
     *     {@link #LOG_FAILED}.
     * @throws IllegalStateException when a claim is already pending or the log is closed.
     */
    public long claim(final int payloadLength) {
        return claimAt(nextIndex, payloadLength);
    }

    /**
     * Like {@link #claim(int)} for a record the caller numbers, e.g. a Raft follower writing the leader's entries.
     *
     * @param index         must be {@link #lastAppendedIndex()} + 1; use {@link #truncateAfter} first on conflict.
     * @param payloadLength payload bytes, not negative.
     * @return the payload offset in {@link #buffer()}, or {@link #INDEX_MISMATCH}, {@link #PAYLOAD_TOO_LONG},
     *     {@link #ROLL_FAILED} or {@link #LOG_FAILED}.
     */
    public long claimAt(final long index, final int payloadLength) {
        checkIdle();
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payloadLength: " + payloadLength);
        }
        if (failed) {
            return LOG_FAILED;
        }
        if (index != nextIndex) {
            return INDEX_MISMATCH;
        }
        if (payloadLength > maxPayloadLength()) {
            return PAYLOAD_TOO_LONG;
        }
        final int frameLength = RecordDescriptor.frameLength(payloadLength);
        if (!segments.getLast().hasRoomFor(alignedLength(frameLength))) {
            final long rolled = roll();
            if (rolled < 0) {
                return rolled;
            }
        }
        claimedFrameLength = frameLength;
        claimedIndex = index;
        return segments.getLast().tail() + HEADER_LENGTH;
    }

    /**
     * The buffer of the active segment, which holds the pending claim. Keep it only until the next claim: a roll,
     * {@link #truncateAfter}, {@link #reset} or {@link #close} may unmap it, after which it has zero capacity and
     * every access throws {@link IndexOutOfBoundsException}.
     *
     * @return the mapped segment buffer to write the claimed payload into.
     * @throws IllegalStateException when the log is closed.
     */
    public MutableDirectBuffer buffer() {
        checkOpen();
        return segments.getLast().buffer;
    }

    /**
     * Completes the pending claim: writes the header and the CRC32C. Allocation-free. The record is appended but
     * durable only after a successful force.
     *
     * @param type record type, not negative (negative types are reserved by the log).
     * @param term record term, not negative (0 when unused).
     * @return the record's index.
     * @throws IllegalStateException when no claim is pending; IllegalArgumentException for a negative type or term,
     *     in which case the claim is aborted.
     */
    public long commit(final int type, final long term) {
        if (claimedFrameLength == 0) {
            throw new IllegalStateException("no claim pending");
        }
        if (type < 0 || term < 0) {
            abort();
            throw new IllegalArgumentException("negative type or term: " + type + ", " + term);
        }
        final long index = claimedIndex;
        segments.getLast().commit(claimedFrameLength, type, term, index, crc);
        claimedFrameLength = 0;
        nextIndex = index + 1;
        unforced = true;
        return index;
    }

    /**
     * Drops the pending claim and zeroes whatever was written into it; does nothing when no claim is pending.
     */
    public void abort() {
        if (claimedFrameLength != 0) {
            final Segment active = segments.getLast();
            active.buffer.setMemory(active.tail() + HEADER_LENGTH, claimedFrameLength - HEADER_LENGTH, (byte)0);
            claimedFrameLength = 0;
        }
    }

    /**
     * Appends a copy of {@code source[offset, offset + length)} as the next record: claim, copy, commit.
     *
     * @return the record's index, or {@link #PAYLOAD_TOO_LONG}, {@link #ROLL_FAILED} or {@link #LOG_FAILED}.
     */
    public long append(final int type, final long term, final DirectBuffer source, final int offset, final int length) {
        return appendAt(nextIndex, type, term, source, offset, length);
    }

    /**
     * Appends a copy of {@code source[offset, offset + length)} as the record with the given index.
     *
     * @return the record's index, or {@link #INDEX_MISMATCH}, {@link #PAYLOAD_TOO_LONG}, {@link #ROLL_FAILED} or
     *     {@link #LOG_FAILED}.
     */
    public long appendAt(
        final long index, final int type, final long term, final DirectBuffer source, final int offset,
        final int length) {
        if (type < 0 || term < 0) {
            throw new IllegalArgumentException("negative type or term: " + type + ", " + term);
        }
        final long position = claimAt(index, length);
        if (position < 0) {
            return position;
        }
        segments.getLast().buffer.putBytes((int)position, source, offset, length);
        return commit(type, term);
    }

    /**
     * Forces every appended record to storage (msync of dirty segments, fsync of the directory when files were
     * created or deleted); one call covers all appends so far (group commit). Allocation-free when it succeeds.
     *
     * @return the new {@link #durableIndex()}, or {@link #LOG_FAILED} when this or an earlier force failed; then
     *     {@link #lastError()} holds the cause and the log stays failed until reopened.
     */
    public long force() {
        checkOpen();
        if (failed) {
            return LOG_FAILED;
        }
        final long target = nextIndex - 1;
        try {
            if (directoryDirty) {
                forceDirectory();
            }
            for (int i = 0, size = segments.size(); i < size; i++) {
                final Segment segment = segments.get(i);
                if (segment.isDirty()) {
                    forceMapping(segment);
                }
            }
        } catch (final IOException ex) {
            return fail(ex);
        }
        unforced = false;
        durableIndex = target;
        return target;
    }

    /**
     * Duty-cycle step that has the next segment file prepared ahead of the roll (zeros written and forced on a
     * thread of the spare's own, never on the caller's), so that a roll renames a ready file instead of writing a
     * whole segment on the appending thread. It starts once the active segment is half full. Call it from the
     * owner's duty cycle; without it, a roll creates the segment itself.
     *
     * @return 1 when a preparation started, else 0 (one is under way or ready, active segment less than half full,
     *     log failed or closed).
     */
    public int prepareNextSegment() {
        if (failed || closed || spare.isReady() || segments.getLast().tail() < segmentLength / 2) {
            return 0;
        }
        return spare.doWork();
    }

    /**
     * Whether the next segment file is prepared and forced, ready for the roll; for tests.
     *
     * @return true when ready.
     */
    boolean isSpareReady() {
        return spare.isReady();
    }

    /**
     * Duty-cycle step applying the fsync policy: {@link FsyncPolicy#BATCH} forces when appends are pending,
     * {@link FsyncPolicy#INTERVAL} when they are and the interval has passed, {@link FsyncPolicy#NONE} never.
     *
     * @param nowMs the caller's clock reading in milliseconds.
     * @return 1 when a force was attempted, else 0; a failure shows in {@link #isFailed()}.
     */
    public int doWork(final long nowMs) {
        if (failed || !unforced) {
            return 0;
        }
        switch (fsyncPolicy) {
            case BATCH -> force();
            case INTERVAL -> {
                if (nowMs - lastForceMs < fsyncIntervalMs) {
                    return 0;
                }
                lastForceMs = nowMs;
                force();
            }
            default -> {
                return 0;
            }
        }
        return 1;
    }

    /**
     * Calls {@code handler} for the records from {@code fromIndex} on, in order, at most {@code maxRecords} of them.
     * Reading starts at {@link #firstIndex()} when {@code fromIndex} is before it. Allocation-free; sequential
     * reads resume where the previous read stopped, otherwise a segment is walked from its start.
     *
     * @return the number of records delivered.
     */
    public int read(final long fromIndex, final int maxRecords, final RecordHandler handler) {
        checkOpen();
        final long lastIndex = nextIndex - 1;
        long index = Math.max(fromIndex, firstIndex());
        if (index > lastIndex || maxRecords <= 0) {
            return 0;
        }
        int segmentIndex = segmentIndexFor(index);
        Segment segment = segments.get(segmentIndex);
        int position = segment.positionOf(index);
        int count = 0;
        while (count < maxRecords && index <= lastIndex) {
            if (index > segment.lastIndex()) {
                segment = segments.get(++segmentIndex);
                position = 0;
                continue;
            }
            final int frameLength = segment.frameLength(position);
            handler.onRecord(segment.type(position), segment.term(position), index, segment.buffer,
                position + HEADER_LENGTH, frameLength - HEADER_LENGTH);
            position += alignedLength(frameLength);
            index++;
            count++;
        }
        segment.hint(index, position);
        return count;
    }

    /**
     * Replays every record from {@code fromIndex} to the end, in order.
     *
     * @return the number of records delivered.
     */
    public int replay(final long fromIndex, final RecordHandler handler) {
        return read(fromIndex, Integer.MAX_VALUE, handler);
    }

    /**
     * Term of the record at {@code index}.
     *
     * @return the term, or {@link #NOT_FOUND} when the index is before {@link #firstIndex()} or after the last.
     */
    public long termAt(final long index) {
        checkOpen();
        if (index < firstIndex() || index >= nextIndex) {
            return NOT_FOUND;
        }
        final Segment segment = segments.get(segmentIndexFor(index));
        return segment.term(segment.positionOf(index));
    }

    /**
     * Removes every record after {@code index} (Raft conflict resolution, §5.3): later segments are deleted and the
     * directory forced (whatever the policy, so that the kept segment is the last one before any of its bytes
     * change), then the rest of the segment is zeroed and, unless the policy is NONE, forced before this returns.
     * When {@code index} is before the first record the whole log is {@link #reset}.
     *
     * @param index the last index kept, not negative.
     * @return the new {@link #lastAppendedIndex()}, or {@link #LOG_FAILED} / {@link #ROLL_FAILED}.
     */
    public long truncateAfter(final long index) {
        checkIdle();
        if (index < 0) {
            throw new IllegalArgumentException("negative index: " + index);
        }
        if (failed) {
            return LOG_FAILED;
        }
        if (index >= nextIndex - 1) {
            return nextIndex - 1;
        }
        if (index + 1 < firstIndex()) {
            return reset(index);
        }
        final int keep = segmentIndexFor(index + 1);
        durableIndex = Math.min(durableIndex, index);
        try {
            if (deleteSegmentsAfter(keep)) {
                forceDirectory();
            }
        } catch (final IOException ex) {
            return fail(ex);
        }
        final Segment segment = segments.get(keep);
        segment.truncateTo(segment.positionOf(index + 1), index);
        return restartAt(index);
    }

    /**
     * Discards every record and restarts the log so that the next record gets index {@code lastIncludedIndex + 1};
     * used after installing a snapshot (Raft §7). Crash-safe order: the active segment's records are forced, the new
     * segment is created and the directory forced, and only then are the old segments deleted. Not atomic across a
     * crash: afterwards the directory holds either the new empty log or a prefix of the old records, which a restart
     * compares with the snapshot.
     *
     * @param lastIncludedIndex index of the last record the snapshot covers, not negative.
     * @return {@code lastIncludedIndex}, or {@link #LOG_FAILED}, or {@link #ROLL_FAILED} when the new segment could
     *     not be created (nothing changed then).
     */
    public long reset(final long lastIncludedIndex) {
        checkIdle();
        if (lastIncludedIndex < 0) {
            throw new IllegalArgumentException("negative lastIncludedIndex: " + lastIncludedIndex);
        }
        if (failed) {
            return LOG_FAILED;
        }
        try {
            forceRecords(segments.getLast());
        } catch (final IOException ex) {
            return fail(ex);
        }
        final Segment fresh;
        try {
            fresh = SegmentFiles.create(directory, lastIncludedIndex + 1, segmentLength);
        } catch (final IOException ex) {
            lastError = ex;
            return ROLL_FAILED;
        }
        durableIndex = Math.min(durableIndex, lastIncludedIndex);
        try {
            forceDirectory();
        } catch (final IOException ex) {
            fresh.close();
            return fail(ex);
        }
        final IOException deleteError = replaceAllSegmentsWith(fresh);
        if (deleteError != null) {
            nextIndex = lastIncludedIndex + 1;
            return fail(deleteError);
        }
        return restartAt(lastIncludedIndex);
    }

    /**
     * Deletes the sealed segments whose records all have an index up to {@code index}, oldest first; the active
     * segment is never deleted. Call it after a snapshot covering {@code index} was written.
     *
     * @return the number of segment files deleted.
     * @throws IOException when a file cannot be deleted; the segments before it are gone.
     */
    public int deleteSegmentsUpTo(final long index) throws IOException {
        checkIdle();
        int deleted = 0;
        while (segments.size() > 1 && segments.getFirst().isSealed() && segments.getFirst().lastIndex() <= index) {
            final Segment segment = segments.removeFirst();
            segment.close();
            Files.delete(segment.file);
            directoryDirty = true;
            unforced = true;
            deleted++;
        }
        return deleted;
    }

    /**
     * Writes a snapshot file atomically: temporary file, body from {@code writer}, header with CRCs, fsync, rename,
     * fsync of the directory; then deletes snapshots beyond the retention count. Does not delete segments. The
     * directory fsyncs go through the log's directory channel, and Linux reports a writeback error once per open
     * file, so a failed one fails the log (as a failed {@link #force()} does).
     *
     * @throws IOException when writing or forcing fails (no partial snapshot file is left), or when the log has
     *     failed; after a failed directory fsync {@link #isFailed()} is true.
     * @throws IllegalStateException when an incremental snapshot ({@link #beginSnapshot}) is in progress.
     */
    public void writeSnapshot(final long lastIncludedIndex, final long lastIncludedTerm, final SnapshotWriter writer)
        throws IOException {
        checkOpen();
        if (snapshotBuilder.state() != SNAPSHOT_IDLE) {
            throw new IllegalStateException("an incremental snapshot is in progress");
        }
        checkNotFailed();
        snapshots.write(lastIncludedIndex, lastIncludedTerm, writer);
        forceDirectoryOrFail();
        if (snapshots.deleteBeyondRetention()) {
            forceDirectoryOrFail();
        }
    }

    /**
     * Starts an incremental snapshot: opens its file under a temporary name and returns the sink for its body, which
     * the owner fills a bounded piece per duty cycle (writes reach the page cache only). Then {@link #sealSnapshot}
     * hands the file to a sync thread, and {@link #pollSnapshot} reports when it is published. Only one may be in
     * progress; {@link #writeSnapshot} stays available for snapshots written in one call. The caller chooses what the
     * snapshot includes: it does not delete segments ({@link #deleteSegmentsUpTo} after it is published).
     *
     * @param lastIncludedIndex the index the snapshot will be published at, not negative.
     * @param lastIncludedTerm the term of that record (0 when unused).
     * @return the body sink, valid until the snapshot is sealed or abandoned.
     * @throws IOException when the file cannot be created or the log has failed.
     * @throws IllegalStateException when a snapshot is already in progress or the log is closed.
     */
    public SnapshotOutput beginSnapshot(final long lastIncludedIndex, final long lastIncludedTerm)
        throws IOException {
        checkOpen();
        checkNotFailed();
        return snapshotBuilder.begin(lastIncludedIndex, lastIncludedTerm);
    }

    /**
     * Ends the body of the snapshot begun by {@link #beginSnapshot}: writes what is staged, the body CRC and the
     * header, and starts the sync thread that forces the file, renames it to its final name, forces the directory
     * and deletes snapshots beyond the retention count. Nothing here waits for a disk.
     *
     * @throws IOException when the last writes fail; the snapshot is then abandoned (its file deleted).
     * @throws IllegalStateException when no snapshot is being built.
     */
    public void sealSnapshot() throws IOException {
        checkOpen();
        snapshotBuilder.seal();
    }

    /**
     * Where the incremental snapshot stands; one volatile read while the sync thread runs, allocation-free. A
     * failed directory fsync on the sync thread fails the log here, as in {@link #writeSnapshot}.
     *
     * @return {@link #SNAPSHOT_IDLE}, {@link #SNAPSHOT_BUILDING}, {@link #SNAPSHOT_SYNCING}, or once per snapshot
     *     {@link #SNAPSHOT_PUBLISHED} or {@link #SNAPSHOT_FAILED}.
     */
    public int pollSnapshot() {
        final int state = snapshotBuilder.poll();
        if (state == SNAPSHOT_FAILED && snapshotBuilder.directoryFailed() && !failed) {
            fail(snapshotBuilder.error());
        }
        return state;
    }

    /**
     * Drops the incremental snapshot in progress, if any: waits for a running sync thread (at most one fsync and a
     * rename; a snapshot it already published stays, valid) and deletes the temporary file. Segments are untouched.
     */
    public void abandonSnapshot() {
        snapshotBuilder.abandon();
    }

    /**
     * Why the last incremental snapshot failed.
     *
     * @return the error, or null.
     */
    public IOException lastSnapshotError() {
        return snapshotBuilder.error();
    }

    /**
     * Loads the newest snapshot whose header and body CRCs are valid, skipping corrupt newer ones.
     *
     * @return the mapped snapshot, to be closed by the caller, or null when there is none.
     * @throws IOException when the directory or a file cannot be read.
     */
    public Snapshot loadLatestSnapshot() throws IOException {
        checkOpen();
        return snapshots.loadLatest();
    }

    /**
     * Highest index whose record was forced successfully by this log instance; never moves after a failure.
     * Safe to read from any thread.
     *
     * @return the durable index, 0 when nothing was forced.
     */
    public long durableIndex() {
        return durableIndex;
    }

    /**
     * Index of the last committed record, durable or not.
     *
     * @return the last appended index, {@link #firstIndex()} - 1 when the log holds no record.
     */
    public long lastAppendedIndex() {
        return nextIndex - 1;
    }

    /**
     * Index of the oldest record still in the log.
     *
     * @return the first index, or {@link #lastAppendedIndex()} + 1 when the log holds no record.
     */
    public long firstIndex() {
        return segments.isEmpty() ? nextIndex : segments.getFirst().baseIndex;
    }

    /**
     * Largest payload one record can carry with the configured segment length.
     *
     * @return bytes.
     */
    public int maxPayloadLength() {
        return segmentLength - HEADER_LENGTH;
    }

    /**
     * Whether a force or file operation failed; the log then refuses appends and forces until reopened.
     *
     * @return true once failed.
     */
    public boolean isFailed() {
        return failed;
    }

    /**
     * The cause of the last {@link #LOG_FAILED} or {@link #ROLL_FAILED}, with a readable message.
     *
     * @return the error, or null when none happened.
     */
    public IOException lastError() {
        return lastError;
    }

    /**
     * Why the last preparation of a next segment ahead of its roll failed, if one did: the roll then created the
     * segment on the appending thread instead, and the log itself is fine. Any thread.
     *
     * @return the error, or null.
     */
    public IOException lastSpareError() {
        return lastSpareError;
    }

    /**
     * Unmaps every segment and closes the directory channel. Does not force: call {@link #force()} first to make
     * the last appends durable. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        snapshotBuilder.abandon();
        spare.close();
        for (int i = 0; i < segments.size(); i++) {
            segments.get(i).close();
        }
        segments.clear();
        try {
            directoryChannel.close();
        } catch (final IOException ex) {
            lastError = ex;
        }
    }

    /**
     * Moves appends to a new segment. The active segment's records are forced first, so that no later segment file
     * exists while they could still be torn; the new segment is created before the active one is sealed, so that a
     * failed creation changes nothing.
     */
    private long roll() {
        final Segment active = segments.getLast();
        if (!active.isEmpty()) {
            try {
                forceRecords(active);
            } catch (final IOException ex) {
                return fail(ex);
            }
        }
        final Segment next;
        try {
            final Path ready = spare.take();
            if (ready == null) {
                // A failed spare may have left a partial file that would hold disk while this roll allocates.
                final IOException spareError = spare.discard();
                if (spareError != null) {
                    lastSpareError = spareError;
                }
            }
            next = SegmentFiles.create(directory, nextIndex, segmentLength, ready);
        } catch (final IOException ex) {
            lastError = ex;
            return ROLL_FAILED;
        }
        if (active.isEmpty()) {
            segments.removeLast();
            active.close();
        } else {
            active.seal(nextIndex, crc);
        }
        segments.add(next);
        directoryDirty = true;
        unforced = true;
        return 0;
    }

    /**
     * Closes every segment, deletes their files except one that {@code fresh} replaced under the same name, and
     * leaves {@code fresh} as the only segment.
     *
     * @return the first deletion error, or null.
     */
    private IOException replaceAllSegmentsWith(final Segment fresh) {
        IOException error = null;
        while (!segments.isEmpty()) {
            final Segment old = segments.removeLast();
            old.close();
            if (old.baseIndex != fresh.baseIndex) {
                try {
                    Files.delete(old.file);
                } catch (final IOException ex) {
                    error = error == null ? ex : error;
                }
            }
        }
        segments.add(fresh);
        directoryDirty = true;
        return error;
    }

    private void forceRecords(final Segment segment) throws IOException {
        if (segment.isDirty()) {
            forceMapping(segment);
        }
    }

    private void forceMapping(final Segment segment) throws IOException {
        try {
            syncer.forceRange(segment.view, segment.dirtyFrom(), segment.dirtyLength(), segment.mapping, segment.file);
        } catch (final UncheckedIOException ex) {
            throw ex.getCause();
        }
        segment.markClean();
    }

    private void forceDirectory() throws IOException {
        syncer.forceChannel(directoryChannel, directory);
        directoryDirty = false;
    }

    private void forceDirectoryOrFail() throws IOException {
        try {
            forceDirectory();
        } catch (final IOException ex) {
            fail(ex);
            throw ex;
        }
    }

    private long restartAt(final long lastIndex) {
        nextIndex = lastIndex + 1;
        durableIndex = Math.min(durableIndex, lastIndex);
        unforced = true;
        if (fsyncPolicy != FsyncPolicy.NONE) {
            return force();
        }
        return lastIndex;
    }

    private boolean deleteSegmentsAfter(final int keep) throws IOException {
        boolean deleted = false;
        for (int i = segments.size() - 1; i > keep; i--) {
            final Segment segment = segments.removeLast();
            segment.close();
            Files.delete(segment.file);
            directoryDirty = true;
            deleted = true;
        }
        return deleted;
    }

    private int segmentIndexFor(final long index) {
        int low = 0;
        int high = segments.size() - 1;
        while (low < high) {
            final int middle = (low + high + 1) >>> 1;
            if (segments.get(middle).baseIndex <= index) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    private long fail(final IOException cause) {
        failed = true;
        lastError = cause;
        return LOG_FAILED;
    }

    private void checkNotFailed() throws IOException {
        if (failed) {
            throw new IOException("the WAL has failed and must be reopened: " + lastError.getMessage(), lastError);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("log is closed");
        }
    }

    private void checkIdle() {
        checkOpen();
        if (claimedFrameLength != 0) {
            throw new IllegalStateException("a claim is pending: commit or abort it first");
        }
    }
}
