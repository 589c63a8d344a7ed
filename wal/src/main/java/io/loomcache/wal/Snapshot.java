package io.loomcache.wal;

import static io.loomcache.wal.SnapshotDescriptor.BODY_CRC_OFFSET;
import static io.loomcache.wal.SnapshotDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.wal.SnapshotDescriptor.BYTE_ORDER;
import static io.loomcache.wal.SnapshotDescriptor.HEADER_CRC_OFFSET;
import static io.loomcache.wal.SnapshotDescriptor.HEADER_LENGTH;
import static io.loomcache.wal.SnapshotDescriptor.LAST_INCLUDED_INDEX_OFFSET;
import static io.loomcache.wal.SnapshotDescriptor.LAST_INCLUDED_TERM_OFFSET;
import static io.loomcache.wal.SnapshotDescriptor.MAGIC;
import static io.loomcache.wal.SnapshotDescriptor.MAGIC_OFFSET;
import static io.loomcache.wal.SnapshotDescriptor.VERSION;
import static io.loomcache.wal.SnapshotDescriptor.VERSION_OFFSET;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A validated snapshot file mapped read-only; {@link #close()} unmaps it. Any thread may read it until closed.
 */
public final class Snapshot implements AutoCloseable {
    private static final long CRC_CHUNK_LENGTH = 1 << 30;

    private final Path file;
    private final Arena arena;
    private final MemorySegment mapping;
    private final long lastIncludedIndex;
    private final long lastIncludedTerm;
    private final long bodyLength;

    private Snapshot(final Path file, final Arena arena, final MemorySegment mapping, final UnsafeBuffer header) {
        this.file = file;
        this.arena = arena;
        this.mapping = mapping;
        this.lastIncludedIndex = header.getLong(LAST_INCLUDED_INDEX_OFFSET, BYTE_ORDER);
        this.lastIncludedTerm = header.getLong(LAST_INCLUDED_TERM_OFFSET, BYTE_ORDER);
        this.bodyLength = header.getLong(BODY_LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * Maps and validates a snapshot file.
     *
     * @return the snapshot, or null when the file is torn or corrupt.
     */
    static Snapshot open(final Path file, final long expectedIndex) throws IOException {
        final long size = Files.size(file);
        if (size < HEADER_LENGTH) {
            return null;
        }
        final Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            final MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            final UnsafeBuffer header = new UnsafeBuffer(mapping.address(), HEADER_LENGTH);
            final CRC32C crc = new CRC32C();
            if (header.getInt(MAGIC_OFFSET, BYTE_ORDER) == MAGIC
                && header.getInt(VERSION_OFFSET, BYTE_ORDER) == VERSION
                && header.getInt(HEADER_CRC_OFFSET, BYTE_ORDER) == crc(mapping, 0, HEADER_CRC_OFFSET, crc)
                && header.getLong(LAST_INCLUDED_INDEX_OFFSET, BYTE_ORDER) == expectedIndex
                && header.getLong(BODY_LENGTH_OFFSET, BYTE_ORDER) == size - HEADER_LENGTH
                && header.getInt(BODY_CRC_OFFSET, BYTE_ORDER) == crc(mapping, HEADER_LENGTH, size, crc)) {
                return new Snapshot(file, arena, mapping, header);
            }
        } catch (final IOException | RuntimeException ex) {
            arena.close();
            throw ex;
        }
        arena.close();
        return null;
    }

    static int crc(final MemorySegment mapping, final long from, final long to, final CRC32C crc) {
        crc.reset();
        for (long position = from; position < to; position += CRC_CHUNK_LENGTH) {
            final ByteBuffer chunk = mapping.asSlice(position, Math.min(CRC_CHUNK_LENGTH, to - position))
                .asByteBuffer();
            crc.update(chunk);
        }
        return (int)crc.getValue();
    }

    /**
     * Index of the last log record this snapshot includes.
     *
     * @return the last included index.
     */
    public long lastIncludedIndex() {
        return lastIncludedIndex;
    }

    /**
     * Term of the last log record this snapshot includes.
     *
     * @return the last included term.
     */
    public long lastIncludedTerm() {
        return lastIncludedTerm;
    }

    /**
     * Length of the body in bytes.
     *
     * @return body length.
     */
    public long bodyLength() {
        return bodyLength;
    }

    /**
     * The snapshot file.
     *
     * @return its path.
     */
    public Path file() {
        return file;
    }

    /**
     * Points {@code view} at a window of the body (read-only memory: never write through it).
     *
     * @param view   the buffer to wrap, typically an {@link UnsafeBuffer} kept by the caller.
     * @param offset offset of the window in the body, in bytes.
     * @param length length of the window in bytes.
     * @return {@code view}.
     * @throws IndexOutOfBoundsException when the window is not inside the body.
     */
    public DirectBuffer wrapBody(final DirectBuffer view, final long offset, final int length) {
        if (offset < 0 || length < 0 || offset + length > bodyLength) {
            throw new IndexOutOfBoundsException("window " + offset + "+" + length + " outside body of " + bodyLength);
        }
        view.wrap(mapping.address() + HEADER_LENGTH + offset, length);
        return view;
    }

    /**
     * Unmaps the file; views from {@link #wrapBody} must not be used afterwards.
     */
    @Override
    public void close() {
        arena.close();
    }
}
