package io.loomcache.client;

import java.nio.ByteBuffer;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A connection's two direct send buffers: callers append frames to the active one while the writer writes the
 * other; {@link #swap()} hands everything appended so far to the writer at once, so one write call carries every
 * frame queued during the previous write. Not thread-safe: the owning {@link Connection} guards every method but
 * {@link #flushing()} with its lock; the writer alone touches the flushing buffer between swaps.
 */
final class SendBuffers {
    private final int capacity;
    private ByteBuffer activeBytes;
    private UnsafeBuffer active;
    private int activeLength;
    private ByteBuffer flushingBytes;
    private UnsafeBuffer flushing;
    private long batch;

    /**
     * Allocates both buffers.
     *
     * @param capacity bytes in each buffer, at least the largest frame.
     */
    SendBuffers(final int capacity) {
        this.capacity = capacity;
        this.activeBytes = ByteBuffer.allocateDirect(capacity);
        this.active = new UnsafeBuffer(activeBytes);
        this.flushingBytes = ByteBuffer.allocateDirect(capacity);
        this.flushing = new UnsafeBuffer(flushingBytes);
    }

    /**
     * Tells whether a frame fits in the active buffer now.
     *
     * @param frameLength the frame length in bytes.
     * @return true when it fits.
     */
    boolean hasRoom(final int frameLength) {
        return capacity - activeLength >= frameLength;
    }

    /**
     * The buffer callers append to.
     *
     * @return the active buffer.
     */
    MutableDirectBuffer active() {
        return active;
    }

    /**
     * The bytes appended since the last swap.
     *
     * @return the offset where the next frame goes.
     */
    int activeLength() {
        return activeLength;
    }

    /**
     * Records a frame appended at {@link #activeLength()}.
     *
     * @param frameLength its length in bytes.
     */
    void appended(final int frameLength) {
        activeLength += frameLength;
    }

    /**
     * Hands the appended bytes to the writer and gives callers the other, now empty, buffer.
     *
     * @return the number of bytes to write, now in {@link #flushing()}.
     */
    int swap() {
        batch++;
        final ByteBuffer bytes = activeBytes;
        final UnsafeBuffer buffer = active;
        final int length = activeLength;
        activeBytes = flushingBytes;
        active = flushing;
        activeLength = 0;
        flushingBytes = bytes;
        flushing = buffer;
        flushingBytes.clear().limit(length);
        return length;
    }

    /**
     * The number of the batch frames are appended to now: it grows by one at every {@link #swap()}, so a frame
     * appended while it was n has not been handed to the writer while it is still n.
     *
     * @return the swaps so far.
     */
    long batch() {
        return batch;
    }

    /**
     * The bytes the last swap handed to the writer, positioned for a channel write.
     *
     * @return the flushing buffer, limited to the swapped length.
     */
    ByteBuffer flushing() {
        return flushingBytes;
    }
}
