package io.loomcache.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

import org.agrona.DirectBuffer;

/**
 * Sink for a snapshot body: bytes are staged in a direct buffer, added to the body CRC32C and written to the
 * temporary snapshot file. Used by one thread during one {@link SnapshotWriter#write} call, or between
 * {@link WriteAheadLog#beginSnapshot} and {@link WriteAheadLog#sealSnapshot}.
 */
public final class SnapshotOutput {
    private static final int STAGING_LENGTH = 128 * 1024;

    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_LENGTH);
    private final CRC32C crc = new CRC32C();
    private FileChannel channel;
    private long filePosition;
    private long bodyLength;

    SnapshotOutput() {
    }

    void start(final FileChannel channel, final long filePosition) {
        this.channel = channel;
        this.filePosition = filePosition;
        this.bodyLength = 0;
        staging.clear();
        crc.reset();
    }

    /**
     * Appends bytes to the snapshot body.
     *
     * @param source the bytes.
     * @param offset offset of the first byte in {@code source}.
     * @param length number of bytes.
     * @throws IOException when the file cannot be written (for example no space left).
     */
    public void write(final DirectBuffer source, final int offset, final int length) throws IOException {
        if (channel == null) {
            throw new IllegalStateException("snapshot output used outside SnapshotWriter.write");
        }
        int done = 0;
        while (done < length) {
            if (!staging.hasRemaining()) {
                flush();
            }
            final int chunk = Math.min(length - done, staging.remaining());
            source.getBytes(offset + done, staging, chunk);
            done += chunk;
        }
        bodyLength += length;
    }

    /**
     * Number of body bytes written so far.
     *
     * @return body length in bytes.
     */
    public long bodyLength() {
        return bodyLength;
    }

    int finish() throws IOException {
        flush();
        channel = null;
        return (int)crc.getValue();
    }

    void abandon() {
        channel = null;
        staging.clear();
    }

    private void flush() throws IOException {
        staging.flip();
        crc.update(staging);
        staging.position(0);
        while (staging.hasRemaining()) {
            filePosition += channel.write(staging, filePosition);
        }
        staging.clear();
    }
}
