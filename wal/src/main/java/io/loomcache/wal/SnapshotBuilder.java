package io.loomcache.wal;

import static io.loomcache.wal.SnapshotDescriptor.HEADER_LENGTH;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A snapshot written a piece at a time by the log's owner and made durable by a thread of its own, behind
 * {@link WriteAheadLog#beginSnapshot}, {@link WriteAheadLog#sealSnapshot} and {@link WriteAheadLog#pollSnapshot}.
 * The owner writes the body under the temporary name (page cache only), then seals it: body CRC and header. A sync
 * thread started by the seal forces the file, renames it to its final name, forces the directory through a channel
 * of its own, deletes the snapshots beyond the retention count and forces the directory again; it publishes the
 * outcome through one volatile field that the owner polls, so the owner never waits for a disk and takes no lock.
 * Abandoning joins a running sync thread (at most one fsync and a rename) and deletes the temporary file.
 */
final class SnapshotBuilder {
    private static final int PENDING = 0;
    private static final int DONE = 1;
    private static final int FAILED = 2;

    private final Path directory;
    private final Syncer syncer;
    private final SnapshotStore store;
    private final SnapshotOutput output = new SnapshotOutput();
    private int state = WriteAheadLog.SNAPSHOT_IDLE;
    private FileChannel channel;
    private Path temporary;
    private Path file;
    private long lastIncludedIndex;
    private long lastIncludedTerm;
    private Thread syncThread;
    private volatile int outcome;
    private IOException error;
    private boolean directoryFailed;

    SnapshotBuilder(final Path directory, final Syncer syncer, final SnapshotStore store) {
        this.directory = directory;
        this.syncer = syncer;
        this.store = store;
    }

    int state() {
        return state;
    }

    SnapshotOutput begin(final long lastIncludedIndex, final long lastIncludedTerm) throws IOException {
        if (state != WriteAheadLog.SNAPSHOT_IDLE) {
            throw new IllegalStateException("a snapshot is already in progress");
        }
        if (lastIncludedIndex < 0 || lastIncludedTerm < 0) {
            throw new IllegalArgumentException(
                "negative index or term: " + lastIncludedIndex + ", " + lastIncludedTerm);
        }
        this.lastIncludedIndex = lastIncludedIndex;
        this.lastIncludedTerm = lastIncludedTerm;
        file = SnapshotStore.path(directory, lastIncludedIndex);
        temporary = store.temporaryPath(lastIncludedIndex);
        channel = SnapshotStore.openTemporary(temporary);
        output.start(channel, HEADER_LENGTH);
        error = null;
        directoryFailed = false;
        state = WriteAheadLog.SNAPSHOT_BUILDING;
        return output;
    }

    void seal() throws IOException {
        if (state != WriteAheadLog.SNAPSHOT_BUILDING) {
            throw new IllegalStateException("no snapshot is being built");
        }
        try {
            final long bodyLength = output.bodyLength();
            store.writeHeader(channel, lastIncludedIndex, lastIncludedTerm, bodyLength, output.finish());
        } catch (final IOException | RuntimeException ex) {
            abandon();
            throw ex;
        }
        outcome = PENDING;
        state = WriteAheadLog.SNAPSHOT_SYNCING;
        syncThread = Thread.ofPlatform().daemon().name("loomcache-snapshot-sync").start(this::sync);
    }

    /**
     * The owner's poll: one volatile read while the sync thread runs.
     *
     * @return the state, PUBLISHED or FAILED once (then IDLE).
     */
    int poll() {
        if (state != WriteAheadLog.SNAPSHOT_SYNCING) {
            return state;
        }
        final int result = outcome;
        if (result == PENDING) {
            return state;
        }
        joinSyncThread();
        state = WriteAheadLog.SNAPSHOT_IDLE;
        return result == DONE ? WriteAheadLog.SNAPSHOT_PUBLISHED : WriteAheadLog.SNAPSHOT_FAILED;
    }

    IOException error() {
        return error;
    }

    boolean directoryFailed() {
        return directoryFailed;
    }

    void abandon() {
        if (state == WriteAheadLog.SNAPSHOT_IDLE) {
            return;
        }
        if (state == WriteAheadLog.SNAPSHOT_SYNCING) {
            joinSyncThread();
        }
        output.abandon();
        closeChannel();
        try {
            Files.deleteIfExists(temporary);
        } catch (final IOException ex) {
            error = ex;
        }
        state = WriteAheadLog.SNAPSHOT_IDLE;
    }

    private void sync() {
        int result = FAILED;
        try {
            syncer.forceChannel(channel, temporary);
            closeChannel();
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directoryChannel = FileChannel.open(directory, StandardOpenOption.READ)) {
                forceDirectory(directoryChannel);
                if (store.deleteBeyondRetention()) {
                    forceDirectory(directoryChannel);
                }
            }
            result = DONE;
        } catch (final IOException ex) {
            error = ex;
        } catch (final UncheckedIOException ex) {
            error = ex.getCause();
        } catch (final RuntimeException ex) {
            error = new IOException("snapshot sync failed: " + ex, ex);
        } finally {
            if (result != DONE) {
                closeChannel();
                try {
                    Files.deleteIfExists(temporary);
                } catch (final IOException ex) {
                    error.addSuppressed(ex);
                }
            }
            outcome = result;
        }
    }

    private void forceDirectory(final FileChannel directoryChannel) throws IOException {
        try {
            syncer.forceChannel(directoryChannel, directory);
        } catch (final IOException ex) {
            directoryFailed = true;
            throw ex;
        }
    }

    private void joinSyncThread() {
        boolean interrupted = false;
        while (true) {
            try {
                syncThread.join();
                break;
            } catch (final InterruptedException ex) {
                interrupted = true;
            }
        }
        syncThread = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeChannel() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (final IOException ex) {
            error = error == null ? ex : error;
        }
        channel = null;
    }
}
