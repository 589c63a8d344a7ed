package io.loomcache.wal;

import static io.loomcache.wal.Records.append;
import static io.loomcache.wal.Records.entry;
import static io.loomcache.wal.Records.replay;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {
    private static final int BODY_LENGTH = 300_000;

    @TempDir
    Path directory;

    private WriteAheadLog open() throws IOException {
        return WriteAheadLog.open(new WalContext().directory(directory).segmentLength(1024)
            .fsyncPolicy(FsyncPolicy.BATCH).snapshotsToRetain(2));
    }

    private static byte[] body(final long seed, final int length) {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static void write(final WriteAheadLog log, final long index, final long term, final byte[] body)
        throws IOException {
        final UnsafeBuffer source = new UnsafeBuffer(body);
        log.writeSnapshot(index, term, output -> {
            for (int offset = 0; offset < body.length; offset += 7000) {
                output.write(source, offset, Math.min(7000, body.length - offset));
            }
            assertEquals(body.length, output.bodyLength());
        });
    }

    private static byte[] read(final Snapshot snapshot) {
        final byte[] bytes = new byte[(int)snapshot.bodyLength()];
        snapshot.wrapBody(new UnsafeBuffer(0, 0), 0, bytes.length).getBytes(0, bytes);
        return bytes;
    }

    private List<String> snapshotNames() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> !name.endsWith(".dat")).sorted()
                .toList();
        }
    }

    @Test
    void shouldReturnNullWhenNoSnapshotExists() throws IOException {
        try (WriteAheadLog log = open()) {
            assertNull(log.loadLatestSnapshot());
        }
    }

    @Test
    void shouldWriteAndLoadSnapshotWithIndexTermAndBody() throws IOException {
        final byte[] body = body(1, BODY_LENGTH);
        try (WriteAheadLog log = open()) {
            write(log, 120, 7, body);
            write(log, 121, 7, new byte[0]);
        }
        assertEquals(List.of("00000000000000000120.snapshot", "00000000000000000121.snapshot"), snapshotNames());
        try (WriteAheadLog log = open(); Snapshot empty = log.loadLatestSnapshot()) {
            assertEquals(121, empty.lastIncludedIndex());
            assertEquals(0, empty.bodyLength());
            Files.delete(empty.file());
            try (Snapshot snapshot = log.loadLatestSnapshot()) {
                assertEquals(120, snapshot.lastIncludedIndex());
                assertEquals(7, snapshot.lastIncludedTerm());
                assertArrayEquals(body, read(snapshot));
                assertThrows(IndexOutOfBoundsException.class,
                    () -> snapshot.wrapBody(new UnsafeBuffer(0, 0), 1, BODY_LENGTH));
            }
        }
    }

    @Test
    void shouldFallBackToTheOlderSnapshotWhenTheNewestIsCorruptOrTorn() throws IOException {
        final byte[] older = body(2, 5000);
        try (WriteAheadLog log = open()) {
            write(log, 10, 1, older);
            write(log, 20, 2, body(3, 5000));
        }
        final Path newest = directory.resolve("00000000000000000020.snapshot");
        final byte[] intact = Files.readAllBytes(newest);
        final int[] damagedOffsets = {0, SnapshotDescriptor.LAST_INCLUDED_TERM_OFFSET, SnapshotDescriptor.HEADER_LENGTH,
            SnapshotDescriptor.HEADER_LENGTH + 4999};
        try (WriteAheadLog log = open()) {
            for (final int offset : damagedOffsets) {
                final byte[] damaged = intact.clone();
                damaged[offset] ^= 0x10;
                Files.write(newest, damaged);
                assertLoadsOlder(log, older);
            }
            try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.WRITE)) {
                channel.truncate(intact.length - 1);
            }
            assertLoadsOlder(log, older);
        }
    }

    private static void assertLoadsOlder(final WriteAheadLog log, final byte[] older) throws IOException {
        try (Snapshot snapshot = log.loadLatestSnapshot()) {
            assertEquals(10, snapshot.lastIncludedIndex());
            assertArrayEquals(older, read(snapshot));
        }
    }

    @Test
    void shouldKeepOnlyTheNewestSnapshotsBeyondTheRetentionCount() throws IOException {
        try (WriteAheadLog log = open()) {
            for (long index = 100; index <= 400; index += 100) {
                write(log, index, 1, body(index, 100));
            }
        }
        assertEquals(List.of("00000000000000000300.snapshot", "00000000000000000400.snapshot"), snapshotNames());
    }

    @Test
    void shouldLeaveNoFileWhenTheWriterFails() throws IOException {
        try (WriteAheadLog log = open()) {
            final UnsafeBuffer source = new UnsafeBuffer(new byte[1000]);
            final IOException error = assertThrows(IOException.class, () -> log.writeSnapshot(5, 1, output -> {
                output.write(source, 0, 1000);
                throw new IOException("state could not be serialized");
            }));
            assertEquals("state could not be serialized", error.getMessage());
            assertNull(log.loadLatestSnapshot());
        }
        assertEquals(List.of(), snapshotNames());
    }

    @Test
    void shouldRecoverFromSnapshotPlusLogTailAfterDeletingCoveredSegments() throws IOException {
        final byte[] state = body(9, 2000);
        try (WriteAheadLog log = open()) {
            for (long index = 1; index <= 40; index++) {
                append(log, entry(index, 100));
            }
            assertEquals(40, log.force());
            write(log, 20, Records.termOf(20), state);
            assertTrue(log.deleteSegmentsUpTo(20) > 0);
            assertTrue(log.firstIndex() <= 21);
            assertEquals(40, log.force());
        }
        try (WriteAheadLog log = open(); Snapshot snapshot = log.loadLatestSnapshot()) {
            assertEquals(20, snapshot.lastIncludedIndex());
            assertArrayEquals(state, read(snapshot));
            final List<Records.Entry> tail = replay(log, snapshot.lastIncludedIndex() + 1);
            assertEquals(20, tail.size());
            for (int i = 0; i < tail.size(); i++) {
                assertEquals(entry(21 + i, 100), tail.get(i));
            }
            assertEquals(Records.termOf(20), log.termAt(20));
        }
    }
}
