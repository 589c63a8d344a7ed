package io.loomcache.wal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The hook through which the log forces bytes to storage: mapped segments (msync), snapshot files and the log
 * directory (fsync). Tests inject failures here; production uses {@link #system()}.
 * Called on the thread that owns the log, and by the sync thread of an incremental snapshot for that snapshot's file
 * and the directory ({@link #forceChannel}), possibly at the same time. Implementations throw on any failure and
 * never retry silently.
 */
public interface Syncer {
    /**
     * Forces every modified byte of a mapped segment file to storage and waits for it.
     *
     * @param mapping the whole mapped segment.
     * @param file    the segment file, for messages and fault targeting.
     * @throws IOException when the OS reports a failure (for example EIO); the bytes must then be taken as lost.
     */
    void forceMapping(MemorySegment mapping, Path file) throws IOException;

    /**
     * Forces the pages {@code [offset, offset + length)} of a mapped segment file (msync of that range only), which is
     * what a group commit needs: its cost follows what the batch wrote, not how much of the segment is filled.
     * The default forces the whole mapping through {@link #forceMapping}, so a syncer that only overrides that one
     * (e.g. a fault injector) still sees every force.
     *
     * @param view    a buffer view of the whole mapping.
     * @param offset  page-aligned start of the range.
     * @param length  bytes from {@code offset}.
     * @param mapping the whole mapped segment.
     * @param file    the segment file, for messages and fault targeting.
     * @throws IOException when the OS reports a failure; the bytes must then be taken as lost.
     */
    default void forceRange(
        final MappedByteBuffer view, final int offset, final int length, final MemorySegment mapping, final Path file)
        throws IOException {
        forceMapping(mapping, file);
    }

    /**
     * Forces a file's data and metadata (fsync), used for snapshot files and for the log directory.
     *
     * @param channel an open channel on the file or directory.
     * @param file    the file or directory, for messages and fault targeting.
     * @throws IOException when the OS reports a failure.
     */
    void forceChannel(FileChannel channel, Path file) throws IOException;

    /**
     * The syncer that calls the OS: {@link MemorySegment#force()} (msync MS_SYNC) and {@link FileChannel#force}.
     *
     * @return the shared stateless instance.
     */
    static Syncer system() {
        return SystemSyncer.INSTANCE;
    }
}
