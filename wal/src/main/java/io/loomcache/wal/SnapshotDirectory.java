package io.loomcache.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Snapshot files in a directory of their own, without a log: the same atomic files as
 * {@link WriteAheadLog#writeSnapshot} writes (temporary name, body, header with CRCs, fsync, rename, directory fsync)
 * for an owner whose entries live elsewhere, e.g. one Raft group whose log shares a WAL with other groups.
 * <p>
 * Failures: a failed directory fsync fails the directory for good (Linux reports a writeback error once per open
 * file, so a retry could succeed over lost data): later writes throw until it is reopened. Owned by one thread.
 */
public final class SnapshotDirectory implements AutoCloseable {
    private final Path directory;
    private final Syncer syncer;
    private final FileChannel directoryChannel;
    private final SnapshotStore store;
    private IOException failure;

    private SnapshotDirectory(final Path directory, final Syncer syncer, final FileChannel directoryChannel,
        final int snapshotsToRetain) {
        this.directory = directory;
        this.syncer = syncer;
        this.directoryChannel = directoryChannel;
        this.store = new SnapshotStore(directory, syncer, snapshotsToRetain);
    }

    /**
     * Opens the directory, creating it when missing, and deletes temporary files a crash left behind.
     *
     * @param directory where the snapshot files live.
     * @param syncer forces the files and the directory.
     * @param snapshotsToRetain how many of the newest snapshots to keep, at least 1.
     * @return the open directory.
     * @throws IOException when the directory cannot be created, listed or opened.
     */
    public static SnapshotDirectory open(final Path directory, final Syncer syncer, final int snapshotsToRetain)
        throws IOException {
        if (snapshotsToRetain < 1) {
            throw new IllegalArgumentException("snapshotsToRetain must be positive: " + snapshotsToRetain);
        }
        Files.createDirectories(directory);
        final boolean dirty = SegmentFiles.deleteTemporaryFiles(directory);
        final FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ);
        final SnapshotDirectory snapshots = new SnapshotDirectory(directory, syncer, channel, snapshotsToRetain);
        if (dirty) {
            try {
                snapshots.forceDirectory();
            } catch (final IOException ex) {
                snapshots.close();
                throw ex;
            }
        }
        return snapshots;
    }

    /**
     * Writes a snapshot durably under its final name, then deletes the snapshots beyond the retention count.
     *
     * @param lastIncludedIndex the index the snapshot covers, not negative.
     * @param lastIncludedTerm the term of that index, not negative.
     * @param writer writes the body.
     * @throws IOException when writing or forcing fails (no partial file is left), or the directory has failed.
     */
    public void write(final long lastIncludedIndex, final long lastIncludedTerm, final SnapshotWriter writer)
        throws IOException {
        if (failure != null) {
            throw new IOException("snapshot directory " + directory + " failed earlier", failure);
        }
        store.write(lastIncludedIndex, lastIncludedTerm, writer);
        forceDirectory();
        if (store.deleteBeyondRetention()) {
            forceDirectory();
        }
    }

    /**
     * @return the newest valid snapshot (the caller closes it), or null when there is none.
     * @throws IOException when the directory cannot be listed or a file cannot be read.
     */
    public Snapshot loadLatest() throws IOException {
        return store.loadLatest();
    }

    /** @return whether a directory fsync failed; writes are refused until reopened. */
    public boolean isFailed() {
        return failure != null;
    }

    /** Closes the directory channel; snapshots already loaded stay usable until closed. */
    @Override
    public void close() {
        try {
            directoryChannel.close();
        } catch (final IOException ignored) {
            // nothing was pending on a read-only directory channel
        }
    }

    private void forceDirectory() throws IOException {
        try {
            syncer.forceChannel(directoryChannel, directory);
        } catch (final IOException ex) {
            failure = ex;
            throw ex;
        }
    }
}
