package io.loomcache.wal;

import static io.loomcache.wal.RecordDescriptor.BYTE_ORDER;
import static io.loomcache.wal.RecordDescriptor.CRC_OFFSET;
import static io.loomcache.wal.RecordDescriptor.FRAME_LENGTH_OFFSET;
import static io.loomcache.wal.RecordDescriptor.HEADER_LENGTH;
import static io.loomcache.wal.RecordDescriptor.INDEX_OFFSET;
import static io.loomcache.wal.RecordDescriptor.PADDING_TYPE;
import static io.loomcache.wal.RecordDescriptor.RESERVED_OFFSET;
import static io.loomcache.wal.RecordDescriptor.TERM_OFFSET;
import static io.loomcache.wal.RecordDescriptor.TYPE_OFFSET;
import static io.loomcache.wal.RecordDescriptor.alignedLength;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One segment file mapped read-write through FFM ({@link Arena#ofShared()}, unmapped deterministically on close),
 * seen through an {@link UnsafeBuffer}. Holds the record-level operations on it. Owned by the log's thread.
 * <p>
 * On {@link #close()} the buffer is re-wrapped to zero bytes before the memory is unmapped, so that a view kept
 * past that point fails with {@link IndexOutOfBoundsException} (Agrona bounds checks) instead of a SIGSEGV.
 */
final class Segment implements AutoCloseable {
    /** Recovery found records up to a zero frame length, a torn or corrupt record, or a wrong index. */
    static final int OPEN_END = 0;
    /** Recovery found the segment sealed: a valid padding record or no room for another header. */
    static final int SEALED_END = 1;
    /**
     * Stride of {@link #dirtyRecordPages()}: the smallest page size Linux uses, so that every page is touched
     * whatever the real page size is.
     */
    static final int MIN_PAGE_LENGTH = 4096;
    private static final byte[] NO_BYTES = new byte[0];

    final Path file;
    final long baseIndex;
    final int capacity;
    final MemorySegment mapping;
    /** A buffer view of {@link #mapping} for allocation-free ranged forces (msync of the dirty pages only). */
    final MappedByteBuffer view;
    final UnsafeBuffer buffer;
    private final Arena arena;
    private final ByteBuffer crcView;

    /** End of the last committed record, aligned; the next record starts here. */
    private int tail;
    /** End of every byte written so far, the padding header of a sealed segment included. */
    private int writtenLimit;
    /** Bytes changed since the last successful force. */
    private boolean dirty;
    private int dirtyFrom = Integer.MAX_VALUE;
    private int dirtyTo;
    /** Index of the last record in this segment, {@code baseIndex - 1} when empty. */
    private long lastIndex;
    /** No record will be appended to this segment any more. */
    private boolean sealed;
    private long hintIndex;
    private int hintPosition;

    private Segment(final Path file, final long baseIndex, final Arena arena, final MemorySegment mapping) {
        this.file = file;
        this.baseIndex = baseIndex;
        this.capacity = (int)mapping.byteSize();
        this.arena = arena;
        this.mapping = mapping;
        this.buffer = new UnsafeBuffer(mapping.address(), capacity);
        this.crcView = mapping.asByteBuffer();
        this.view = (MappedByteBuffer)crcView;
        this.lastIndex = baseIndex - 1;
        this.hintIndex = baseIndex;
    }

    /**
     * Maps the first {@code capacity} bytes of an existing, fully allocated segment file.
     */
    static Segment map(final Path file, final long baseIndex, final int capacity) throws IOException {
        return map(file, file, baseIndex, capacity);
    }

    /**
     * Maps the first {@code capacity} bytes of {@code source}, a fully allocated file that is about to be renamed
     * to {@code file} (the mapping follows the inode through the rename).
     */
    static Segment map(final Path source, final Path file, final long baseIndex, final int capacity)
        throws IOException {
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final Arena arena = Arena.ofShared();
            try {
                return new Segment(file, baseIndex, arena, channel.map(FileChannel.MapMode.READ_WRITE, 0,
                    capacity, arena));
            } catch (final IOException | RuntimeException ex) {
                arena.close();
                throw new IOException("cannot map WAL segment " + file + ": " + ex.getMessage(), ex);
            }
        }
    }

    int tail() {
        return tail;
    }

    long lastIndex() {
        return lastIndex;
    }

    boolean isSealed() {
        return sealed;
    }

    boolean isEmpty() {
        return lastIndex < baseIndex;
    }

    boolean isDirty() {
        return dirty;
    }

    /**
     * Records that a force of the whole mapping returned successfully.
     */
    void markClean() {
        dirty = false;
        dirtyFrom = Integer.MAX_VALUE;
        dirtyTo = 0;
    }

    /**
     * The part of the mapping written since the last force, widened to whole pages, so a force msyncs what the batch
     * wrote rather than the whole segment (measured: about the same speed on ext4 here; it keeps msync's range
     * bounded by the batch on filesystems that walk the range).
     *
     * @return the page-aligned offset of the range to force.
     */
    int dirtyFrom() {
        return dirtyFrom >= dirtyTo ? 0 : dirtyFrom & -MIN_PAGE_LENGTH;
    }

    /**
     * The length of the range to force, from {@link #dirtyFrom()}: the whole mapping when the range is unknown.
     *
     * @return bytes.
     */
    int dirtyLength() {
        if (dirtyFrom >= dirtyTo) {
            return capacity;
        }
        final long to = Math.min(capacity, ((long)dirtyTo + MIN_PAGE_LENGTH - 1) & -(long)MIN_PAGE_LENGTH);
        return (int)(to - dirtyFrom());
    }

    private void touch(final int from, final int to) {
        dirty = true;
        dirtyFrom = Math.min(dirtyFrom, from);
        dirtyTo = Math.max(dirtyTo, to);
    }

    int frameLength(final int position) {
        return buffer.getInt(position + FRAME_LENGTH_OFFSET, BYTE_ORDER);
    }

    int type(final int position) {
        return buffer.getInt(position + TYPE_OFFSET, BYTE_ORDER);
    }

    long term(final int position) {
        return buffer.getLong(position + TERM_OFFSET, BYTE_ORDER);
    }

    long index(final int position) {
        return buffer.getLong(position + INDEX_OFFSET, BYTE_ORDER);
    }

    boolean hasRoomFor(final int alignedLength) {
        return !sealed && capacity - tail >= alignedLength;
    }

    /**
     * Writes the header of the record claimed at {@link #tail}, then its CRC, and moves the tail past it.
     */
    void commit(final int frameLength, final int type, final long term, final long index, final CRC32C crc) {
        final int position = tail;
        writeHeader(position, frameLength, type, term, index);
        buffer.putInt(position + CRC_OFFSET, crc(position, frameLength, crc), BYTE_ORDER);
        tail = position + alignedLength(frameLength);
        writtenLimit = Math.max(writtenLimit, tail);
        lastIndex = index;
        touch(position, tail);
    }

    /**
     * Marks the segment sealed; when a header fits, writes a padding record over the rest of it.
     */
    void seal(final long nextIndex, final CRC32C crc) {
        final int remaining = capacity - tail;
        if (!sealed && remaining >= HEADER_LENGTH) {
            writeHeader(tail, remaining, PADDING_TYPE, 0, nextIndex);
            buffer.putInt(tail + CRC_OFFSET, crc(tail, HEADER_LENGTH, crc), BYTE_ORDER);
            writtenLimit = capacity;
            touch(tail, tail + HEADER_LENGTH);
        }
        sealed = true;
    }

    /**
     * Finds the intact records from the start of the segment and sets tail, lastIndex and sealed from them.
     *
     * @return {@link #OPEN_END} or {@link #SEALED_END}.
     */
    int recover(final CRC32C crc) {
        int position = 0;
        long expectedIndex = baseIndex;
        int outcome = OPEN_END;
        while (true) {
            if (capacity - position < HEADER_LENGTH) {
                zeroFrom(position);
                outcome = SEALED_END;
                break;
            }
            final int frameLength = frameLength(position);
            if (frameLength < HEADER_LENGTH || frameLength > capacity - position
                || index(position) != expectedIndex) {
                break;
            }
            final int type = type(position);
            if (type == PADDING_TYPE) {
                if (frameLength == capacity - position && storedCrc(position) == crc(position, HEADER_LENGTH, crc)) {
                    outcome = SEALED_END;
                }
                break;
            }
            if (type < 0 || storedCrc(position) != crc(position, frameLength, crc)) {
                break;
            }
            position += alignedLength(frameLength);
            expectedIndex++;
        }
        tail = position;
        lastIndex = expectedIndex - 1;
        sealed = outcome == SEALED_END;
        writtenLimit = sealed ? capacity : tail;
        if (writtenLimit > 0) {
            touch(0, capacity);
        }
        resetHint();
        return outcome;
    }

    /**
     * Marks every page that holds a recovered record (and the padding header of a sealed segment) dirty by an
     * atomic add of zero through the mapping: a real store the JIT cannot drop, which changes no byte.
     * <p>
     * Why: when an msync fails with EIO, Linux marks the pages clean yet keeps their contents in the page cache.
     * A reopen then reads those bytes back, their CRCs pass, and a force of clean pages does no I/O and succeeds,
     * so records that never reached storage would be reported durable (fsyncgate). Dirtying the pages makes the
     * first force after open write them for real, or fail.
     *
     * @return the number of pages touched.
     */
    int dirtyRecordPages() {
        final int limit = sealed && capacity - tail >= HEADER_LENGTH ? tail + HEADER_LENGTH : tail;
        int pages = 0;
        for (int position = 0; position < limit; position += MIN_PAGE_LENGTH) {
            buffer.getAndAddInt(position, 0);
            pages++;
        }
        if (pages > 0) {
            touch(0, capacity);
        }
        return pages;
    }

    /**
     * Whether every byte from {@code from} to the end is zero.
     */
    boolean isZeroFrom(final int from) {
        int position = from;
        while (position < capacity && (position & (Long.BYTES - 1)) != 0) {
            if (buffer.getByte(position++) != 0) {
                return false;
            }
        }
        for (; position <= capacity - Long.BYTES; position += Long.BYTES) {
            if (buffer.getLong(position) != 0) {
                return false;
            }
        }
        for (; position < capacity; position++) {
            if (buffer.getByte(position) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Zeroes every non-zero 8-byte word from {@code from} to the end, leaving zero pages clean.
     *
     * @return true when any byte changed.
     */
    boolean zeroFrom(final int from) {
        boolean changed = false;
        for (int position = from; position <= capacity - Long.BYTES; position += Long.BYTES) {
            if (buffer.getLong(position) != 0) {
                buffer.putLong(position, 0);
                changed = true;
            }
        }
        if (changed) {
            touch(from, capacity);
        }
        return changed;
    }

    /**
     * Drops the records from {@code position} on, zeroing their bytes and any padding; the segment is unsealed.
     */
    void truncateTo(final int position, final long newLastIndex) {
        buffer.setMemory(position, writtenLimit - position, (byte)0);
        touch(position, writtenLimit);
        tail = position;
        writtenLimit = position;
        lastIndex = newLastIndex;
        sealed = false;
        resetHint();
    }

    /**
     * Position of the record with {@code index}, or of the tail when {@code index == lastIndex + 1}; starts the
     * walk over frame lengths from the last position found when that lies before {@code index}.
     */
    int positionOf(final long index) {
        long current = baseIndex;
        int position = 0;
        if (hintIndex <= index) {
            current = hintIndex;
            position = hintPosition;
        }
        while (current < index) {
            position += alignedLength(frameLength(position));
            current++;
        }
        hint(index, position);
        return position;
    }

    void hint(final long index, final int position) {
        hintIndex = index;
        hintPosition = position;
    }

    /**
     * Points the buffer at zero bytes, then unmaps the file. Idempotent.
     */
    @Override
    public void close() {
        buffer.wrap(NO_BYTES);
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    private void resetHint() {
        hint(baseIndex, 0);
    }

    private void writeHeader(
        final int position, final int frameLength, final int type, final long term, final long index) {
        buffer.putInt(position + FRAME_LENGTH_OFFSET, frameLength, BYTE_ORDER);
        buffer.putInt(position + TYPE_OFFSET, type, BYTE_ORDER);
        buffer.putInt(position + RESERVED_OFFSET, 0, BYTE_ORDER);
        buffer.putLong(position + TERM_OFFSET, term, BYTE_ORDER);
        buffer.putLong(position + INDEX_OFFSET, index, BYTE_ORDER);
    }

    private int storedCrc(final int position) {
        return buffer.getInt(position + CRC_OFFSET, BYTE_ORDER);
    }

    private int crc(final int position, final int coveredLength, final CRC32C crc) {
        crcView.limit(position + coveredLength).position(position + FRAME_LENGTH_OFFSET);
        crc.reset();
        crc.update(crcView);
        return (int)crc.getValue();
    }
}
