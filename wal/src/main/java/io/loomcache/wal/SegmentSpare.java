package io.loomcache.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Prepares the next segment file ahead of the roll, a bounded step per duty cycle: reserve its blocks with
 * fallocate, then write zeros over them {@link #STEP_LENGTH} bytes at a time, then force it. A roll then only renames
 * and maps it, instead of writing a whole segment of zeros on the appending thread. The file's name ends in
 * {@link SegmentFiles#TEMPORARY_SUFFIX}, so a crash leaves nothing recovery would read (open deletes it).
 * Failures only drop the spare (the roll then creates the segment itself and reports any error). Owner thread only.
 */
final class SegmentSpare implements AutoCloseable {
    /** Name of the spare file in the log directory. */
    static final String FILE_NAME = "next-segment" + SegmentFiles.TEMPORARY_SUFFIX;
    /** Bytes of zeros written per {@link #doWork()} step. */
    static final int STEP_LENGTH = 256 * 1024;

    private final Path file;
    private final int length;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(STEP_LENGTH);
    private FileChannel channel;
    private long filled;
    private boolean ready;
    private IOException lastError;

    SegmentSpare(final Path directory, final int length) {
        this.file = directory.resolve(FILE_NAME);
        this.length = length;
    }

    /**
     * One bounded step of preparation.
     *
     * @return 1 when something was done, else 0 (ready, or given up after an error).
     */
    int doWork() {
        if (ready || lastError != null) {
            return 0;
        }
        try {
            if (channel == null) {
                Files.deleteIfExists(file);
                filled = Preallocator.reserve(file, length) ? 0 : length;
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
            }
            if (filled < length) {
                zeros.clear().limit((int)Math.min(STEP_LENGTH, length - filled));
                while (zeros.hasRemaining()) {
                    filled += channel.write(zeros, filled);
                }
            } else {
                channel.force(true);
                channel.close();
                channel = null;
                ready = true;
            }
        } catch (final IOException ex) {
            lastError = ex;
            discard();
        }
        return 1;
    }

    /**
     * Hands over the prepared file, if there is one; the next {@link #doWork()} starts another.
     *
     * @return the path of a fully written and forced spare of the segment length, or null.
     */
    Path take() {
        if (!ready) {
            return null;
        }
        ready = false;
        filled = 0;
        return file;
    }

    /**
     * Deletes a partly prepared spare (e.g. to give its disk space back) and starts over at the next step.
     */
    void discard() {
        closeChannel();
        ready = false;
        filled = 0;
        try {
            Files.deleteIfExists(file);
        } catch (final IOException ex) {
            lastError = ex;
        }
    }

    /**
     * Tells whether a spare is ready to be taken.
     *
     * @return true when ready.
     */
    boolean isReady() {
        return ready;
    }

    @Override
    public void close() {
        closeChannel();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (final IOException ignored) {
                // the spare is discarded or left as a temporary file that the next open deletes
            }
            channel = null;
        }
    }
}
