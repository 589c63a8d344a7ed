package io.loomcache.wal;

import static io.loomcache.wal.Records.append;
import static io.loomcache.wal.Records.entry;
import static io.loomcache.wal.Records.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Force failures injected through the {@link Syncer} hook: a failed force is never reported durable, the log
 * stays failed (fsyncgate) until it is reopened, and a reopen rewrites the recovered records before reporting them
 * durable.
 */
class FsyncFailureTest {
    private static final int BIG_SEGMENT_LENGTH = 64 * 1024;

    @TempDir
    Path directory;

    private final RecordingSyncer syncer = new RecordingSyncer();

    private WalContext context(final int segmentLength) {
        return new WalContext().directory(directory).segmentLength(segmentLength).fsyncPolicy(FsyncPolicy.BATCH)
            .syncer(syncer);
    }

    private WriteAheadLog open() throws IOException {
        return open(4096);
    }

    private WriteAheadLog open(final int segmentLength) throws IOException {
        return WriteAheadLog.open(context(segmentLength));
    }

    @Test
    void whenForceFails_thenAppendIsNotReportedDurableAndTheErrorIsSurfaced() throws IOException {
        try (WriteAheadLog log = open()) {
            append(log, entry(1, 30));
            assertEquals(1, log.force());
            append(log, entry(2, 30));
            syncer.failing = true;
            assertEquals(WriteAheadLog.LOG_FAILED, log.force());
            assertEquals(1, log.durableIndex());
            assertEquals(2, log.lastAppendedIndex());
            assertTrue(log.isFailed());
            assertTrue(log.lastError().getMessage().contains("Input/output error"), log.lastError().getMessage());
        }
    }

    @Test
    void whenForceFailedOnce_thenLogNeverReportsThoseRecordsDurableEvenIfTheNextSyncWouldSucceed() throws IOException {
        try (WriteAheadLog log = open()) {
            append(log, entry(1, 30));
            syncer.failing = true;
            assertEquals(1, log.doWork(0));
            assertEquals(0, log.durableIndex());
            syncer.failing = false;
            final int callsAfterFailure = syncer.mappingForces;
            assertEquals(WriteAheadLog.LOG_FAILED, log.force());
            assertEquals(0, log.doWork(0));
            assertEquals(WriteAheadLog.LOG_FAILED, append(log, entry(2, 30)));
            assertEquals(WriteAheadLog.LOG_FAILED, log.claim(8));
            assertEquals(WriteAheadLog.LOG_FAILED, log.truncateAfter(0));
            assertEquals(callsAfterFailure, syncer.mappingForces);
            assertEquals(0, log.durableIndex());
            assertEquals(List.of(entry(1, 30)), replay(log, 1));
        }
    }

