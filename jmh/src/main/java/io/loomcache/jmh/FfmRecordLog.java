package io.loomcache.jmh;

import static io.loomcache.wal.RecordDescriptor.BYTE_ORDER;
import static io.loomcache.wal.RecordDescriptor.CRC_OFFSET;
import static io.loomcache.wal.RecordDescriptor.FRAME_LENGTH_OFFSET;
import static io.loomcache.wal.RecordDescriptor.HEADER_LENGTH;
import static io.loomcache.wal.RecordDescriptor.INDEX_OFFSET;
import static io.loomcache.wal.RecordDescriptor.RESERVED_OFFSET;
import static io.loomcache.wal.RecordDescriptor.TERM_OFFSET;
import static io.loomcache.wal.RecordDescriptor.TYPE_OFFSET;
import static io.loomcache.wal.RecordDescriptor.alignedLength;
import static io.loomcache.wal.RecordDescriptor.frameLength;

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
 * {@link MappedRecordLog} over the WAL's mapping today (wal's {@code Segment}): {@link FileChannel#map} into a shared
 * {@link Arena}, written through an {@link UnsafeBuffer}, CRC32C over a {@link ByteBuffer} view of the mapping and
 * a ranged {@link MappedByteBuffer#force(int, int)} of the dirty pages.
 */
final class FfmRecordLog implements MappedRecordLog {
    private static final int PAGE_LENGTH = 4096;

    private final Path file;
    private final int capacity;
    private final CRC32C crc = new CRC32C();
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private Arena arena;
    private MappedByteBuffer view;
    private int tail;
    private int dirtyFrom = Integer.MAX_VALUE;
    private int dirtyTo;

    FfmRecordLog(final Path file, final int capacity) throws IOException {
        this.file = file;
        this.capacity = capacity;
        map();
    }

    @Override
    public int append(final int type, final long term, final long index, final byte[] payload,
        final int payloadLength) {
        final int frameLength = frameLength(payloadLength);
        final int position = tail;
        final int next = position + alignedLength(frameLength);
        if (next > capacity) {
            return FULL;
        }
        buffer.putBytes(position + HEADER_LENGTH, payload, 0, payloadLength);
        buffer.putInt(position + FRAME_LENGTH_OFFSET, frameLength, BYTE_ORDER);
        buffer.putInt(position + TYPE_OFFSET, type, BYTE_ORDER);
        buffer.putInt(position + RESERVED_OFFSET, 0, BYTE_ORDER);
        buffer.putLong(position + TERM_OFFSET, term, BYTE_ORDER);
        buffer.putLong(position + INDEX_OFFSET, index, BYTE_ORDER);
        view.limit(position + frameLength).position(position + FRAME_LENGTH_OFFSET);
        crc.reset();
        crc.update(view);
        buffer.putInt(position + CRC_OFFSET, (int)crc.getValue(), BYTE_ORDER);
        tail = next;
        dirtyFrom = Math.min(dirtyFrom, position);
        dirtyTo = next;
        return position;
    }

    @Override
    public void force() {
        if (dirtyFrom < dirtyTo) {
            final int from = dirtyFrom & -PAGE_LENGTH;
            final int to = Math.min(capacity, (dirtyTo + PAGE_LENGTH - 1) & -PAGE_LENGTH);
            view.clear();
            view.force(from, to - from);
            dirtyFrom = Integer.MAX_VALUE;
            dirtyTo = 0;
        }
    }

    @Override
    public void rewind() throws IOException {
        close();
        map();
    }

    @Override
    public void close() {
        buffer.wrap(0, 0);
        if (arena != null && arena.scope().isAlive()) {
            arena.close();
        }
    }

    private void map() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            arena = Arena.ofShared();
            final MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity, arena);
            buffer.wrap(mapping.address(), capacity);
            view = (MappedByteBuffer)mapping.asByteBuffer();
        }
        tail = 0;
        dirtyFrom = Integer.MAX_VALUE;
        dirtyTo = 0;
    }
}
