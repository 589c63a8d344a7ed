package io.loomcache.wal;

import static io.loomcache.wal.SnapshotDescriptor.BODY_CRC_OFFSET;
import static io.loomcache.wal.SnapshotDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.wal.SnapshotDescriptor.BYTE_ORDER;
import static io.loomcache.wal.SnapshotDescriptor.FILE_SUFFIX;
import static io.loomcache.wal.SnapshotDescriptor.HEADER_CRC_OFFSET;
import static io.loomcache.wal.SnapshotDescriptor.HEADER_LENGTH;
import static io.loomcache.wal.SnapshotDescriptor.LAST_INCLUDED_INDEX_OFFSET;
import static io.loomcache.wal.SnapshotDescriptor.LAST_INCLUDED_TERM_OFFSET;
import static io.loomcache.wal.SnapshotDescriptor.MAGIC;
import static io.loomcache.wal.SnapshotDescriptor.MAGIC_OFFSET;
import static io.loomcache.wal.SnapshotDescriptor.VERSION;
import static io.loomcache.wal.SnapshotDescriptor.VERSION_OFFSET;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes snapshot files atomically (temporary file, write, fsync, rename), finds the newest valid one and deletes
 * those beyond the retention count. Used by the log's owning thread, and by the sync thread of a
 * {@link SnapshotBuilder} for {@link #list()} and {@link #deleteBeyondRetention()} while the owner does not touch
 * snapshots. The directory is not forced here: it shares
 * the log's directory channel, and Linux reports a writeback error once per open file, so a failed directory fsync
 * must fail the whole log; {@link WriteAheadLog#writeSnapshot} forces it and fails the log on error.
 */
final class SnapshotStore {
    private final Path directory;
    private final Syncer syncer;
    private final int snapshotsToRetain;
    private final ByteBuffer headerBytes = ByteBuffer.allocateDirect(HEADER_LENGTH);
    private final UnsafeBuffer header = new UnsafeBuffer(headerBytes);
    private final CRC32C crc = new CRC32C();
    private SnapshotOutput output;

    SnapshotStore(final Path directory, final Syncer syncer, final int snapshotsToRetain) {
        this.directory = directory;
        this.syncer = syncer;
        this.snapshotsToRetain = snapshotsToRetain;
    }

    static Path path(final Path directory, final long lastIncludedIndex) {
        final String name = SegmentFiles.fileName(lastIncludedIndex);
        return directory.resolve(name.substring(0, SegmentFiles.NAME_DIGITS) + FILE_SUFFIX);
    }

    /**
     * Writes and forces the snapshot file and renames it to its final name; the caller then forces the directory.
     */
    void write(final long lastIncludedIndex, final long lastIncludedTerm, final SnapshotWriter writer)
        throws IOException {
        if (lastIncludedIndex < 0 || lastIncludedTerm < 0) {
            throw new IllegalArgumentException(
                "negative index or term: " + lastIncludedIndex + ", " + lastIncludedTerm);
        }
        final Path file = path(directory, lastIncludedIndex);
        final Path temporary = temporaryPath(lastIncludedIndex);
        if (output == null) {
            output = new SnapshotOutput();
        }
        try (FileChannel channel = openTemporary(temporary)) {
            output.start(channel, HEADER_LENGTH);
            writer.write(output);
            final long bodyLength = output.bodyLength();
            writeHeader(channel, lastIncludedIndex, lastIncludedTerm, bodyLength, output.finish());
            syncer.forceChannel(channel, temporary);
        } catch (final IOException | RuntimeException ex) {
            output.abandon();
            Files.deleteIfExists(temporary);
            throw ex;
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final IOException ex) {
            Files.deleteIfExists(temporary);
            throw ex;
        }
    }

    /**
     * The temporary name a snapshot is written under before its rename; recovery deletes such files.
     */
    Path temporaryPath(final long lastIncludedIndex) {
        return directory.resolve(path(directory, lastIncludedIndex).getFileName() + SegmentFiles.TEMPORARY_SUFFIX);
    }

    static FileChannel openTemporary(final Path temporary) throws IOException {
        return FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    }

    /**
     * Writes the header, with its CRC, at the start of a snapshot file whose body is written.
     */
    void writeHeader(
        final FileChannel channel, final long lastIncludedIndex, final long lastIncludedTerm, final long bodyLength,
        final int bodyCrc) throws IOException {
        header.putInt(MAGIC_OFFSET, MAGIC, BYTE_ORDER);
        header.putInt(VERSION_OFFSET, VERSION, BYTE_ORDER);
        header.putLong(LAST_INCLUDED_INDEX_OFFSET, lastIncludedIndex, BYTE_ORDER);
        header.putLong(LAST_INCLUDED_TERM_OFFSET, lastIncludedTerm, BYTE_ORDER);
        header.putLong(BODY_LENGTH_OFFSET, bodyLength, BYTE_ORDER);
        header.putInt(BODY_CRC_OFFSET, bodyCrc, BYTE_ORDER);
        crc.reset();
        crc.update(headerBytes.clear().limit(HEADER_CRC_OFFSET));
        header.putInt(HEADER_CRC_OFFSET, (int)crc.getValue(), BYTE_ORDER);
        headerBytes.clear();
        long position = 0;
        while (headerBytes.hasRemaining()) {
            position += channel.write(headerBytes, position);
        }
    }

    Snapshot loadLatest() throws IOException {
        final long[] indexes = list();
        for (int i = indexes.length - 1; i >= 0; i--) {
            final Snapshot snapshot = Snapshot.open(path(directory, indexes[i]), indexes[i]);
            if (snapshot != null) {
                return snapshot;
            }
        }
        return null;
    }

    long[] list() throws IOException {
        long[] indexes = new long[8];
        int count = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + FILE_SUFFIX)) {
            for (final Path file : stream) {
                final long index = SegmentFiles.parseIndexName(file.getFileName().toString(), FILE_SUFFIX);
                if (index >= 0 && Files.isRegularFile(file)) {
                    if (count == indexes.length) {
                        indexes = Arrays.copyOf(indexes, count * 2);
                    }
                    indexes[count++] = index;
                }
            }
        }
        final long[] result = Arrays.copyOf(indexes, count);
        Arrays.sort(result);
        return result;
    }

    /**
     * Deletes the oldest snapshots beyond the retention count.
     *
     * @return true when a file was deleted, so the directory needs an fsync.
     */
    boolean deleteBeyondRetention() throws IOException {
        final long[] indexes = list();
        boolean deleted = false;
        for (int i = 0; i < indexes.length - snapshotsToRetain; i++) {
            deleted |= Files.deleteIfExists(path(directory, indexes[i]));
        }
        return deleted;
    }
}