    /**
     * Fsyncgate on reopen: after a failed msync Linux marks the pages clean but keeps their bytes in the page
     * cache, so a reopen reads them back with valid CRCs and a force of clean pages would do no I/O. The test puts
     * the page cache in that state (the failed force never reached the kernel; an fsync then cleans the pages) and
     * checks through /proc/self/smaps that the open's force finds every recovered page dirty, writes it back, and
     * only then reports the records durable; when that write-back fails, the open fails.
     */
    @Test
    void whenReopenedAfterAFailedForce_thenRecordsAreReportedDurableOnlyAfterTheirPagesAreReallyWrittenAgain()
        throws IOException {
        final int records = 40;
        final int payloadLength = 1000;
        try (WriteAheadLog log = open(BIG_SEGMENT_LENGTH)) {
            for (long index = 1; index <= records; index++) {
                append(log, entry(index, payloadLength));
            }
            syncer.failing = true;
            assertEquals(WriteAheadLog.LOG_FAILED, log.force());
        }
        final Path segment = directory.resolve(SegmentFiles.fileName(1));
        final long recordBytes = (long)records * RecordDescriptor.alignedLength(
            RecordDescriptor.frameLength(payloadLength));
        final long recordKilobytes = (recordBytes + Segment.MIN_PAGE_LENGTH - 1) / Segment.MIN_PAGE_LENGTH
            * (Segment.MIN_PAGE_LENGTH / 1024);

        markPageCacheClean(segment);
        syncer.failing = true;
        final IOException error = assertThrows(IOException.class, () -> open(BIG_SEGMENT_LENGTH));
        assertTrue(error.getMessage().contains("Input/output error"), error.getMessage());

        markPageCacheClean(segment);
        syncer.failing = false;
        final List<Long> dirtyBefore = new ArrayList<>();
        final List<Long> dirtyAfter = new ArrayList<>();
        final Syncer probing = new Syncer() {
            @Override
            public void forceMapping(final MemorySegment mapping, final Path file) throws IOException {
                dirtyBefore.add(MappedPages.dirtyKilobytes(file));
                Syncer.system().forceMapping(mapping, file);
                dirtyAfter.add(MappedPages.dirtyKilobytes(file));
            }

            @Override
            public void forceChannel(final FileChannel channel, final Path file) throws IOException {
                Syncer.system().forceChannel(channel, file);
            }
        };
        try (WriteAheadLog log = WriteAheadLog.open(context(BIG_SEGMENT_LENGTH).syncer(probing))) {
            assertEquals(1, dirtyBefore.size());
            assertTrue(dirtyBefore.getFirst() >= recordKilobytes,
                "every page of the recovered records must be dirty before the first force: " + dirtyBefore
                    + " kB, records span " + recordKilobytes + " kB");
            assertEquals(List.of(0L), dirtyAfter, "the force wrote the pages back");
            assertFalse(log.isFailed());
            assertEquals(records, log.durableIndex());
            assertEquals(records + 1, append(log, entry(records + 1, 30)));
            assertEquals(records + 1, log.force());
        }
    }

    @Test
    void whenTheDirectoryFsyncOfASnapshotFails_thenTheLogFailsLikeAFailedForce() throws IOException {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[100]);
        try (WriteAheadLog log = open()) {
            append(log, entry(1, 30));
            assertEquals(1, log.force());
            syncer.failingPath = directory;
            final IOException error = assertThrows(IOException.class,
                () -> log.writeSnapshot(1, 1, output -> output.write(body, 0, 100)));
            syncer.failingPath = null;
            assertTrue(log.isFailed());
            assertEquals(error, log.lastError());
            assertEquals(WriteAheadLog.LOG_FAILED, append(log, entry(2, 30)));
            assertEquals(WriteAheadLog.LOG_FAILED, log.force());
            assertEquals(1, log.durableIndex());
            assertThrows(IOException.class, () -> log.writeSnapshot(1, 1, output -> output.write(body, 0, 100)));
        }
        try (WriteAheadLog log = open()) {
            assertFalse(log.isFailed());
            assertEquals(1, log.durableIndex());
        }
    }

    private static void markPageCacheClean(final Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    @Test
    void whenForceOfATruncationFails_thenTruncationReportsLogFailed() throws IOException {
        try (WriteAheadLog log = open()) {
            for (long index = 1; index <= 5; index++) {
                append(log, entry(index, 30));
            }
            assertEquals(5, log.force());
            syncer.failing = true;
            assertEquals(WriteAheadLog.LOG_FAILED, log.truncateAfter(2));
            assertTrue(log.isFailed());
            assertEquals(2, log.durableIndex());
        }
    }

    @Test
    void whenDirectoryFsyncFailsAtOpen_thenOpenThrowsAndLeavesTheLogReopenable() throws IOException {
        syncer.failing = true;
        final IOException error = assertThrows(IOException.class, this::open);
        assertTrue(error.getMessage().contains("Input/output error"), error.getMessage());
        syncer.failing = false;
        try (WriteAheadLog log = open()) {
            assertEquals(1, append(log, entry(1, 30)));
            assertEquals(1, log.force());
        }
    }

    @Test
    void whenSnapshotFsyncFails_thenNoSnapshotFileIsLeft() throws IOException {
        try (WriteAheadLog log = open()) {
            syncer.failing = true;
            final UnsafeBuffer body = new UnsafeBuffer(new byte[100]);
            assertThrows(IOException.class, () -> log.writeSnapshot(10, 2, output -> output.write(body, 0, 100)));
            syncer.failing = false;
            assertEquals(null, log.loadLatestSnapshot());
        }
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(), files.filter(file -> !file.toString().endsWith(".dat")).toList());
        }
    }
}
