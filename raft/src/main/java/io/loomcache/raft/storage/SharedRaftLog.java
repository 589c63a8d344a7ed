package io.loomcache.raft.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.raft.RaftLog;
import io.loomcache.wal.FsyncPolicy;
import io.loomcache.wal.RecordHandler;
import io.loomcache.wal.Snapshot;
import io.loomcache.wal.SnapshotDirectory;
import io.loomcache.wal.WalContext;
import io.loomcache.wal.WriteAheadLog;

/**
 * The logs of several Raft groups in one {@link WriteAheadLog}, so that one force (one msync) makes the entries of
 * every group durable: the group commit across groups of one executor. Each group is a {@link RaftLog}
 * ({@link #group(int)}) with its own term and vote ({@code group-<id>/hard-state}) and its own snapshots
 * ({@code group-<id>/snapshots/}); its entries are records of the shared WAL ({@code wal/}).
 * <p>
 * Records: an entry is a record of the entry's type and term whose payload starts with the group id (int) and the
 * entry's index in its group (long), then the entry's payload. Two markers: {@link #TRUNCATE_RECORD} (the group
 * dropped its entries after the index) and {@link #RESET_RECORD} (the group's log restarts after an installed
 * snapshot at the index). A later entry at an index the group already holds replaces it and everything after it,
 * as a truncation does. Each group remembers the WAL record of every entry it holds ({@link PositionRing}) and the
 * positions of its newest entries ({@link RecentEntries}), so the tail a leader replicates is read without a walk.
 * <p>
 * Recovery replays the WAL once, each record applied to its group as it was written, keeping only entries after
 * the group's newest snapshot; a group whose entries do not continue its snapshot (another term at the snapshot's
 * index) restarts after it, as an installed snapshot would have left it. Records of a group this log does not
 * hold, or a {@code groups} file naming other groups, stop the open: the groups of a log are fixed when it is
 * created.
 * <p>
 * Space: segments are deleted up to the oldest record some group still needs (its first entry after its
 * snapshot). An idle group keeps old segments alive until it snapshots; {@link #groupHoldingOldest(long)} names it
 * so the owner can ask it for a snapshot.
 * <p>
 * A truncation marker is not forced: a crash that loses it brings back the entries it dropped, the state before the
 * message that conflicted with them, which Raft tolerates as a lost message; the follower forces the entries that
 * replace them before it acknowledges anything. A reset marker is synced whatever the policy before a segment is
 * deleted, since the entries it discards would otherwise follow a snapshot of a later term.
 * <p>
 * Durability follows the WAL's policy as {@link WalRaftLog} does: under {@link FsyncPolicy#BATCH} a force syncs;
 * under NONE or INTERVAL an appended entry counts as durable, the policy deciding when it reaches the disk. A failed
 * WAL fails every group. Owned by one thread.
 */
public final class SharedRaftLog implements AutoCloseable {
    /** Subdirectory holding the shared WAL's segments. */
    public static final String WAL_DIRECTORY = "wal";
    /** File naming the groups the log was created for. */
    public static final String GROUPS_FILE = "groups";
    /** Record type of a truncation marker: payload group id, index kept last. */
    static final int TRUNCATE_RECORD = 0x7E;
    /** Record type of a reset marker (installed snapshot): payload group id, snapshot index; term = its term. */
    static final int RESET_RECORD = 0x7F;
    /** Group id (int) and index in the group (long) before every record's payload. */
    static final int PREFIX_LENGTH = Integer.BYTES + Long.BYTES;

    private final WriteAheadLog wal;
    private final Group[] groups;
    private final Int2ObjectHashMap<Group> byId = new Int2ObjectHashMap<>();
    private final boolean syncOnForce;
    private final EpochClock epochClock;
    /** Under NONE or INTERVAL: the last record a force accepted as durable without syncing it. */
    private long acceptedPosition;
    /** Where the payload of the record {@link #appendRecord} wrote last starts in {@link WriteAheadLog#buffer()}. */
    private int appendedPayloadOffset;
    private boolean closed;

    private SharedRaftLog(final WriteAheadLog wal, final int groupCount, final WalContext walContext) {
        this.wal = wal;
        this.groups = new Group[groupCount];
        this.syncOnForce = walContext.fsyncPolicy() == FsyncPolicy.BATCH;
        this.epochClock = walContext.epochClock();
    }

