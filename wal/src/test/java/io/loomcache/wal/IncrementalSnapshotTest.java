package io.loomcache.wal;

import static io.loomcache.wal.Records.append;
import static io.loomcache.wal.Records.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.testkit.Await;

class IncrementalSnapshotTest {
    @TempDir
    Path directory;

    private final RecordingSyncer syncer = new RecordingSyncer();

    private WriteAheadLog open() throws IOException {
        return WriteAheadLog.open(new WalContext().directory(directory).segmentLength(1024)
            .fsyncPolicy(FsyncPolicy.BATCH).snapshotsToRetain(2).syncer(syncer));
    }

    private static byte[] body(final long seed, final int length) {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static void writeInPieces(final SnapshotOutput output, final byte[] body) throws IOException {
        final UnsafeBuffer source = new UnsafeBuffer(body);
        for (int offset = 0; offset < body.length; offset += 5000) {
            output.write(source, offset, Math.min(5000, body.length - offset));
        }
    }

    /** Polls until the sync thread is done, as the owner's duty cycle would. */
    private static int awaitOutcome(final WriteAheadLog log) {
        final int[] outcome = new int[1];
        Await.until("the snapshot sync to end", () -> {
            outcome[0] = log.pollSnapshot();
            return outcome[0] != WriteAheadLog.SNAPSHOT_SYNCING;
        });
        return outcome[0];
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> !name.endsWith(".dat")).sorted()
                .toList();
        }
    }

    @Test
    void shouldPublishASnapshotWrittenInPiecesWhileRecordsAreAppended() throws IOException {
        final byte[] body = body(3, 123_457);
        try (WriteAheadLog log = open()) {
            for (long index = 1; index <= 30; index++) {
                append(log, entry(index, 100));
            }
            final SnapshotOutput output = log.beginSnapshot(30, 0);
            assertEquals(WriteAheadLog.SNAPSHOT_BUILDING, log.pollSnapshot());
            writeInPieces(output, body);
            log.sealSnapshot();
            for (long index = 31; index <= 40; index++) {
                append(log, entry(index, 100));
            }
            assertEquals(WriteAheadLog.SNAPSHOT_PUBLISHED, awaitOutcome(log));
            assertEquals(WriteAheadLog.SNAPSHOT_IDLE, log.pollSnapshot());
            assertEquals(40, log.force());
            assertTrue(log.deleteSegmentsUpTo(30) > 0);
        }
        assertFalse(names().stream().anyMatch(name -> name.endsWith(".tmp")), names().toString());
        try (WriteAheadLog log = open(); Snapshot snapshot = log.loadLatestSnapshot()) {
            assertEquals(30, snapshot.lastIncludedIndex());
            final byte[] read = new byte[(int)snapshot.bodyLength()];
            snapshot.wrapBody(new UnsafeBuffer(0, 0), 0, read.length).getBytes(0, read);
            assertArrayEquals(body, read);
            assertEquals(10, Records.replay(log, 31).size());
        }
    }

    @Test
    void shouldRefuseASecondSnapshotWhileOneIsInProgressAndKeepTheRetentionCount() throws IOException {
        try (WriteAheadLog log = open()) {
            for (long index = 100; index <= 300; index += 100) {
                writeInPieces(log.beginSnapshot(index, 0), body(index, 10));
                assertThrows(IllegalStateException.class, () -> log.beginSnapshot(999, 0));
                assertThrows(IllegalStateException.class, () -> log.writeSnapshot(999, 0, output -> { }));
                log.sealSnapshot();
                assertThrows(IllegalStateException.class, () -> log.beginSnapshot(999, 0));
                assertEquals(WriteAheadLog.SNAPSHOT_PUBLISHED, awaitOutcome(log));
            }
        }
        assertEquals(List.of("00000000000000000200.snapshot", "00000000000000000300.snapshot"), names());
    }

    @Test
    void shouldDeleteTheTemporaryFileWhenAbandonedOrClosedMidSnapshot() throws IOException {
        try (WriteAheadLog log = open()) {
            append(log, entry(1, 100));
            writeInPieces(log.beginSnapshot(1, 0), body(1, 200_000));
            assertEquals(List.of("00000000000000000001.snapshot.tmp"), names());
            log.abandonSnapshot();
            assertEquals(List.of(), names());
            writeInPieces(log.beginSnapshot(1, 0), body(2, 1000));
        }
        assertEquals(List.of(), names());
        try (WriteAheadLog log = open()) {
            assertNull(log.loadLatestSnapshot());
            assertEquals(1, log.lastAppendedIndex());
        }
    }

    @Test
    void shouldReportAFailedFileFsyncWithoutFailingTheLog() throws IOException {
        try (WriteAheadLog log = open()) {
            syncer.failingPath = directory.resolve("00000000000000000007.snapshot.tmp");
            writeInPieces(log.beginSnapshot(7, 0), body(7, 1000));
            log.sealSnapshot();
            assertEquals(WriteAheadLog.SNAPSHOT_FAILED, awaitOutcome(log));
            assertTrue(log.lastSnapshotError().getMessage().contains("injected"), log.lastSnapshotError().toString());
            assertFalse(log.isFailed());
            assertNull(log.loadLatestSnapshot());
        }
        assertEquals(List.of(), names());
    }

    @Test
    void shouldFailTheLogWhenTheSyncThreadCannotForceTheDirectory() throws IOException {
        try (WriteAheadLog log = open()) {
            syncer.failingPath = directory;
            writeInPieces(log.beginSnapshot(7, 0), body(7, 1000));
            log.sealSnapshot();
            assertEquals(WriteAheadLog.SNAPSHOT_FAILED, awaitOutcome(log));
            assertTrue(log.isFailed());
            assertEquals(WriteAheadLog.LOG_FAILED, log.force());
            assertThrows(IOException.class, () -> log.beginSnapshot(8, 0));
        }
    }
}
