package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_GRANTED_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_RESPONSE_BODY_LENGTH;

import io.loomcache.protocol.Opcodes;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of VOTE_RESPONSE and PRE_VOTE_RESPONSE, frame header included; layout in
 * {@link RaftMessageDescriptor}. The caller makes sure the buffer has room. Not thread-safe; allocates nothing.
 */
public final class VoteResponseEncoder {
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Points this encoder at the place where the frame will be written.
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public VoteResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Encodes a whole (pre-)vote response frame.
     *
     * @param opcode {@link Opcodes#VOTE_RESPONSE} or {@link Opcodes#PRE_VOTE_RESPONSE}.
     * @param groupId the Raft group id.
     * @param senderId the voter's node id.
     * @param term the voter's current term.
     * @param granted whether the (pre-)vote is granted.
     * @return the frame length in bytes.
     * @throws IllegalArgumentException when the opcode is not a vote response (a programming error).
     */
    public int encode(
        final int opcode, final int groupId, final int senderId, final long term, final boolean granted) {
        if (opcode != Opcodes.VOTE_RESPONSE && opcode != Opcodes.PRE_VOTE_RESPONSE) {
            throw new IllegalArgumentException("not a vote response opcode: " + opcode);
        }
        final int body = RaftFrames.writeHeaderAndPrefix(
            buffer, offset, opcode, VOTE_RESPONSE_BODY_LENGTH, groupId, senderId, term);
        buffer.putInt(body + VOTE_GRANTED_OFFSET, RaftFrames.toInt(granted), BYTE_ORDER);
        return HEADER_LENGTH + VOTE_RESPONSE_BODY_LENGTH;
    }
}
