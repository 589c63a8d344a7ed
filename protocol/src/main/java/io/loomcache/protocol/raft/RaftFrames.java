package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.FLAGS_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.PROTOCOL_VERSION;
import static io.loomcache.protocol.FrameHeaderDescriptor.VERSION_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.FALSE;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.GROUP_ID_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SENDER_ID_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.TERM_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.TRUE;

import org.agrona.MutableDirectBuffer;

/**
 * Writing helpers shared by the Raft encoders: the frame header (flags 0, correlation id 0) and the body prefix.
 * Stateless; allocates nothing.
 */
final class RaftFrames {
    private RaftFrames() {
    }

    /**
     * Writes the frame header and the Raft prefix.
     *
     * @param buffer the destination.
     * @param frameOffset the index of the frame's first byte.
     * @param opcode the Raft opcode.
     * @param bodyLength the body length in bytes.
     * @param groupId the Raft group id.
     * @param senderId the sender's node id.
     * @param term the sender's term.
     * @return the index of the body's first byte.
     */
    static int writeHeaderAndPrefix(
        final MutableDirectBuffer buffer,
        final int frameOffset,
        final int opcode,
        final int bodyLength,
        final int groupId,
        final int senderId,
        final long term) {
        buffer.putInt(frameOffset + BODY_LENGTH_OFFSET, bodyLength, BYTE_ORDER);
        buffer.putByte(frameOffset + VERSION_OFFSET, (byte)PROTOCOL_VERSION);
        buffer.putByte(frameOffset + FLAGS_OFFSET, (byte)0);
        buffer.putShort(frameOffset + OPCODE_OFFSET, (short)opcode, BYTE_ORDER);
        buffer.putLong(frameOffset + CORRELATION_ID_OFFSET, 0L, BYTE_ORDER);
        final int body = frameOffset + HEADER_LENGTH;
        buffer.putInt(body + GROUP_ID_OFFSET, groupId, BYTE_ORDER);
        buffer.putInt(body + SENDER_ID_OFFSET, senderId, BYTE_ORDER);
        buffer.putLong(body + TERM_OFFSET, term, BYTE_ORDER);
        return body;
    }

    /**
     * Encodes a boolean as an int32 field value.
     *
     * @param value the boolean.
     * @return {@link RaftMessageDescriptor#TRUE} or {@link RaftMessageDescriptor#FALSE}.
     */
    static int toInt(final boolean value) {
        return value ? TRUE : FALSE;
    }

    /**
     * Tells whether an int32 boolean field holds a defined value.
     *
     * @param value the field value.
     * @return true for 0 or 1.
     */
    static boolean isBoolean(final int value) {
        return value == FALSE || value == TRUE;
    }
}
