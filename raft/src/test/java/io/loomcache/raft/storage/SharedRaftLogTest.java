package io.loomcache.raft.storage;

import static io.loomcache.raft.storage.RaftLogContractTest.appendRange;
import static io.loomcache.raft.storage.RaftLogContractTest.assertEntry;
import static io.loomcache.raft.storage.RaftLogContractTest.assertSpan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.raft.RaftLog;
import io.loomcache.wal.SnapshotDirectory;
import io.loomcache.wal.Syncer;
import io.loomcache.wal.WalContext;

class SharedRaftLogTest {
    @TempDir
    Path directory;

    @Test
    void shouldMakeEveryGroupDurableWithOneSyncOfTheSharedWal() throws Exception {
        final CountingSyncer syncer = new CountingSyncer();
        try (SharedRaftLog shared = SharedRaftLog.open(directory, new int[] {0, 3, 6}, new WalContext()
            .syncer(syncer), 16)) {
            final RaftLog a = shared.group(0);
            final RaftLog b = shared.group(3);
            final RaftLog c = shared.group(6);
            appendRange(a, 1, 10, 1);
            appendRange(b, 1, 5, 2);
            appendRange(c, 1, 7, 1);
            syncer.mappings.set(0);
            assertEquals(10, a.force());
            assertEquals(1, syncer.mappings.get(), "one msync for three groups");
            assertEquals(5, b.durableIndex());
            assertEquals(7, c.durableIndex());
            assertEquals(5, b.force());
            assertEquals(7, c.force());
            assertEquals(1, syncer.mappings.get(), "nothing new to sync");
            appendRange(b, 6, 6, 2);
            assertEquals(7, c.durableIndex());
            assertEquals(5, b.durableIndex());
            assertEquals(10, a.durableIndex());
        }
    }

    @Test
    void shouldDeleteSegmentsOnlyOnceEveryGroupWithEntriesInThemHasSnapshottedPastThem() throws Exception {
        try (SharedRaftLog shared = SharedRaftLog.open(directory, new int[] {1, 2}, new WalContext()
            .segmentLength(8 * 1024), 16)) {
            final RaftLog busy = shared.group(1);
            final RaftLog idle = shared.group(2);
            appendRange(idle, 1, 3, 1);
            appendRange(busy, 1, 400, 1);
            assertEquals(400, busy.force());
            assertEquals(2, shared.groupHoldingOldest(100));
            assertEquals(-1, shared.groupHoldingOldest(1000));
            assertTrue(busy.saveSnapshot(390, 1, LogEntries.snapshotBytes(16, 1), 0, 16));
            assertEquals(1, shared.firstPosition(), "the idle group's three entries keep the first segment");
            assertTrue(idle.saveSnapshot(3, 1, LogEntries.snapshotBytes(16, 2), 0, 16));
            assertTrue(shared.firstPosition() > 300, "segments up to the busy group's entry 391 are gone: " +
                shared.firstPosition());
            assertEquals(-1, shared.groupHoldingOldest(100));
            assertSpan(busy, 391, 400);
            assertEntry(busy, 391, 1);
        }
        try (SharedRaftLog reopened = SharedRaftLog.open(directory, new int[] {1, 2}, new WalContext()
            .segmentLength(8 * 1024), 16)) {
            assertSpan(reopened.group(1), 391, 400);
            assertSpan(reopened.group(2), 4, 3);
            assertEquals(1, reopened.group(2).termAt(3));
        }
    }

    @Test
    void shouldRestartAfterASnapshotWhoseResetRecordWasLostWhenTheEntriesContinueAnotherLog() throws Exception {
        try (SharedRaftLog shared = SharedRaftLog.open(directory, new int[] {4}, new WalContext(), 16)) {
            appendRange(shared.group(4), 1, 30, 1);
            assertEquals(30, shared.group(4).force());
        }
        // a crash after an installed snapshot's file was written, before its reset record: the log's entry 20
        // has term 1, the snapshot says 5, so the entries after it belong to a log the leader replaced
        try (SnapshotDirectory snapshots = SnapshotDirectory.open(directory.resolve("group-4").resolve("snapshots"),
            Syncer.system(), 2)) {
            snapshots.write(20, 5, output -> output.write(LogEntries.snapshotBytes(8, 3), 0, 8));
        }
        try (SharedRaftLog reopened = SharedRaftLog.open(directory, new int[] {4}, new WalContext(), 16)) {
            final RaftLog log = reopened.group(4);
            assertSpan(log, 21, 20);
            assertEquals(5, log.termAt(20));
            appendRange(log, 21, 22, 5);
            assertEntry(log, 22, 5);
        }
    }

    @Test
    void shouldRefuseToOpenWhenTheSnapshotTheEntriesFollowIsMissing() throws Exception {
        try (SharedRaftLog shared = SharedRaftLog.open(directory, new int[] {1}, new WalContext()
            .segmentLength(8 * 1024), 16)) {
            appendRange(shared.group(1), 1, 400, 1);
            assertEquals(400, shared.group(1).force());
            assertTrue(shared.group(1).saveSnapshot(390, 1, LogEntries.snapshotBytes(16, 1), 0, 16));
            assertTrue(shared.firstPosition() > 300);
        }
        try (var files = java.nio.file.Files.list(directory.resolve("group-1").resolve("snapshots"))) {
            for (final Path file : files.toList()) {
                java.nio.file.Files.delete(file);
            }
        }
        final IOException error = assertThrows(IOException.class,
            () -> SharedRaftLog.open(directory, new int[] {1}, new WalContext().segmentLength(8 * 1024), 16));
        assertTrue(error.getMessage().contains("do not follow its snapshot at 0"), error.getMessage());
    }

    @Test
    void shouldRefuseToOpenForOtherGroupsThanItWasCreatedFor() throws Exception {
        try (SharedRaftLog shared = SharedRaftLog.open(directory, new int[] {0, 2}, new WalContext(), 16)) {
            appendRange(shared.group(2), 1, 3, 1);
            shared.group(2).force();
        }
        final IOException error = assertThrows(IOException.class,
            () -> SharedRaftLog.open(directory, new int[] {0, 3}, new WalContext(), 16));
        assertTrue(error.getMessage().contains("holds the logs of groups [0, 2], not [0, 3]"), error.getMessage());
        try (SharedRaftLog reopened = SharedRaftLog.open(directory, new int[] {2, 0}, new WalContext(), 16)) {
            assertSpan(reopened.group(2), 1, 3);
        }
        assertThrows(IllegalArgumentException.class,
            () -> SharedRaftLog.open(directory.resolve("other"), new int[] {1, 1}, new WalContext(), 16));
    }

    /** Counts the msyncs of mapped segments and forwards every force to the real syncer. */
    private static final class CountingSyncer implements Syncer {
        final AtomicInteger mappings = new AtomicInteger();
        private final Syncer delegate = Syncer.system();

        @Override
        public void forceMapping(final MemorySegment mapping, final Path file) throws IOException {
            mappings.incrementAndGet();
            delegate.forceMapping(mapping, file);
        }

        @Override
        public void forceChannel(final FileChannel channel, final Path file) throws IOException {
            delegate.forceChannel(channel, file);
        }
    }
}