    /**
     * Opens or creates the shared log of {@code groupIds} in {@code directory}, recovering every group's snapshot,
     * term, vote and entries.
     *
     * @param directory     the log's directory, created when missing.
     * @param groupIds      the groups it holds, distinct; must be those it was created with.
     * @param walContext    WAL settings (segment length, fsync policy, syncer, clock); its directory is set to
     *                      {@code directory/wal}; its syncer also forces the hard-state and snapshot files.
     * @param recentEntries how many of each group's newest entries have their positions remembered, at least 1.
     * @return the open log, owned by the calling thread.
     * @throws IOException when the storage cannot be read, created or recovered, or was created for other groups.
     */
    public static SharedRaftLog open(final Path directory, final int[] groupIds, final WalContext walContext,
        final int recentEntries) throws IOException {
        if (recentEntries < 1) {
            throw new IllegalArgumentException("recentEntries must be positive: " + recentEntries);
        }
        Files.createDirectories(directory);
        checkGroups(directory, groupIds, walContext);
        final WriteAheadLog wal = WriteAheadLog.open(walContext.directory(directory.resolve(WAL_DIRECTORY)));
        final SharedRaftLog log = new SharedRaftLog(wal, groupIds.length, walContext);
        try {
            for (int i = 0; i < groupIds.length; i++) {
                final Group group = new Group(log, groupIds[i], recentEntries);
                log.groups[i] = group;
                log.byId.put(groupIds[i], group);
                group.openFiles(directory.resolve("group-" + groupIds[i]), walContext);
            }
            log.recover();
            return log;
        } catch (final IOException | RuntimeException ex) {
            log.close();
            throw ex;
        }
    }

