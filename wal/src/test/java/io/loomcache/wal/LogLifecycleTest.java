package io.loomcache.wal;

import static io.loomcache.wal.Records.append;
import static io.loomcache.wal.Records.entry;
import static io.loomcache.wal.Records.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment lifecycle: a roll or reset that cannot create its segment changes nothing, a reset makes its new segment
 * durable before deleting the old ones, and views of unmapped segments fail cleanly instead of crashing the JVM.
 * With 1 KiB segments and 100-byte payloads a segment holds 7 records (bases 1, 8, 15, ...).
 */
class LogLifecycleTest {
    private static final int SEGMENT_LENGTH = 1024;
    private static final int PAYLOAD_LENGTH = 100;

    @TempDir
    Path root;

    private static WalContext context(final Path directory) {
        return new WalContext().directory(directory).segmentLength(SEGMENT_LENGTH).fsyncPolicy(FsyncPolicy.BATCH);
    }

    private static List<Records.Entry> appendAll(final WriteAheadLog log, final long from, final long to) {
        final List<Records.Entry> entries = new ArrayList<>();
        for (long index = from; index <= to; index++) {
            final Records.Entry entry = entry(index, PAYLOAD_LENGTH);
            assertEquals(index, append(log, entry));
            entries.add(entry);
        }
        return entries;
    }

