package io.loomcache.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The record-level work of one WAL segment over some memory mapping, for {@link MappedLogBenchmark}: claim a
 * record at the tail, copy the payload in, write the header of {@link io.loomcache.wal.RecordDescriptor} and its
 * CRC32C, and force the dirty range. Owned by one thread; no allocation after construction.
 */
interface MappedRecordLog extends AutoCloseable {
    /** Returned by {@link #append} when the mapping has no room for the record. */
    int FULL = -1;

    /**
     * Appends one record at the tail.
     *
     * @param type          record type, not negative.
     * @param term          caller's term.
     * @param index         log index.
     * @param payload       source of the payload bytes.
     * @param payloadLength bytes of {@code payload} to copy.
     * @return the record's position in the mapping, or {@link #FULL}.
     */
    int append(int type, long term, long index, byte[] payload, int payloadLength);

    /**
     * Forces the pages written since the last force to storage (msync MS_SYNC of that range) and waits.
     *
     * @throws IOException when the OS reports a failure.
     */
    void force() throws IOException;

    /**
     * Unmaps, maps the same file again and starts over at position 0 (a segment roll onto a preallocated file).
     *
     * @throws IOException if the file cannot be mapped.
     */
    void rewind() throws IOException;

    /** Unmaps the file. */
    @Override
    void close();

    /**
     * Creates {@code file} with {@code length} zero bytes written and fsynced, as the WAL's preallocator does, so
     * forces never convert unwritten extents.
     *
     * @param file   the file to create.
     * @param length bytes.
     * @throws IOException if it cannot be written.
     */
    static void preallocate(final Path file, final int length) throws IOException {
        try (FileChannel channel = FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final ByteBuffer zeros = ByteBuffer.allocateDirect(1024 * 1024);
            for (long position = 0; position < length; position += zeros.capacity()) {
                zeros.clear().limit((int)Math.min(zeros.capacity(), length - position));
                channel.write(zeros, position);
            }
            channel.force(true);
        }
    }
}
