package io.loomcache.raft.storage;

import static io.loomcache.raft.RaftLog.FAILED;
import static io.loomcache.raft.RaftLog.NO_VOTE;
import static io.loomcache.raft.storage.RaftLogContractTest.appendRange;
import static io.loomcache.raft.storage.RaftLogContractTest.assertEntry;
import static io.loomcache.raft.storage.RaftLogContractTest.assertSpan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.wal.FsyncPolicy;
import io.loomcache.wal.Syncer;
import io.loomcache.wal.WalContext;
import io.loomcache.wal.WriteAheadLog;

/**
 * {@link WalRaftLog} beyond the shared contract: recovery without close, torn hard-state writes, the recovery rule
 * between snapshot and WAL, reads of old entries past the recent-entry cache, and I/O failures as return codes.
 */
class WalRaftLogTest {
    private static final int SEGMENT_LENGTH = WalRaftLogContractTest.SEGMENT_LENGTH;

    @TempDir
    Path directory;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (final AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void shouldRecoverForcedStateWhenReopenedWithoutClose() throws Exception {
        final WalRaftLog first = open(16);
        appendRange(first, 1, 200, 1);
        assertTrue(first.saveSnapshot(150, 1, LogEntries.snapshotBytes(99, 2), 0, 99));
        assertTrue(first.persistTermAndVote(5, 2));
        assertEquals(200, first.force());
        final WalRaftLog second = open(16);
        assertEquals(150, second.snapshotIndex());
        assertEquals(200, second.lastIndex());
        assertEquals(5, second.currentTerm());
        assertEquals(2, second.votedFor());
        for (long index = 151; index <= 200; index++) {
            assertEntry(second, index, 1);
        }
        assertArrayEquals(LogEntries.bytes(LogEntries.snapshotBytes(99, 2), 99), LogEntries.readSnapshot(second, 10));
    }

    @Test
    void shouldRecoverPreviousTermAndVoteWhenNewestSlotIsCorrupt() throws Exception {
        final WalRaftLog log = open(16);
        assertTrue(log.persistTermAndVote(3, 1));
        assertTrue(log.persistTermAndVote(4, 2));
        log.close();
        final Path file = directory.resolve(WalRaftLog.HARD_STATE_FILE);
        final int newest = newestSlot(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {(byte)0x7f}),
                HardStateDescriptor.slotOffset(newest) + HardStateDescriptor.TERM_OFFSET);
        }
        final WalRaftLog reopened = open(16);
        assertEquals(3, reopened.currentTerm());
        assertEquals(1, reopened.votedFor());
        assertTrue(reopened.persistTermAndVote(6, NO_VOTE));
        final WalRaftLog again = reopen(reopened);
        assertEquals(6, again.currentTerm());
        assertEquals(NO_VOTE, again.votedFor());
    }

    @Test
    void shouldRecoverPreviousTermAndVoteWhenNewestSlotIsTornOff() throws Exception {
        final WalRaftLog log = open(16);
        assertTrue(log.persistTermAndVote(1, 0));
        assertTrue(log.persistTermAndVote(2, 1));
        assertTrue(log.persistTermAndVote(3, 2));
        log.close();
        final Path file = directory.resolve(WalRaftLog.HARD_STATE_FILE);
        assertEquals(1, newestSlot(file));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(HardStateDescriptor.slotOffset(1) + HardStateDescriptor.SLOT_LENGTH / 2);
        }
        final WalRaftLog reopened = open(16);
        assertEquals(2, reopened.currentTerm());
        assertEquals(1, reopened.votedFor());
    }

    @Test
    void shouldRestartAfterSnapshotWhenWalDoesNotContinueIt() throws Exception {
        final WalRaftLog reopened = reopenWithSnapshotBehindTheLog(100, 4);
        assertEquals(100, reopened.snapshotIndex());
        assertSpan(reopened, 101, 100);
        appendRange(reopened, 101, 102, 4);
        assertEntry(reopened, 102, 4);
    }

    @Test
    void shouldKeepEntriesAfterSnapshotWhenWalHoldsItsIndexWithItsTerm() throws Exception {
        final WalRaftLog reopened = reopenWithSnapshotBehindTheLog(20, 1);
        assertSpan(reopened, 21, 30);
        assertEntry(reopened, 30, 1);
    }

    @Test
    void shouldDiscardEntriesAfterSnapshotWhenWalHoldsItsIndexWithAnotherTerm() throws Exception {
        final WalRaftLog reopened = reopenWithSnapshotBehindTheLog(20, 2);
        assertSpan(reopened, 21, 20);
        assertEquals(2, reopened.termAt(20));
    }

    @Test
    void shouldRefuseToOpenLogWhoseStartNoSnapshotCovers() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(walContext(Syncer.system()).directory(walDirectory()))) {
            assertEquals(50, wal.reset(50));
            assertEquals(51, wal.append(1, 1, new UnsafeBuffer(new byte[4]), 0, 4));
        }
        assertThrows(IOException.class, () -> open(16));
    }

    @Test
    void shouldReadOldEntriesBeyondRecentCacheInAnyOrder() throws Exception {
        final WalRaftLog log = open(4);
        appendRange(log, 1, 400, 1);
        appendRange(log, 401, 500, 2);
        final Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            final long index = 1 + random.nextInt(500);
            assertEntry(log, index, index <= 400 ? 1 : 2);
        }
        assertEquals(500, log.force());
        assertTrue(log.truncateAfter(250));
        appendRange(log, 251, 260, 3);
        final WalRaftLog reopened = reopen(log);
        for (long index = 260; index >= 1; index--) {
            assertEntry(reopened, index, index <= 250 ? 1 : 3);
        }
    }

    @Test
    void shouldReportFailedForceAndRefuseWritesUntilReopened() throws Exception {
        final FailingSyncer syncer = new FailingSyncer();
        final WalRaftLog log = open(syncer);
        appendRange(log, 1, 10, 1);
        assertEquals(10, log.force());
        appendRange(log, 11, 12, 1);
        syncer.failing = true;
        assertEquals(FAILED, log.force());
        assertTrue(log.isFailed());
        assertEquals(10, log.durableIndex());
        syncer.failing = false;
        assertEquals(FAILED, log.force());
        assertFalse(LogEntries.append(log, 13, 1));
        assertFalse(log.truncateAfter(5));
        assertFalse(log.persistTermAndVote(1, 1));
        assertFalse(log.saveSnapshot(5, 1, LogEntries.snapshotBytes(4, 1), 0, 4));
        final WalRaftLog reopened = reopen(log);
        assertFalse(reopened.isFailed());
        assertTrue(reopened.lastIndex() >= 10);
        assertEntry(reopened, 10, 1);
    }

    @Test
    void shouldReportFailedHardStateForceAndKeepThePreviousValue() throws Exception {
        final FailingSyncer syncer = new FailingSyncer();
        final WalRaftLog log = open(syncer);
        assertTrue(log.persistTermAndVote(2, 1));
        syncer.failing = true;
        assertFalse(log.persistTermAndVote(3, 2));
        assertEquals(2, log.currentTerm());
        assertEquals(1, log.votedFor());
        syncer.failing = false;
        final WalRaftLog reopened = reopen(log);
        assertTrue(reopened.currentTerm() == 2 || reopened.currentTerm() == 3);
    }

    @Test
    void shouldReportFailedSnapshotWriteAsFalse() throws Exception {
        final FailingSyncer syncer = new FailingSyncer();
        final WalRaftLog log = open(syncer);
        appendRange(log, 1, 10, 1);
        syncer.failing = true;
        assertFalse(log.saveSnapshot(5, 1, LogEntries.snapshotBytes(8, 1), 0, 8));
        assertEquals(0, log.snapshotIndex());
        assertEquals(1, log.firstIndex());
    }

    private int newestSlot(final Path file) throws IOException {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(HardStateDescriptor.BYTE_ORDER);
        final long first = bytes.getLong((int)HardStateDescriptor.slotOffset(0));
        final long second = bytes.getLong((int)HardStateDescriptor.slotOffset(1));
        return second > first ? 1 : 0;
    }

    /**
     * Reopens a log of 30 forced entries of term 1 after leaving the state of a crash between writing an installed
     * snapshot and resetting the WAL.
     */
    private WalRaftLog reopenWithSnapshotBehindTheLog(final long index, final long term) throws IOException {
        final WalRaftLog log = open(16);
        appendRange(log, 1, 30, 1);
        assertEquals(30, log.force());
        log.close();
        final UnsafeBuffer state = LogEntries.snapshotBytes(32, 3);
        try (WriteAheadLog wal = WriteAheadLog.open(walContext(Syncer.system()).directory(walDirectory()))) {
            wal.writeSnapshot(index, term, output -> output.write(state, 0, 32));
        }
        return open(16);
    }

    private Path walDirectory() {
        return directory.resolve(WalRaftLog.WAL_DIRECTORY);
    }

    private static WalContext walContext(final Syncer syncer) {
        return new WalContext().segmentLength(SEGMENT_LENGTH).syncer(syncer);
    }

    private WalRaftLog open(final int recentEntries) throws IOException {
        final WalRaftLog log = WalRaftLog.open(directory, walContext(Syncer.system()), recentEntries);
        opened.add(log);
        return log;
    }

    private WalRaftLog open(final Syncer syncer) throws IOException {
        final WalRaftLog log = WalRaftLog.open(directory, walContext(syncer), 16);
        opened.add(log);
        return log;
    }

    private WalRaftLog reopen(final WalRaftLog log) throws IOException {
        log.close();
        return open(16);
    }

    @Test
    void shouldSyncEntriesOnlyUnderTheBatchPolicyAndCountThemDurableUnderTheOthers() throws Exception {
        for (final FsyncPolicy policy : FsyncPolicy.values()) {
            final CountingSyncer syncer = new CountingSyncer();
            final Path dir = directory.resolve(policy.name());
            final WalRaftLog log = WalRaftLog.open(dir, walContext(syncer).fsyncPolicy(policy).fsyncIntervalMs(60_000),
                16);
            opened.add(log);
            for (long index = 1; index <= 5; index++) {
                assertTrue(LogEntries.append(log, index, 1));
            }
            final long before = syncer.entrySyncs;
            assertEquals(5, log.force(), policy.name());
            assertEquals(5, log.durableIndex(), policy.name());
            assertEquals(policy == FsyncPolicy.BATCH, syncer.entrySyncs > before, policy.name());
            // a truncation takes back what was accepted past it
            assertTrue(log.truncateAfter(3));
            assertEquals(3, log.durableIndex(), policy.name());
        }
    }

    /** Forces through the OS and counts the forces of segment data (not of the hard-state file). */
    private static final class CountingSyncer implements Syncer {
        volatile long entrySyncs;

        @Override
        public void forceMapping(final MemorySegment mapping, final Path file) throws IOException {
            entrySyncs++;
            Syncer.system().forceMapping(mapping, file);
        }

        @Override
        public void forceRange(final MappedByteBuffer view, final int offset, final int length,
            final MemorySegment mapping, final Path file) throws IOException {
            entrySyncs++;
            Syncer.system().forceRange(view, offset, length, mapping, file);
        }

        @Override
        public void forceChannel(final FileChannel channel, final Path file) throws IOException {
            Syncer.system().forceChannel(channel, file);
        }
    }

    /** Forces through the OS, or throws EIO-like errors while {@link #failing} is set. */
    private static final class FailingSyncer implements Syncer {
        volatile boolean failing;

        @Override
        public void forceMapping(final MemorySegment mapping, final Path file) throws IOException {
            check(file);
            Syncer.system().forceMapping(mapping, file);
        }

        @Override
        public void forceRange(final MappedByteBuffer view, final int offset, final int length,
            final MemorySegment mapping, final Path file) throws IOException {
            check(file);
            Syncer.system().forceRange(view, offset, length, mapping, file);
        }

        @Override
        public void forceChannel(final FileChannel channel, final Path file) throws IOException {
            check(file);
            Syncer.system().forceChannel(channel, file);
        }

        private void check(final Path file) throws IOException {
            if (failing) {
                throw new IOException("injected fsync failure on " + file);
            }
        }
    }
}
