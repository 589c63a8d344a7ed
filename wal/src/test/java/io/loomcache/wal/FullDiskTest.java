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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.testkit.TmpfsMount;

/**
 * Fills a 1 MiB tmpfs: segment creation must fail with a readable ENOSPC error (never SIGBUS), the log must stay
 * readable, and a reopen must replay every acknowledged record.
 */
class FullDiskTest {
    private static final String NO_SPACE = "No space left on device";
    private static final int SEGMENT_LENGTH = 64 * 1024;
    private static final int PAYLOAD_LENGTH = 1000;
    private static final int MAX_APPENDS = 10_000;

    @TempDir
    Path root;

    private static WalContext context(final Path directory) {
        return new WalContext().directory(directory).segmentLength(SEGMENT_LENGTH).fsyncPolicy(FsyncPolicy.BATCH);
    }

    @Test
    void whenTmpfsFillsUp_thenAppendReportsRollFailedAndEveryAcknowledgedRecordReplaysAfterReopen() throws Exception {
        final Path mountPoint = Files.createDirectory(root.resolve("tmpfs"));
        try (TmpfsMount tmpfs = TmpfsMount.mount(mountPoint, "1m")) {
            final Path directory = tmpfs.path().resolve("wal");
            final List<Records.Entry> acknowledged = new ArrayList<>();
            try (WriteAheadLog log = WriteAheadLog.open(context(directory))) {
                long result = 0;
                for (long index = 1; index <= MAX_APPENDS; index++) {
                    final Records.Entry entry = entry(index, PAYLOAD_LENGTH);
                    result = append(log, entry);
                    if (result < 0) {
                        break;
                    }
                    assertEquals(index, log.force());
                    acknowledged.add(entry);
                }
                assertEquals(WriteAheadLog.ROLL_FAILED, result, "the tmpfs should fill up");
                assertTrue(log.lastError().getMessage().contains(NO_SPACE), log.lastError().getMessage());
                assertFalse(log.isFailed());
                assertEquals(acknowledged.size(), log.durableIndex());
                assertEquals(acknowledged, replay(log, 1));
                assertEquals(WriteAheadLog.ROLL_FAILED, log.claim(PAYLOAD_LENGTH));

                final UnsafeBuffer body = new UnsafeBuffer(new byte[64 * 1024]);
                final IOException snapshotError = assertThrows(IOException.class,
                    () -> log.writeSnapshot(10, 1, output -> output.write(body, 0, body.capacity())));
                assertTrue(snapshotError.getMessage().contains(NO_SPACE), snapshotError.getMessage());
                assertEquals(List.of(), temporaryFiles(directory));
            }
            try (WriteAheadLog log = WriteAheadLog.open(context(directory))) {
                assertEquals(acknowledged.size(), log.lastAppendedIndex());
                assertEquals(acknowledged, replay(log, 1));
                assertTrue(log.deleteSegmentsUpTo(acknowledged.size() / 2) > 0);
                final long next = acknowledged.size() + 1;
                assertEquals(next, append(log, entry(next, PAYLOAD_LENGTH)), "freed space should be usable again");
                assertEquals(next, log.force());
            }
        }
    }

    @Test
    void whenPreallocatingBeyondTheFreeSpace_thenBothFallocateAndZeroFillReportNoSpaceLeft() throws Exception {
        assertTrue(Preallocator.usesFallocate(), "jvm.args enables native access, so posix_fallocate is used");
        final Path mountPoint = Files.createDirectory(root.resolve("tmpfs"));
        try (TmpfsMount tmpfs = TmpfsMount.mount(mountPoint, "1m")) {
            final Path fallocated = tmpfs.path().resolve("fallocated.dat");
            final IOException fallocateError = assertThrows(IOException.class,
                () -> Preallocator.preallocate(fallocated, 2L * 1024 * 1024));
            assertTrue(fallocateError.getMessage().contains(NO_SPACE), fallocateError.getMessage());
            Files.deleteIfExists(fallocated);

            final Path zeroFilled = tmpfs.path().resolve("zero-filled.dat");
            final IOException zeroFillError = assertThrows(IOException.class,
                () -> Preallocator.zeroFill(zeroFilled, 2L * 1024 * 1024));
            assertTrue(zeroFillError.getMessage().contains(NO_SPACE), zeroFillError.getMessage());
            Files.deleteIfExists(zeroFilled);

            Preallocator.preallocate(fallocated, 512 * 1024);
            assertEquals(512 * 1024, Files.size(fallocated));
            Files.delete(fallocated);
        }
    }

    private static List<Path> temporaryFiles(final Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".tmp")).toList();
        }
    }
}
