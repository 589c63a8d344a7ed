package io.loomcache.wal;

import static io.loomcache.wal.Records.append;
import static io.loomcache.wal.Records.entry;
import static io.loomcache.wal.Records.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Force failures injected through the {@link Syncer} hook: a failed force is never reported durable, and the log
 * stays failed (fsyncgate) until it is reopened.
 */
class FsyncFailureTest {
    @TempDir
    Path directory;

    private final RecordingSyncer syncer = new RecordingSyncer();

    private WriteAheadLog open() throws IOException {
        return WriteAheadLog.open(new WalContext().directory(directory).segmentLength(4096)
            .fsyncPolicy(FsyncPolicy.BATCH).syncer(syncer));
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
        try (WriteAheadLog log = open()) {
            assertFalse(log.isFailed());
            assertEquals(2, append(log, entry(2, 30)));
            assertEquals(2, log.force());
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
