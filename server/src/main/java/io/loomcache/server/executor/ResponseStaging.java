package io.loomcache.server.executor;

import static io.loomcache.server.executor.StagedResponseDescriptor.ALIGNMENT;
import static io.loomcache.server.executor.StagedResponseDescriptor.CONNECTION_ID_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.FAN_OUT_SLOT_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.FLAGS_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.FRAME_LENGTH_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.FRAME_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.OPCODE_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.PARTIAL_RESULT_OFFSET;
import static io.loomcache.server.executor.StagedResponseDescriptor.RECEIVED_NS_OFFSET;

import java.nio.ByteBuffer;

import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An executor's area of responses produced in one duty cycle ({@link StagedResponseDescriptor} entries): encode
 * a response in place at {@link #frameOffset()}, then {@link #commit}. The executor releases the whole area after
 * the cycle's WAL force. Owned by the executor thread; allocation-free after construction.
 */
public final class ResponseStaging {
    private final UnsafeBuffer buffer;
    private int limit;
    private int count;

    /**
     * Creates an area.
     *
     * @param capacity bytes, enough for at least one largest response plus its entry header.
     */
    public ResponseStaging(final int capacity) {
        buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BitUtil.align(capacity, ALIGNMENT)));
    }

    /**
     * The buffer entries live in.
     *
     * @return the buffer.
     */
    public UnsafeBuffer buffer() {
        return buffer;
    }

    /**
     * Where the next entry's frame goes in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int frameOffset() {
        return limit + FRAME_OFFSET;
    }

    /**
     * The bytes left for frames after the next entry header.
     *
     * @return bytes.
     */
    public int remainingFrameCapacity() {
        return buffer.capacity() - limit - FRAME_OFFSET;
    }

    /**
     * Completes the entry whose frame was encoded at {@link #frameOffset()}.
     *
     * @param connectionId target connection.
     * @param receivedNs when the request was read.
     * @param opcode request opcode.
     * @param flags {@link StagedResponseDescriptor} entry flags.
     * @param fanOutSlot fan-out slot, or -1 for a plain response.
     * @param partialResult fan-out partial result.
     * @param frameLength bytes encoded at the frame offset (a fan-out error code takes 4).
     */
    public void commit(
        final long connectionId,
        final long receivedNs,
        final int opcode,
        final int flags,
        final int fanOutSlot,
        final long partialResult,
        final int frameLength) {
        buffer.putLong(limit + CONNECTION_ID_OFFSET, connectionId);
        buffer.putLong(limit + RECEIVED_NS_OFFSET, receivedNs);
        buffer.putLong(limit + PARTIAL_RESULT_OFFSET, partialResult);
        buffer.putInt(limit + FAN_OUT_SLOT_OFFSET, fanOutSlot);
        buffer.putInt(limit + OPCODE_OFFSET, opcode);
        buffer.putInt(limit + FLAGS_OFFSET, flags);
        buffer.putInt(limit + FRAME_LENGTH_OFFSET, frameLength);
        limit += BitUtil.align(FRAME_OFFSET + frameLength, ALIGNMENT);
        count++;
    }

    /**
     * The entries committed since the last {@link #clear()}.
     *
     * @return the count.
     */
    public int count() {
        return count;
    }

    /**
     * The end of the last entry: iterate from 0 with {@link #nextEntry(int)} while below it.
     *
     * @return the offset.
     */
    public int limit() {
        return limit;
    }

    /**
     * The offset of the entry after the one at {@code entryOffset}.
     *
     * @param entryOffset an entry's offset.
     * @return the next entry's offset.
     */
    public int nextEntry(final int entryOffset) {
        return entryOffset + BitUtil.align(FRAME_OFFSET + buffer.getInt(entryOffset + FRAME_LENGTH_OFFSET), ALIGNMENT);
    }

    /**
     * Forgets every entry.
     */
    public void clear() {
        limit = 0;
        count = 0;
    }
}