    /**
     * Writes the {@code groups} file of a new log, or checks it names exactly {@code groupIds}.
     */
    private static void checkGroups(final Path directory, final int[] groupIds, final WalContext walContext)
        throws IOException {
        final int[] sorted = groupIds.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("group " + sorted[i] + " given twice");
            }
        }
        final String expected = Arrays.toString(sorted);
        final Path file = directory.resolve(GROUPS_FILE);
        if (Files.exists(file)) {
            final String found = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!found.equals(expected)) {
                throw new IOException(directory + " holds the logs of groups " + found + ", not " + expected +
                    ": the groups of an executor are fixed when its log is created; start with the executor count "
                    + "and Raft group count the data was written with, or wipe the directory and let the member "
                    + "catch up");
            }
            return;
        }
        if (Files.isDirectory(directory.resolve(WAL_DIRECTORY)) && !isEmpty(directory.resolve(WAL_DIRECTORY))) {
            throw new IOException(directory + " has a WAL but no " + GROUPS_FILE + " file: not a shared Raft log");
        }
        final Path temporary = directory.resolve(GROUPS_FILE + ".tmp");
        Files.writeString(temporary, expected + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            walContext.syncer().forceChannel(channel, temporary);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            walContext.syncer().forceChannel(channel, directory);
        }
    }

    private static boolean isEmpty(final Path directory) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            return !entries.iterator().hasNext();
        }
    }

    private void recover() throws IOException {
        final Replay replay = new Replay();
        wal.replay(wal.firstIndex(), replay);
        if (replay.error != null) {
            throw new IOException("shared Raft log " + replay.error);
        }
        for (final Group group : groups) {
            group.endRecovery();
        }
    }

    /**
     * @param groupId a group this log holds.
     * @return that group's log.
     * @throws IllegalArgumentException for a group it does not hold.
     */
    public RaftLog group(final int groupId) {
        final Group group = byId.get(groupId);
        if (group == null) {
            throw new IllegalArgumentException("group " + groupId + " is not held by this log");
        }
        return group;
    }

    /**
     * Makes every entry of every group durable (one force), as a group's {@link RaftLog#force()} does.
     *
     * @return false when the WAL failed (every group has failed).
     */
    public boolean force() {
        if (wal.isFailed()) {
            return failAll();
        }
        if (!syncOnForce) {
            final long appended = wal.lastAppendedIndex();
            wal.doWork(epochClock.time());
            if (wal.isFailed()) {
                return failAll();
            }
            // accepted only once the policy's step succeeded: nothing is acknowledged after a failure
            acceptedPosition = appended;
        } else if (wal.lastAppendedIndex() > wal.durableIndex()) {
            wal.force();
        }
        return !wal.isFailed() || failAll();
    }

    /**
     * The group whose oldest needed entry lies more than {@code records} records behind the WAL's end, keeping
     * that much of the WAL alive: a snapshot of it lets the segments go.
     *
     * @param records how far behind counts as holding space.
     * @return the id of the group holding the oldest record, or -1 when none is that far behind.
     */
    public int groupHoldingOldest(final long records) {
        Group oldest = null;
        for (final Group group : groups) {
            if (!group.positions.isEmpty() &&
                (oldest == null || group.firstPosition() < oldest.firstPosition())) {
                oldest = group;
            }
        }
        return oldest != null && wal.lastAppendedIndex() - oldest.firstPosition() > records ? oldest.id : -1;
    }

    /**
     * Fails every group: the storage they share failed for one of them (e.g. a snapshot that found the disk full),
     * and a failed group that stays behind would keep every later segment of the others alive.
     */
    public void fail() {
        failAll();
    }

    /** @return index of the oldest record still in the WAL (segments before it were deleted). */
    public long firstPosition() {
        return wal.firstIndex();
    }

    /** @return index of the last record appended to the WAL. */
    public long lastPosition() {
        return wal.lastAppendedIndex();
    }

    /**
     * Unmaps the WAL and closes every group's files. Does not force. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (final Group group : groups) {
            if (group != null) {
                group.close();
            }
        }
        wal.close();
    }

    /** Syncs every record appended so far whatever the policy; false when the WAL failed (every group has). */
    private boolean syncNow() {
        if (wal.force() < 0) {
            return failAll();
        }
        acceptedPosition = Math.max(acceptedPosition, wal.lastAppendedIndex());
        return true;
    }

    long durablePosition() {
        return Math.max(wal.durableIndex(), acceptedPosition);
    }

    private boolean failAll() {
        for (final Group group : groups) {
            group.failGroup();
        }
        return false;
    }

    /** Deletes the segments that hold no record a group still needs. */
    private boolean compact() {
        long keepFrom = wal.lastAppendedIndex() + 1;
        for (final Group group : groups) {
            if (!group.positions.isEmpty()) {
                keepFrom = Math.min(keepFrom, group.firstPosition());
            }
        }
        try {
            wal.deleteSegmentsUpTo(keepFrom - 1);
            return true;
        } catch (final IOException ex) {
            return failAll();
        }
    }

    /**
     * Appends a record for a group: {@code [group id][index][payload]}.
     *
     * @return the record's position, or a negative {@link WriteAheadLog} status.
     */
    private long appendRecord(final int type, final long term, final int groupId, final long index,
        final DirectBuffer src, final int offset, final int length) {
        final long position = wal.claim(PREFIX_LENGTH + length);
        if (position < 0) {
            return position;
        }
        final MutableDirectBuffer buffer = wal.buffer();
        appendedPayloadOffset = (int)position + PREFIX_LENGTH;
        buffer.putInt((int)position, groupId);
        buffer.putLong((int)position + Integer.BYTES, index);
        if (length > 0) {
            buffer.putBytes((int)position + PREFIX_LENGTH, src, offset, length);
        }
        return wal.commit(type, term);
    }

    /** Applies every record of the WAL to its group, in order. */
    private final class Replay implements RecordHandler {
        private String error;

        @Override
        public void onRecord(final int type, final long term, final long position, final DirectBuffer buffer,
            final int offset, final int payloadLength) {
            if (error != null) {
                return;
            }
            if (payloadLength < PREFIX_LENGTH) {
                error = "record " + position + " is too short to name its group: " + payloadLength + " bytes";
                return;
            }
            final int groupId = buffer.getInt(offset);
            final long index = buffer.getLong(offset + Integer.BYTES);
            final Group group = byId.get(groupId);
            if (group == null) {
                error = "record " + position + " belongs to group " + groupId + ", not held by this log";
                return;
            }
            switch (type) {
                case TRUNCATE_RECORD -> group.replayTruncate(index);
                case RESET_RECORD -> group.replayReset(index, term);
                default -> group.replayEntry(index, term, type, position, buffer, offset + PREFIX_LENGTH,
                    payloadLength - PREFIX_LENGTH);
            }
        }
    }

    /** One group's {@link RaftLog} over the shared WAL. */
    private static final class Group extends MappedRaftLog {
        private final SharedRaftLog shared;
        private final int id;
        private final PositionRing positions = new PositionRing(1024);
        private final EntryReader reader = new EntryReader();
        private final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        private SnapshotDirectory snapshots;
        /** Recovery: the term of the last record seen at the snapshot's index, -1 when none. */
        private long replayTermAtSnapshot = -1;
        /** Recovery: the lowest index of entries skipped for not following the log, -1 when none is pending. */
        private long replayGapAt = -1;

        Group(final SharedRaftLog shared, final int id, final int recentEntries) {
            super(recentEntries);
            this.shared = shared;
            this.id = id;
        }

        void openFiles(final Path directory, final WalContext walContext) throws IOException {
            Files.createDirectories(directory);
            hardState(HardStateFile.open(directory.resolve(WalRaftLog.HARD_STATE_FILE), walContext.syncer()));
            snapshots = SnapshotDirectory.open(directory.resolve("snapshots"), walContext.syncer(),
                walContext.snapshotsToRetain());
            final Snapshot latest = snapshots.loadLatest();
            if (latest != null) {
                adoptSnapshot(latest);
            }
            positions.reset(snapshotIndex());
        }

        void close() {
            closeFiles();
            if (snapshots != null) {
                snapshots.close();
            }
        }

        void failGroup() {
            fail();
        }

        long firstPosition() {
            return positions.position(positions.base() + 1);
        }

        // ---------------------------------------------------------------------------------------- recovery

        void replayEntry(final long index, final long term, final int type, final long position,
            final DirectBuffer buffer, final int offset, final int length) {
            final long snapshotIndex = snapshotIndex();
            if (index <= snapshotIndex) {
                // the entries above it were replaced (or are compacted away): only the snapshot's term matters
                replayGapAt = -1;
                positions.reset(snapshotIndex);
                recent.clear();
                if (index == snapshotIndex) {
                    replayTermAtSnapshot = term;
                } else {
                    replayTermAtSnapshot = -1;
                }
                return;
            }
            if (index <= positions.last()) {
                positions.truncateAfter(index - 1);
                recent.truncateAfter(index - 1);
            }
            if (index != positions.last() + 1) {
                // an entry whose predecessors were deleted with their segment: a later record must replace it,
                // or the snapshot the entries continue is missing (endRecovery refuses that)
                replayGapAt = replayGapAt < 0 ? index : Math.min(replayGapAt, index);
                return;
            }
            if (replayGapAt >= 0 && index <= replayGapAt) {
                replayGapAt = -1;
            }
            positions.add(position);
            recent.add(index, term, type, buffer, offset, length);
        }

        void replayTruncate(final long index) {
            if (replayGapAt >= 0 && index < replayGapAt) {
                replayGapAt = -1;
            }
            if (index < snapshotIndex()) {
                replayTermAtSnapshot = -1;
            }
            positions.truncateAfter(index);
            recent.truncateAfter(index);
        }

        void replayReset(final long index, final long term) {
            replayGapAt = -1;
            positions.reset(snapshotIndex());
            recent.clear();
            replayTermAtSnapshot = index == snapshotIndex() ? term : -1;
        }

        void endRecovery() throws IOException {
            if (replayGapAt >= 0) {
                throw new IOException("group " + id + ": its entries from " + replayGapAt + " on do not follow its "
                    + "snapshot at " + snapshotIndex() + " (a newer snapshot is missing or unreadable): restore the "
                    + "member's data directory from a replica or wipe it and let it catch up");
            }
            final boolean otherLog = replayTermAtSnapshot >= 0 ? replayTermAtSnapshot != snapshotTerm()
                : !positions.isEmpty() && entryTerm(positions.base() + 1) < snapshotTerm();
            if (otherLog) {
                // the entries continue another log than the snapshot's (an installed snapshot's reset was lost)
                positions.reset(snapshotIndex());
                recent.clear();
            }
        }

        // ---------------------------------------------------------------------------------------- RaftLog

        @Override
        public long lastIndex() {
            return positions.last();
        }

        @Override
        long oldTerm(final long index) {
            final long term = shared.wal.termAt(positions.position(index));
            return term < 0 ? UNKNOWN_TERM : term;
        }

        @Override
        boolean appendEntry(final long index, final long term, final int type, final DirectBuffer src,
            final int offset, final int length) {
            final long position = shared.appendRecord(type, term, id, index, src, offset, length);
            if (position < 0) {
                return position == WriteAheadLog.LOG_FAILED ? shared.failAll() : false;
            }
            positions.add(position);
            recent.add(index, term, type, shared.wal.buffer(), shared.appendedPayloadOffset, length);
            return true;
        }

        @Override
        boolean truncateEntriesAfter(final long index) {
            final long position = shared.appendRecord(TRUNCATE_RECORD, 0, id, index, empty, 0, 0);
            if (position < 0) {
                return position == WriteAheadLog.LOG_FAILED ? shared.failAll() : fail();
            }
            positions.truncateAfter(index);
            recent.truncateAfter(index);
            return true;
        }

        @Override
        long forceEntries() {
            return shared.force() ? durableIndex() : FAILED;
        }

        @Override
        public long durableIndex() {
            return positions.lastAtOrBelow(shared.durablePosition());
        }


        @Override
        boolean compactTo(final long index, final long term, final DirectBuffer data, final int offset,
            final int length) {
            if (!writeSnapshot(index, term, data, offset, length)) {
                return false;
            }
            positions.dropUpTo(index);
            return shared.compact();
        }

        @Override
        boolean resetTo(final long index, final long term, final DirectBuffer data, final int offset,
            final int length) {
            if (!writeSnapshot(index, term, data, offset, length)) {
                return false;
            }
            positions.reset(index);
            recent.clear();
            final long position = shared.appendRecord(RESET_RECORD, term, id, index, empty, 0, 0);
            if (position < 0) {
                return position == WriteAheadLog.LOG_FAILED ? shared.failAll() : fail();
            }
            // synced whatever the fsync policy, before any segment goes: a crash must not keep the entries it
            // discarded while losing the reset (they would follow a snapshot of a later term)
            return shared.syncNow() && shared.compact();
        }

        private boolean writeSnapshot(final long index, final long term, final DirectBuffer data, final int offset,
            final int length) {
            try {
                snapshots.write(index, term, snapshotBytes(data, offset, length));
                return adoptWritten(snapshots.loadLatest(), index);
            } catch (final IOException ex) {
                return fail();
            } finally {
                releaseSnapshotBytes();
            }
        }

        @Override
        void readOld(final long index, final MutableDirectBuffer dst, final int dstOffset) {
            reader.prepare(dst, dstOffset);
            if (shared.wal.read(positions.position(index), 1, reader) != 1 || reader.groupId != id ||
                reader.index != index) {
                throw new IllegalStateException("entry " + index + " of group " + id + " not found in the WAL");
            }
            oldType = reader.type;
            oldLength = reader.length;
        }

        @Override
        public String toString() {
            return "group " + id + " [" + firstIndex() + ".." + lastIndex() + "]";
        }
    }

    /** Reads one record's group, index, type, payload offset and length; copies the payload when asked. */
    private static final class EntryReader implements RecordHandler {
        private MutableDirectBuffer dst;
        private int dstOffset;
        private int groupId;
        private long index;
        private int type;
        private int length;

        void prepare(final MutableDirectBuffer dst, final int dstOffset) {
            this.dst = dst;
            this.dstOffset = dstOffset;
            this.index = -1;
        }

        @Override
        public void onRecord(final int type, final long term, final long position, final DirectBuffer buffer,
            final int offset, final int payloadLength) {
            this.groupId = buffer.getInt(offset);
            this.index = buffer.getLong(offset + Integer.BYTES);
            this.type = type;
            this.length = payloadLength - PREFIX_LENGTH;
            if (dst != null) {
                dst.putBytes(dstOffset, buffer, offset + PREFIX_LENGTH, length);
            }
            dst = null;
        }
    }
}
