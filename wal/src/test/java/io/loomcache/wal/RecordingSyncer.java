package io.loomcache.wal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Test {@link Syncer}: forces through the OS, counts calls, and once armed fails every call with an injected EIO;
 * {@link #failingPath} fails only the calls for that file or directory.
 */
final class RecordingSyncer implements Syncer {
    int mappingForces;
    int channelForces;
    boolean failing;
    Path failingPath;

    @Override
    public void forceMapping(final MemorySegment mapping, final Path file) throws IOException {
        mappingForces++;
        failIfArmed(file);
        Syncer.system().forceMapping(mapping, file);
    }

    @Override
    public void forceChannel(final FileChannel channel, final Path file) throws IOException {
        channelForces++;
        failIfArmed(file);
        Syncer.system().forceChannel(channel, file);
    }

    private void failIfArmed(final Path file) throws IOException {
        if (failing || file.equals(failingPath)) {
            throw new IOException("injected: fsync of " + file + " failed: Input/output error");
        }
    }
}
