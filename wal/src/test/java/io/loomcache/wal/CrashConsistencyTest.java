package io.loomcache.wal;

import static io.loomcache.wal.Records.append;
import static io.loomcache.wal.Records.entry;
import static io.loomcache.wal.Records.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages the last records of a log at every byte (cut the file, zero the rest, flip a byte) and checks that a
 * reopen keeps exactly the intact prefix, zeroes the rest and appends after it. The damaged copies are opened
 * with {@link FsyncPolicy#NONE}: recovery is the subject here, and hundreds of fsyncs would only slow it down.
 */
class CrashConsistencyTest {
    private static final int SEGMENT_LENGTH = 2048;
    private static final int RECORD_COUNT = 80;
    private static final int DAMAGED_RECORDS = 3;

    @TempDir
    Path root;

    private Path template;
    private List<Records.Entry> entries;
    private String lastSegmentName;
    private final List<Integer> starts = new ArrayList<>();
    private final List<Integer> frameEnds = new ArrayList<>();

    private static int payloadLength(final long index) {
        return (int)(index * 13 % 97) + 1;
    }

    private static WalContext context(final Path directory, final FsyncPolicy fsyncPolicy) {
        return new WalContext().directory(directory).segmentLength(SEGMENT_LENGTH).fsyncPolicy(fsyncPolicy);
    }

    @BeforeEach
    void writeTemplateLog() throws IOException {
        template = Files.createDirectory(root.resolve("template"));
        entries = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(context(template, FsyncPolicy.BATCH))) {
            for (long index = 1; index <= RECORD_COUNT; index++) {
                final Records.Entry entry = entry(index, payloadLength(index));
                assertEquals(index, append(log, entry));
                entries.add(entry);
            }
            assertEquals(RECORD_COUNT, log.force());
        }
        try (Stream<Path> files = Files.list(template)) {
            final List<Path> segments = files.sorted(Comparator.naturalOrder()).toList();
            assertTrue(segments.size() >= 3, "the log should span several segments");
            lastSegmentName = segments.getLast().getFileName().toString();
        }
        final long base = Long.parseLong(lastSegmentName.substring(0, 20));
        final UnsafeBuffer segment = new UnsafeBuffer(Files.readAllBytes(template.resolve(lastSegmentName)));
        int position = 0;
        for (long index = base; index <= RECORD_COUNT; index++) {
            final int frameLength = segment.getInt(position + RecordDescriptor.FRAME_LENGTH_OFFSET);
            starts.add(position);
            frameEnds.add(position + frameLength);
            position += RecordDescriptor.alignedLength(frameLength);
        }
        assertTrue(starts.size() >= DAMAGED_RECORDS, "the damaged records should all be in the last segment");
    }

    @Test
    void shouldKeepExactlyTheIntactPrefixWhenTheLastSegmentIsCutAtEveryByte() throws IOException {
        final int from = starts.get(starts.size() - DAMAGED_RECORDS);
        final int to = frameEnds.getLast();
        for (int cut = from; cut <= to; cut++) {
            final long cutAt = cut;
            checkRecovery(intactBefore(cut), segment -> {
                try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                    channel.truncate(cutAt);
                }
            });
        }
    }

    @Test
    void shouldKeepExactlyTheIntactPrefixWhenTheTailOfTheLastSegmentIsLostAtEveryByte() throws IOException {
        final int from = starts.get(starts.size() - DAMAGED_RECORDS);
        final int to = frameEnds.getLast();
        for (int cut = from; cut <= to; cut++) {
            final int zeroFrom = cut;
            checkRecovery(intactBefore(cut), segment -> {
                try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                    final ByteBuffer zeros = ByteBuffer.allocate(SEGMENT_LENGTH - zeroFrom);
                    channel.write(zeros, zeroFrom);
                }
            });
        }
    }

    @Test
    void shouldKeepOnlyTheRecordsBeforeAFlippedByteAnywhereInTheLastRecords() throws IOException {
        for (int record = starts.size() - DAMAGED_RECORDS; record < starts.size(); record++) {
            final long intact = RECORD_COUNT - (starts.size() - record);
            for (int offset = starts.get(record); offset < frameEnds.get(record); offset++) {
                final int flipAt = offset;
                checkRecovery(intact, segment -> {
                    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
                        final ByteBuffer one = ByteBuffer.allocate(1);
                        channel.read(one, flipAt);
                        one.put(0, (byte)(one.get(0) ^ 0xFF)).rewind();
                        channel.write(one, flipAt);
                    }
                });
            }
        }
    }

    private long intactBefore(final int cut) {
        int intactInLast = 0;
        while (intactInLast < frameEnds.size() && frameEnds.get(intactInLast) <= cut) {
            intactInLast++;
        }
        return RECORD_COUNT - frameEnds.size() + intactInLast;
    }

    private void checkRecovery(final long intact, final Damage damage) throws IOException {
        final Path directory = Files.createDirectory(root.resolve("case"));
        try {
            try (Stream<Path> files = Files.list(template)) {
                for (final Path file : files.toList()) {
                    Files.copy(file, directory.resolve(file.getFileName()));
                }
            }
            final Path segment = directory.resolve(lastSegmentName);
            damage.apply(segment);
            final Records.Entry appended = entry(intact + 1, 11);
            try (WriteAheadLog log = WriteAheadLog.open(context(directory, FsyncPolicy.NONE))) {
                final String message = "intact prefix of " + intact + " records";
                assertEquals(intact, log.lastAppendedIndex(), message);
                assertEquals(entries.subList(0, (int)intact), replay(log, 1), message);
                assertZeroAfterIntactRecords(segment, intact, message);
                assertEquals(intact + 1, append(log, appended), message);
            }
            try (WriteAheadLog log = WriteAheadLog.open(context(directory, FsyncPolicy.NONE))) {
                final List<Records.Entry> expected = new ArrayList<>(entries.subList(0, (int)intact));
                expected.add(appended);
                assertEquals(expected, replay(log, 1));
            }
        } finally {
            deleteTree(directory);
        }
    }

    private void assertZeroAfterIntactRecords(final Path segment, final long intact, final String message)
        throws IOException {
        final int intactInLast = (int)(intact - (RECORD_COUNT - starts.size()));
        final int end = intactInLast == 0 ? 0 : starts.get(intactInLast - 1)
            + RecordDescriptor.alignedLength(frameEnds.get(intactInLast - 1) - starts.get(intactInLast - 1));
        final byte[] bytes = Files.readAllBytes(segment);
        for (int i = end; i < bytes.length; i++) {
            assertEquals(0, bytes[i], message + ": byte " + i + " after the intact records");
        }
    }

    private static void deleteTree(final Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (final Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    @FunctionalInterface
    private interface Damage {
        void apply(Path segment) throws IOException;
    }
}
