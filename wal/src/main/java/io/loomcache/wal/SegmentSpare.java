package io.loomcache.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Prepares the next segment file ahead of the roll on a thread of its own: reserve its blocks with fallocate, write
 * zeros over them {@link #STEP_LENGTH} bytes at a time, forcing every {@link #FORCE_LENGTH}, then force it. A roll
 * then only renames and maps it, instead of writing a whole segment of zeros on the appending thread. The owner only
 * starts the preparation and reads one volatile state: none of the disk work runs on the owner's thread, whose duty
 * cycle may be an event loop's (a force of 64 MiB of zeros there held every connection of the loop for ~30 ms). The
 * file's name ends in {@link SegmentFiles#TEMPORARY_SUFFIX}, so a crash leaves nothing recovery would read (open
 * deletes it). Failures only drop the spare (the roll then creates the segment itself and reports any error). Owner
 * thread only.
 */
final class SegmentSpare implements AutoCloseable {
    /** Name of the spare file in the log directory. */
    static final String FILE_NAME = "next-segment" + SegmentFiles.TEMPORARY_SUFFIX;
    /** Bytes of zeros written per write call; the preparation checks for cancellation between them. */
    static final int STEP_LENGTH = 256 * 1024;
    /**
     * Bytes of zeros forced at a time. One force of a whole 64 MiB segment kept the disk busy ~35 ms, and the
     * WAL's own force (an executor waiting with its batch) queued behind it; forcing 4 MiB at a time lets it in
     * between.
     */
    static final int FORCE_LENGTH = 4 * 1024 * 1024;

    private static final int IDLE = 0;
    private static final int PREPARING = 1;
    private static final int READY = 2;
    private static final int FAILED = 3;

    private final Path file;
    private final int length;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(STEP_LENGTH);
    private volatile int state = IDLE;
    private volatile boolean cancelled;
    private volatile IOException lastError;
    private Thread preparer;

    SegmentSpare(final Path directory, final int length) {
        this.file = directory.resolve(FILE_NAME);
        this.length = length;
    }

    /**
     * Starts preparing a spare unless one is being prepared or ready, or an earlier attempt failed.
     *
     * @return 1 when a preparation started, else 0.
     */
    int doWork() {
        if (state != IDLE || lastError != null) {
            return 0;
        }
        cancelled = false;
        state = PREPARING;
        preparer = Thread.ofPlatform().daemon().name("loomcache-wal-spare").start(this::prepare);
        return 1;
    }

    private void prepare() {
        try {
            Files.deleteIfExists(file);
            // reserved or not, the loop writes every byte (cancellable, forced every FORCE_LENGTH)
            Preallocator.reserveOnly(file, length);
            long filled = 0;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                while (filled < length) {
                    if (cancelled) {
                        state = FAILED;
                        return;
                    }
                    zeros.clear().limit((int)Math.min(STEP_LENGTH, length - filled));
                    while (zeros.hasRemaining()) {
                        filled += channel.write(zeros, filled);
                    }
                    if (filled % FORCE_LENGTH == 0) {
                        channel.force(false);
                    }
                }
                channel.force(true);
            }
            state = READY;
        } catch (final IOException ex) {
            lastError = ex;
            state = FAILED;
        } catch (final RuntimeException ex) {
            lastError = new IOException("preparing " + file + " failed: " + ex, ex);
            state = FAILED;
        }
    }

    /**
     * Hands over the prepared file, waiting for a preparation under way to end (never more work than the caller
     * writing a segment itself); the next {@link #doWork()} starts another.
     *
     * @return the path of a fully written and forced spare of the segment length, or null (none was started, or it
     *     failed).
     */
    Path take() {
        if (state == PREPARING) {
            join();
        }
        if (state != READY) {
            return null;
        }
        join();
        state = IDLE;
        return file;
    }

    /**
     * Deletes a spare, ready or partly prepared or failed (e.g. to give its disk space back), after stopping its
     * preparation (which ends after at most one more {@link #STEP_LENGTH} write or a {@link #FORCE_LENGTH} force).
     * Forgets an earlier failure, so the next {@link #doWork()} tries again: a roll discards at most once per
     * segment, so a disk that keeps failing costs one attempt per segment, and a transient one (a full disk that
     * was cleared) does not switch the spare off for good.
     *
     * @return the error of the preparation that failed since the last discard, if any, for the caller to report.
     */
    IOException discard() {
        stop();
        final IOException error = lastError;
        lastError = null;
        state = IDLE;
        try {
            Files.deleteIfExists(file);
        } catch (final IOException ex) {
            return error != null ? error : ex;
        }
        return error;
    }

    /**
     * Tells whether a spare is ready to be taken.
     *
     * @return true when ready.
     */
    boolean isReady() {
        return state == READY;
    }

    /**
     * Stops a preparation in progress and waits for its thread; a partly written spare is left as a temporary file
     * that the next open deletes.
     */
    @Override
    public void close() {
        stop();
    }

    private void stop() {
        cancelled = true;
        join();
        if (lastError == null) {
            state = IDLE;
        }
    }

    private void join() {
        final Thread thread = preparer;
        if (thread == null) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (final InterruptedException ex) {
                interrupted = true;
            }
        }
        preparer = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
