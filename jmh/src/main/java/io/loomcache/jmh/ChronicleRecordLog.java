package io.loomcache.jmh;

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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.SyncMode;

/**
 * {@link MappedRecordLog} over Chronicle Bytes: one {@link MappedBytes#singleMappedBytes} mapping of the file,
 * written with its absolute (offset) writes, CRC32C over the store's direct {@link ByteBuffer} view, and
 * {@link MappedBytesStore#syncUpTo(long, SyncMode)} with {@link SyncMode#SYNC} as the force: msync MS_SYNC of the
 * pages from the last synced one to the tail. Chronicle writes in native order, little-endian on x86 as the WAL.
 */
final class ChronicleRecordLog implements MappedRecordLog {
    private final Path file;
    private final int capacity;
    private final CRC32C crc = new CRC32C();
    private MappedBytes bytes;
    private MappedBytesStore store;
    private ByteBuffer crcView;
    private int tail;
    private boolean dirty;

    ChronicleRecordLog(final Path file, final int capacity) throws IOException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("Chronicle writes native order; the WAL layout is little-endian");
        }
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
        bytes.write(position + HEADER_LENGTH, payload, 0, payloadLength);
        bytes.writeInt(position + FRAME_LENGTH_OFFSET, frameLength);
        bytes.writeInt(position + TYPE_OFFSET, type);
        bytes.writeInt(position + RESERVED_OFFSET, 0);
        bytes.writeLong(position + TERM_OFFSET, term);
        bytes.writeLong(position + INDEX_OFFSET, index);
        crcView.limit(position + frameLength).position(position + FRAME_LENGTH_OFFSET);
        crc.reset();
        crc.update(crcView);
        bytes.writeInt(position + CRC_OFFSET, (int)crc.getValue());
        tail = next;
        dirty = true;
        return position;
    }

    @Override
    public void force() {
        if (dirty) {
            store.syncUpTo(tail, SyncMode.SYNC);
            dirty = false;
        }
    }

    @Override
    public void rewind() throws IOException {
        close();
        map();
    }

    @Override
    public void close() {
        if (bytes != null) {
            bytes.releaseLast();
            bytes = null;
            store = null;
            crcView = null;
        }
    }

    private void map() throws IOException {
        bytes = MappedBytes.singleMappedBytes(file.toFile(), capacity);
        store = (MappedBytesStore)bytes.bytesStore();
        crcView = store.toTemporaryDirectByteBuffer();
        tail = 0;
        dirty = false;
    }
}
