package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.GROUP_ID_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SENDER_ID_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.TERM_OFFSET;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.MessageDecoder;
import org.agrona.DirectBuffer;

/**
 * Base of the Raft flyweight decoders: the {@link MessageDecoder} checks (header, frame bounds, version-1 minimum)
 * plus the prefix every Raft body starts with. Getters read straight from the buffer and are safe only after
 * {@link #wrap} returned {@link ErrorCode#NONE}. Not thread-safe: one decoder per message type per thread; decoding
 * allocates nothing.
 */
public abstract sealed class RaftMessageDecoder extends MessageDecoder permits VoteRequestDecoder,
    VoteResponseDecoder, AppendEntriesDecoder, AppendEntriesResponseDecoder, InstallSnapshotDecoder,
    InstallSnapshotResponseDecoder, TimeoutNowDecoder {

    private int bodyOffset;

    RaftMessageDecoder() {
    }

    /**
     * Wraps and validates a whole frame; the outcome stays readable in {@link #decodeError()}.
     *
     * @param buffer the buffer holding the frame.
     * @param frameOffset the index of the frame's header.
     * @param frameLength the frame length, header included.
     * @return {@link ErrorCode#NONE} or the error, as {@link MessageDecoder#decode} describes; a boolean field that is
     *     not 0/1 is {@link ErrorCode#MALFORMED_FRAME}.
     */
    public final int wrap(final DirectBuffer buffer, final int frameOffset, final int frameLength) {
        bodyOffset = frameOffset + HEADER_LENGTH;
        return decode(buffer, frameOffset, frameLength);
    }

    @Override
    protected final int decodeBody(final int opcode, final int bodyOffset, final int limit) {
        return validateBody(bodyOffset, limit - bodyOffset);
    }

    /**
     * Validates the fields this decoder knows; the body is at least the opcode's version-1 length and lies inside
     * the buffer.
     *
     * @param bodyOffset the index of the first body byte.
     * @param bodyLength the body length in bytes.
     * @return the index one past the last known field, or minus the {@link ErrorCode}.
     */
    abstract int validateBody(int bodyOffset, int bodyLength);

    @Override
    protected void clearBody() {
    }

    /**
     * The Raft group the message belongs to.
     *
     * @return the group id.
     */
    public final int groupId() {
        return buffer().getInt(bodyOffset + GROUP_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The node that sent the message.
     *
     * @return the sender's node id.
     */
    public final int senderId() {
        return buffer().getInt(bodyOffset + SENDER_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The sender's current term.
     *
     * @return the term.
     */
    public final long term() {
        return buffer().getLong(bodyOffset + TERM_OFFSET, BYTE_ORDER);
    }

    final int bodyOffset() {
        return bodyOffset;
    }

    final int intAt(final int bodyRelativeOffset) {
        return buffer().getInt(bodyOffset + bodyRelativeOffset, BYTE_ORDER);
    }

    final long longAt(final int bodyRelativeOffset) {
        return buffer().getLong(bodyOffset + bodyRelativeOffset, BYTE_ORDER);
    }

    /**
     * Validates a fixed-length body: the fields end at {@code length}, and each int32 boolean at the given offsets
     * is 0 or 1.
     *
     * @param length the version-1 body length.
     * @param booleanOffset the body offset of a boolean field, or -1 for none.
     * @return the index one past the last known field, or minus {@link ErrorCode#MALFORMED_FRAME}.
     */
    final int fixedBody(final int length, final int booleanOffset) {
        if (booleanOffset >= 0 && !RaftFrames.isBoolean(intAt(booleanOffset))) {
            return -ErrorCode.MALFORMED_FRAME;
        }
        return bodyOffset + length;
    }

    /**
     * Appends the prefix; a subclass appends its fields after calling this.
     *
     * @param builder the destination.
     */
    @Override
    protected void appendBody(final StringBuilder builder) {
        builder.append(" groupId=").append(groupId()).append(" senderId=").append(senderId())
            .append(" term=").append(term());
    }
}
