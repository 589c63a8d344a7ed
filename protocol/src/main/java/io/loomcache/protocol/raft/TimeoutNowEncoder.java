package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.TIMEOUT_NOW_BODY_LENGTH;

import io.loomcache.protocol.Opcodes;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of TIMEOUT_NOW (leadership transfer, thesis §3.10), frame header included; layout in
 * {@link RaftMessageDescriptor}. The caller makes sure the buffer has room. Not thread-safe; allocates nothing.
 */
public final class TimeoutNowEncoder {
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Points this encoder at the place where the frame will be written.
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public TimeoutNowEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Encodes a whole TIMEOUT_NOW frame: the receiver starts an election at once.
     *
     * @param groupId the Raft group id.
     * @param senderId the leader's node id.
     * @param term the leader's term.
     * @return the frame length in bytes.
     */
    public int encode(final int groupId, final int senderId, final long term) {
        RaftFrames.writeHeaderAndPrefix(buffer, offset, Opcodes.TIMEOUT_NOW, TIMEOUT_NOW_BODY_LENGTH, groupId,
            senderId, term);
        return HEADER_LENGTH + TIMEOUT_NOW_BODY_LENGTH;
    }
}
