package io.loomcache.wal;

import static io.loomcache.wal.Records.append;
import static io.loomcache.wal.Records.entry;
import static io.loomcache.wal.Records.replay;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    private static final int SEGMENT_LENGTH = 1024;

    @TempDir
    Path directory;

    private WalContext context() {
        return new WalContext().directory(directory).segmentLength(SEGMENT_LENGTH).fsyncPolicy(FsyncPolicy.BATCH);
    }

    private List<Records.Entry> appendAll(final WriteAheadLog log, final long from, final long to, final int length) {
        final List<Records.Entry> entries = new ArrayList<>();
        for (long index = from; index <= to; index++) {
            final Records.Entry entry = entry(index, length);
            assertEquals(index, append(log, entry));
            entries.add(entry);
        }
        return entries;
    }

    private List<String> segmentNames() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".dat")).sorted()
                .toList();
        }
    }

    @Test
    void shouldAppendAndReplayRecordsInOrderStartingAtIndexOne() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            assertEquals(0, log.lastAppendedIndex());
            assertEquals(1, log.firstIndex());
            final List<Records.Entry> expected = appendAll(log, 1, 5, 17);
            assertEquals(5, log.lastAppendedIndex());
            assertEquals(expected, replay(log, 1));
        }
    }

    @Test
    void shouldWritePayloadInPlaceBetweenClaimAndCommit() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            final long offset = log.claim(Long.BYTES);
            assertTrue(offset >= RecordDescriptor.HEADER_LENGTH);
            log.buffer().putLong((int)offset, 0x1122_3344_5566_7788L);
            assertEquals(1, log.commit(7, 3));
            final List<Records.Entry> replayed = replay(log, 1);
            assertEquals(1, replayed.size());
            assertEquals(7, replayed.getFirst().type());
            assertEquals(3, replayed.getFirst().term());
            assertEquals(0x1122_3344_5566_7788L, new UnsafeBuffer(replayed.getFirst().payload()).getLong(0));
        }
    }

    @Test
    void shouldReuseIndexAndLeaveNoBytesAfterAbortedClaim() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            final long offset = log.claim(16);
            log.buffer().setMemory((int)offset, 16, (byte)0x5A);
            log.abort();
            assertEquals(0, log.lastAppendedIndex());
            assertEquals(0, log.buffer().getLong((int)offset));
            assertEquals(1, append(log, entry(1, 4)));
            assertEquals(List.of(entry(1, 4)), replay(log, 1));
        }
    }

    @Test
    void shouldRefuseSecondClaimWhileOneIsPending() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            log.claim(8);
            assertThrows(IllegalStateException.class, () -> log.claim(8));
            assertThrows(IllegalStateException.class, () -> log.truncateAfter(0));
            log.abort();
            assertThrows(IllegalStateException.class, () -> log.commit(1, 1));
        }
    }

    @Test
    void shouldRejectIndexThatDoesNotFollowLastAppended() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            appendAll(log, 1, 3, 8);
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            assertEquals(WriteAheadLog.INDEX_MISMATCH, log.appendAt(5, 1, 1, payload, 0, 8));
            assertEquals(WriteAheadLog.INDEX_MISMATCH, log.appendAt(3, 1, 1, payload, 0, 8));
            assertEquals(4, log.appendAt(4, 1, 1, payload, 0, 8));
        }
    }

    @Test
    void shouldRejectPayloadLongerThanMaxPayloadLength() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            assertEquals(SEGMENT_LENGTH - RecordDescriptor.HEADER_LENGTH, log.maxPayloadLength());
            assertEquals(WriteAheadLog.PAYLOAD_TOO_LONG, log.claim(log.maxPayloadLength() + 1));
            assertEquals(1, append(log, entry(1, log.maxPayloadLength())));
            assertEquals(2, append(log, entry(2, log.maxPayloadLength())));
            assertEquals(List.of(entry(1, log.maxPayloadLength()), entry(2, log.maxPayloadLength())),
                replay(log, 1));
        }
    }

    @Test
    void shouldRollOverAcrossSegmentsNamedByTheirFirstIndexAndPadTheRest() throws IOException {
        final List<Records.Entry> expected;
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            expected = appendAll(log, 1, 40, 100);
            assertEquals(expected, replay(log, 1));
        }
        final int perSegment = SEGMENT_LENGTH / RecordDescriptor.alignedLength(RecordDescriptor.frameLength(100));
        final List<String> names = segmentNames();
        assertEquals((40 + perSegment - 1) / perSegment, names.size());
        for (int i = 0; i < names.size(); i++) {
            assertEquals(String.format("%020d.dat", 1 + (long)i * perSegment), names.get(i));
            assertEquals(SEGMENT_LENGTH, Files.size(directory.resolve(names.get(i))));
        }
        final UnsafeBuffer first = new UnsafeBuffer(Files.readAllBytes(directory.resolve(names.getFirst())));
        final int paddingOffset = perSegment * RecordDescriptor.alignedLength(RecordDescriptor.frameLength(100));
        assertEquals(RecordDescriptor.PADDING_TYPE, first.getInt(paddingOffset + RecordDescriptor.TYPE_OFFSET));
        assertEquals(SEGMENT_LENGTH - paddingOffset,
            first.getInt(paddingOffset + RecordDescriptor.FRAME_LENGTH_OFFSET));
        try (WriteAheadLog reopened = WriteAheadLog.open(context())) {
            assertEquals(40, reopened.lastAppendedIndex());
            assertEquals(expected, replay(reopened, 1));
        }
    }

    @Test
    void shouldReplayFromIndexInTheMiddleAcrossSegments() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            final List<Records.Entry> all = appendAll(log, 1, 50, 60);
            assertEquals(all.subList(22, 50), replay(log, 23));
            assertEquals(all.subList(49, 50), replay(log, 50));
            assertEquals(List.of(), replay(log, 51));
            final List<Records.Entry> batches = new ArrayList<>();
            long next = 7;
            while (next <= 50) {
                next += log.read(next, 6, Records.collector(batches));
            }
            assertEquals(all.subList(6, 50), batches);
            final List<Records.Entry> backwards = new ArrayList<>();
            for (long index = 50; index >= 1; index--) {
                assertEquals(1, log.read(index, 1, Records.collector(backwards)));
                assertEquals(Records.termOf(index), log.termAt(index));
            }
            assertEquals(all.reversed(), backwards);
            assertEquals(WriteAheadLog.NOT_FOUND, log.termAt(51));
            assertEquals(WriteAheadLog.NOT_FOUND, log.termAt(0));
        }
    }

    @Test
    void shouldContinueIndexesAfterReopen() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            appendAll(log, 1, 12, 90);
        }
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            assertEquals(12, log.lastAppendedIndex());
            assertEquals(12, log.durableIndex());
            appendAll(log, 13, 20, 90);
        }
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            final List<Records.Entry> expected = new ArrayList<>();
            for (long index = 1; index <= 20; index++) {
                expected.add(entry(index, 90));
            }
            assertEquals(expected, replay(log, 1));
        }
    }

    @Test
    void shouldTruncateSuffixWithinAndAcrossSegmentsThenAppendAtTheFreedIndexes() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            final List<Records.Entry> all = appendAll(log, 1, 30, 100);
            assertEquals(30, log.force());
            assertEquals(29, log.truncateAfter(29));
            assertEquals(29, log.durableIndex());
            assertEquals(all.subList(0, 29), replay(log, 1));
            assertEquals(8, log.truncateAfter(8));
            assertEquals(8, log.lastAppendedIndex());
            assertEquals(all.subList(0, 8), replay(log, 1));
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[] {9, 9, 9});
            assertEquals(9, log.appendAt(9, 2, 77, payload, 0, 3));
            assertEquals(77, log.termAt(9));
        }
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            final List<Records.Entry> replayed = replay(log, 1);
            assertEquals(9, replayed.size());
            assertArrayEquals(new byte[] {9, 9, 9}, replayed.get(8).payload());
            assertEquals(entry(8, 100), replayed.get(7));
        }
        assertEquals(2, segmentNames().size());
    }

    @Test
    void shouldResetToStartAfterSnapshotIndex() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            appendAll(log, 1, 20, 100);
            assertEquals(1000, log.reset(1000));
            assertEquals(1000, log.lastAppendedIndex());
            assertEquals(1001, log.firstIndex());
            assertEquals(List.of(), replay(log, 1));
            appendAll(log, 1001, 1003, 10);
        }
        assertEquals(List.of(String.format("%020d.dat", 1001)), segmentNames());
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            assertEquals(List.of(entry(1001, 10), entry(1002, 10), entry(1003, 10)), replay(log, 1));
            assertEquals(1, log.truncateAfter(1));
            assertEquals(2, append(log, entry(2, 5)));
            assertEquals(List.of(entry(2, 5)), replay(log, 1));
        }
    }

    @Test
    void shouldDeleteOnlySealedSegmentsWhoseRecordsAreAllAtOrBelowIndex() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            final List<Records.Entry> all = appendAll(log, 1, 40, 100);
            final int before = segmentNames().size();
            assertEquals(0, log.deleteSegmentsUpTo(6));
            assertEquals(2, log.deleteSegmentsUpTo(17));
            assertEquals(before - 2, segmentNames().size());
            assertEquals(15, log.firstIndex());
            assertEquals(all.subList(14, 40), replay(log, 1));
            assertEquals(before - 3, log.deleteSegmentsUpTo(Long.MAX_VALUE));
            assertEquals(1, segmentNames().size());
            assertEquals(40, log.lastAppendedIndex());
            assertEquals(40, log.force());
        }
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            assertEquals(40, log.lastAppendedIndex());
            assertEquals(entry(40, 100), replay(log, 1).getLast());
        }
    }

    @Test
    void shouldDropStaleSegmentsLeftBeforeAGapByAnInterruptedDeletion() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            appendAll(log, 1, 30, 100);
        }
        final List<String> names = segmentNames();
        Files.delete(directory.resolve(names.get(1)));
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            final long first = Long.parseLong(names.get(2).substring(0, 20));
            assertEquals(first, log.firstIndex());
            assertEquals(30, log.lastAppendedIndex());
            assertEquals(entry(first, 100), replay(log, 1).getFirst());
        }
        assertEquals(names.subList(2, names.size()), segmentNames());
    }

    @Test
    void shouldRefuseToOpenAndDeleteNothingWhenASegmentBeforeTheLastHasACorruptRecord() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            appendAll(log, 1, 30, 100);
            assertEquals(30, log.force());
        }
        final List<String> names = segmentNames();
        final Path second = directory.resolve(names.get(1));
        final byte[] bytes = Files.readAllBytes(second);
        final int recordLength = RecordDescriptor.alignedLength(RecordDescriptor.frameLength(100));
        bytes[recordLength + RecordDescriptor.HEADER_LENGTH + 3] ^= 1;
        Files.write(second, bytes);
        final IOException error = assertThrows(IOException.class, () -> WriteAheadLog.open(context()));
        assertTrue(error.getMessage().contains(second.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("corrupt at offset " + recordLength), error.getMessage());
        assertEquals(names, segmentNames());
        assertArrayEquals(bytes, Files.readAllBytes(second));
    }

    @Test
    void shouldDropLaterSegmentsWhenASegmentBeforeTheLastLostOnlyItsPaddingInAnInterruptedRoll() throws IOException {
        final int recordLength = RecordDescriptor.alignedLength(RecordDescriptor.frameLength(100));
        final int paddingOffset = SEGMENT_LENGTH / recordLength * recordLength;
        for (int keptHeaderBytes = 0; keptHeaderBytes < RecordDescriptor.HEADER_LENGTH; keptHeaderBytes += 12) {
            try (WriteAheadLog log = WriteAheadLog.open(context())) {
                appendAll(log, 1, 30, 100);
                assertEquals(30, log.force());
            }
            final List<String> names = segmentNames();
            final Path second = directory.resolve(names.get(1));
            final byte[] bytes = Files.readAllBytes(second);
            Arrays.fill(bytes, paddingOffset + keptHeaderBytes, paddingOffset + RecordDescriptor.HEADER_LENGTH,
                (byte)0);
            Files.write(second, bytes);
            final long lastOfSecond = Long.parseLong(names.get(2).substring(0, 20)) - 1;
            try (WriteAheadLog log = WriteAheadLog.open(context())) {
                assertEquals(lastOfSecond, log.lastAppendedIndex(), "padding bytes kept: " + keptHeaderBytes);
                assertEquals(lastOfSecond + 1, append(log, entry(lastOfSecond + 1, 100)));
                assertEquals(entry(lastOfSecond, 100), replay(log, lastOfSecond).getFirst());
            }
            assertEquals(names.subList(0, 3), segmentNames());
            for (final String name : segmentNames()) {
                Files.delete(directory.resolve(name));
            }
        }
    }

    @Test
    void shouldRejectUseAfterClose() throws IOException {
        final WriteAheadLog log = WriteAheadLog.open(context());
        log.close();
        log.close();
        assertThrows(IllegalStateException.class, () -> log.claim(1));
        assertThrows(IllegalStateException.class, log::force);
        assertThrows(IllegalStateException.class, () -> log.replay(1, Records.collector(new ArrayList<>())));
    }
}
