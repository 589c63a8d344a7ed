package io.loomcache.wal;

import java.io.IOException;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Child-process main for {@link FsyncFailureUnderStraceTest}: opens the log given as argument, appends one record,
 * forces it, then tries once more, and prints one {@code RESULT key=value ...} line that the parent parses.
 */
public final class FsyncProbe {
    private FsyncProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args the log directory.
     * @throws IOException when the log cannot be opened.
     */
    public static void main(final String[] args) throws IOException {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        payload.setMemory(0, 64, (byte)7);
        try (WriteAheadLog log = WriteAheadLog.open(new WalContext().directory(Path.of(args[0]))
            .segmentLength(64 * 1024).fsyncPolicy(FsyncPolicy.BATCH))) {
            final long appended = log.append(1, 1, payload, 0, 64);
            final long forced = log.force();
            final long durableAfterForce = log.durableIndex();
            final long secondAppend = log.append(1, 1, payload, 0, 64);
            final long secondForce = log.force();
            final String error = log.lastError() == null ? "none" : log.lastError().getMessage().replace(' ', '_');
            System.out.println("RESULT appended=" + appended + " force=" + forced + " durable=" + durableAfterForce
                + " failed=" + log.isFailed() + " secondAppend=" + secondAppend + " secondForce=" + secondForce
                + " finalDurable=" + log.durableIndex() + " error=" + error);
        }
    }
}
