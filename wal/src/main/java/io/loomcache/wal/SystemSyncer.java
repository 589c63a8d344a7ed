package io.loomcache.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * {@link Syncer} that forces through the OS: msync for mappings, fsync for channels. Stateless.
 */
final class SystemSyncer implements Syncer {
    static final SystemSyncer INSTANCE = new SystemSyncer();

    private SystemSyncer() {
    }

    @Override
    public void forceMapping(final MemorySegment mapping, final Path file) throws IOException {
        try {
            mapping.force();
        } catch (final UncheckedIOException ex) {
            throw new IOException("msync of " + file + " failed: " + ex.getCause().getMessage(), ex.getCause());
        }
    }

    @Override
    public void forceRange(
        final MappedByteBuffer view, final int offset, final int length, final MemorySegment mapping, final Path file)
        throws IOException {
        try {
            view.force(offset, length);
        } catch (final UncheckedIOException ex) {
            throw new IOException("msync of " + file + " failed: " + ex.getCause().getMessage(), ex.getCause());
        }
    }

    @Override
    public void forceChannel(final FileChannel channel, final Path file) throws IOException {
        try {
            channel.force(true);
        } catch (final IOException ex) {
            throw new IOException("fsync of " + file + " failed: " + ex.getMessage(), ex);
        }
    }
}