    private static List<String> files(final Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static Path blockWithDirectory(final Path directory, final long baseIndex) throws IOException {
        final Path obstacle = Files.createDirectory(SegmentFiles.path(directory, baseIndex));
        Files.createFile(obstacle.resolve("keep"));
        return obstacle;
    }

    private static void unblock(final Path obstacle) throws IOException {
        Files.delete(obstacle.resolve("keep"));
        Files.delete(obstacle);
    }

    @Test
    void whenTheNextSegmentCannotBeCreated_thenRollFailedLeavesTheActiveSegmentOpenForSmallerRecords()
        throws IOException {
        final Path directory = root.resolve("wal");
        final List<Records.Entry> expected;
        try (WriteAheadLog log = WriteAheadLog.open(context(directory))) {
            expected = appendAll(log, 1, 7);
            final Path obstacle = blockWithDirectory(directory, 8);
            assertEquals(WriteAheadLog.ROLL_FAILED, append(log, entry(8, PAYLOAD_LENGTH)));
            assertTrue(log.lastError().getMessage().contains(SegmentFiles.fileName(8)), log.lastError().getMessage());
            assertEquals(List.of(SegmentFiles.fileName(1)), files(directory));
            final Records.Entry small = entry(8, 8);
            assertEquals(8, append(log, small));
            expected.add(small);
            unblock(obstacle);
            expected.addAll(appendAll(log, 9, 9));
            assertEquals(9, log.force());
            assertEquals(List.of(SegmentFiles.fileName(1), SegmentFiles.fileName(9)), files(directory));
        }
        try (WriteAheadLog log = WriteAheadLog.open(context(directory))) {
            assertEquals(expected, replay(log, 1));
        }
    }

    @Test
    void whenResetCannotCreateItsSegment_thenRollFailedLeavesEveryRecordInPlace() throws IOException {
        final Path directory = root.resolve("wal");
        try (WriteAheadLog log = WriteAheadLog.open(context(directory))) {
            final List<Records.Entry> all = appendAll(log, 1, 20);
            final List<String> before = files(directory);
            final Path obstacle = blockWithDirectory(directory, 1001);
            assertEquals(WriteAheadLog.ROLL_FAILED, log.reset(1000));
            assertEquals(20, log.lastAppendedIndex());
            assertEquals(all, replay(log, 1));
            assertEquals(before, files(directory));
            assertEquals(SEGMENT_LENGTH, log.buffer().capacity());
            assertEquals(21, append(log, entry(21, PAYLOAD_LENGTH)));
            unblock(obstacle);
            assertEquals(1000, log.reset(1000));
            assertEquals(List.of(SegmentFiles.fileName(1001)), files(directory));
        }
    }

    @Test
    void whenResetting_thenTheNewSegmentIsDurableInTheDirectoryBeforeAnyOldSegmentIsDeleted() throws IOException {
        final Path directory = root.resolve("wal");
        final List<List<String>> durableListings = new ArrayList<>();
        final List<Path> crashImages = new ArrayList<>();
        final Syncer imaging = new Syncer() {
            @Override
            public void forceMapping(final MemorySegment mapping, final Path file) throws IOException {
                Syncer.system().forceMapping(mapping, file);
            }

            @Override
            public void forceChannel(final FileChannel channel, final Path file) throws IOException {
                Syncer.system().forceChannel(channel, file);
                if (file.equals(directory)) {
                    durableListings.add(files(directory));
                    final Path image = Files.createTempDirectory(root, "crash-");
                    for (final String name : files(directory)) {
                        Files.copy(directory.resolve(name), image.resolve(name));
                    }
                    crashImages.add(image);
                }
            }
        };
        final List<Records.Entry> old;
        try (WriteAheadLog log = WriteAheadLog.open(context(directory).syncer(imaging))) {
            old = appendAll(log, 1, 20);
            assertEquals(20, log.force());
            durableListings.clear();
            crashImages.clear();
            assertEquals(1000, log.reset(1000));
        }
        final List<String> oldNames = List.of(SegmentFiles.fileName(1), SegmentFiles.fileName(8),
            SegmentFiles.fileName(15));
        final List<String> withNew = new ArrayList<>(oldNames);
        withNew.add(SegmentFiles.fileName(1001));
        assertEquals(withNew, durableListings.getFirst(), "new segment synced while every old one still exists");
        assertEquals(List.of(SegmentFiles.fileName(1001)), durableListings.getLast());
        for (final Path image : crashImages) {
            try (WriteAheadLog log = WriteAheadLog.open(context(image).fsyncPolicy(FsyncPolicy.NONE))) {
                final List<Records.Entry> recovered = replay(log, 1);
                final boolean newEmptyLog = log.lastAppendedIndex() == 1000 && recovered.isEmpty();
                final boolean oldPrefix = log.firstIndex() == 1 && old.subList(0, recovered.size()).equals(recovered);
                assertTrue(newEmptyLog || oldPrefix, image + " recovered " + recovered);
            }
        }
    }

    @Test
    void whenASegmentIsUnmapped_thenAViewKeptFromItHasZeroCapacityAndThrowsInsteadOfCrashing() throws IOException {
        checkViewOutlivesSegment("delete", 1, log -> {
            try {
                return log.deleteSegmentsUpTo(10);
            } catch (final IOException ex) {
                throw new IllegalStateException(ex);
            }
        });
        checkViewOutlivesSegment("truncate", 20, log -> log.truncateAfter(3));
        checkViewOutlivesSegment("reset", 1, log -> log.reset(1000));
        checkViewOutlivesSegment("close", 20, log -> {
            log.close();
            return 0;
        });
    }

    @Test
    void whenClosed_thenTheClaimBufferIsEmptyAndBufferRefusesToHandOutAnother() throws IOException {
        final WriteAheadLog log = WriteAheadLog.open(context(root.resolve("wal")));
        assertTrue(log.claim(PAYLOAD_LENGTH) > 0);
        final DirectBuffer claimed = log.buffer();
        log.abort();
        log.close();
        assertEquals(0, claimed.capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> claimed.getByte(0));
        assertThrows(IllegalStateException.class, log::buffer);
    }

    private void checkViewOutlivesSegment(
        final String name, final long viewedIndex, final ToLongFunction<WriteAheadLog> operation) throws IOException {
        final WriteAheadLog log = WriteAheadLog.open(context(root.resolve(name)));
        try {
            appendAll(log, 1, 20);
            final DirectBuffer[] kept = new DirectBuffer[1];
            final int[] offset = new int[1];
            assertEquals(1, log.read(viewedIndex, 1, (type, term, index, buffer, payloadOffset, length) -> {
                kept[0] = buffer;
                offset[0] = payloadOffset;
            }));
            assertEquals(SEGMENT_LENGTH, kept[0].capacity(), name);
            assertTrue(operation.applyAsLong(log) >= 0, name);
            assertEquals(0, kept[0].capacity(), name);
            assertThrows(IndexOutOfBoundsException.class, () -> kept[0].getByte(offset[0]), name);
        } finally {
            log.close();
        }
    }
}
