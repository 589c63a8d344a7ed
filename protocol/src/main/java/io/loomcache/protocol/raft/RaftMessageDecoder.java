package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.FLAGS_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.FrameHeaderDescriptor.KNOWN_FLAGS;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.PROTOCOL_VERSION;
import static io.loomcache.protocol.FrameHeaderDescriptor.VERSION_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.GROUP_ID_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SENDER_ID_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.TERM_OFFSET;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import org.agrona.DirectBuffer;

/**
 * Base of the Raft flyweight decoders: validates the frame header and bounds, then lets the subclass validate the
 * body, so every length is checked before a getter reads. Getters read straight from the buffer and are safe only
 * after {@link #wrap} returned {@link ErrorCode#NONE}. Not thread-safe: one decoder per message type per thread;
 * decoding allocates nothing.
 */
public abstract sealed class RaftMessageDecoder permits VoteRequestDecoder, VoteResponseDecoder,
    AppendEntriesDecoder, AppendEntriesResponseDecoder, InstallSnapshotDecoder, InstallSnapshotResponseDecoder,
    TimeoutNowDecoder {

    private DirectBuffer buffer;
    private int frameOffset;
    private int frameLength;
    private int bodyOffset;
    private int opcode;
    private int errorCode = ErrorCode.MALFORMED_FRAME;

    RaftMessageDecoder() {
    }

    /**
     * Wraps and validates a whole frame.
     *
     * @param buffer the buffer holding the frame.
     * @param frameOffset the index of the frame's header.
     * @param frameLength the frame length, header included.
     * @return {@link ErrorCode#NONE}; {@link ErrorCode#MALFORMED_FRAME} when the frame is outside the buffer, shorter
     *     than a header, its body length disagrees with {@code frameLength}, a header flag is unknown or a body field
     *     breaks the layout (negative or overrunning length or count, trailing bytes, boolean not 0/1);
     *     {@link ErrorCode#UNSUPPORTED_VERSION}; {@link ErrorCode#UNKNOWN_OPCODE} when this decoder does not read
     *     the opcode; {@link ErrorCode#BODY_TOO_SHORT} when the body is shorter than the fixed part.
     */
    public final int wrap(final DirectBuffer buffer, final int frameOffset, final int frameLength) {
        this.buffer = buffer;
        this.frameOffset = frameOffset;
        this.frameLength = frameLength;
        this.bodyOffset = frameOffset + HEADER_LENGTH;
        this.opcode = 0;
        errorCode = validate();
        if (errorCode != ErrorCode.NONE) {
            clearBody();
        }
        return errorCode;
    }

    private int validate() {
        if (frameOffset < 0 || frameLength < HEADER_LENGTH || frameOffset > buffer.capacity() - frameLength) {
            return ErrorCode.MALFORMED_FRAME;
        }
        final int bodyLength = buffer.getInt(frameOffset + BODY_LENGTH_OFFSET, BYTE_ORDER);
        final int version = buffer.getByte(frameOffset + VERSION_OFFSET) & 0xFF;
        final int flags = buffer.getByte(frameOffset + FLAGS_OFFSET) & 0xFF;
        opcode = buffer.getShort(frameOffset + OPCODE_OFFSET, BYTE_ORDER) & 0xFFFF;
        if (version != PROTOCOL_VERSION) {
            return ErrorCode.UNSUPPORTED_VERSION;
        }
        if (bodyLength != frameLength - HEADER_LENGTH || (flags & ~KNOWN_FLAGS) != 0) {
            return ErrorCode.MALFORMED_FRAME;
        }
        if (!accepts(opcode)) {
            return ErrorCode.UNKNOWN_OPCODE;
        }
        if (bodyLength < RaftMessageDescriptor.minBodyLength(opcode)) {
            return ErrorCode.BODY_TOO_SHORT;
        }
        return validateBody(bodyOffset, bodyLength);
    }

    /**
     * Tells whether this decoder reads an opcode.
     *
     * @param opcode the opcode from the header.
     * @return true when it does.
     */
    abstract boolean accepts(int opcode);

    /**
     * Validates the body, which is at least the opcode's minimum length and lies inside the buffer.
     *
     * @param bodyOffset the index of the first body byte.
     * @param bodyLength the body length in bytes.
     * @return {@link ErrorCode#NONE} or the error.
     */
    abstract int validateBody(int bodyOffset, int bodyLength);

    /**
     * Resets cached body state after a failed wrap, so a cursor yields nothing.
     */
    void clearBody() {
    }

    /**
     * The outcome of the last wrap.
     *
     * @return {@link ErrorCode#NONE} when valid, else the error code.
     */
    public final int errorCode() {
        return errorCode;
    }

    /**
     * Tells whether the last wrap found a valid message.
     *
     * @return true when {@link #errorCode()} is {@link ErrorCode#NONE}.
     */
    public final boolean isValid() {
        return errorCode == ErrorCode.NONE;
    }

    /**
     * The buffer the frame lives in, against which the absolute {@code *Offset()} getters index.
     *
     * @return the wrapped buffer.
     */
    public final DirectBuffer buffer() {
        return buffer;
    }

    /**
     * The index of the frame's header in {@link #buffer()}.
     *
     * @return the frame offset.
     */
    public final int frameOffset() {
        return frameOffset;
    }

    /**
     * The length of the wrapped frame.
     *
     * @return bytes, header included.
     */
    public final int frameLength() {
        return frameLength;
    }

    /**
     * The opcode from the header.
     *
     * @return the opcode, 0 when the frame did not hold a header.
     */
    public final int opcode() {
        return opcode;
    }

    /**
     * The Raft group the message belongs to.
     *
     * @return the group id.
     */
    public final int groupId() {
        return buffer.getInt(bodyOffset + GROUP_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The node that sent the message.
     *
     * @return the sender's node id.
     */
    public final int senderId() {
        return buffer.getInt(bodyOffset + SENDER_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The sender's current term.
     *
     * @return the term.
     */
    public final long term() {
        return buffer.getLong(bodyOffset + TERM_OFFSET, BYTE_ORDER);
    }

    final int bodyOffset() {
        return bodyOffset;
    }

    final int intAt(final int bodyRelativeOffset) {
        return buffer.getInt(bodyOffset + bodyRelativeOffset, BYTE_ORDER);
    }

    final long longAt(final int bodyRelativeOffset) {
        return buffer.getLong(bodyOffset + bodyRelativeOffset, BYTE_ORDER);
    }

    /**
     * Appends a one-line description for logs. Allocates (StringBuilder growth): logging, tests and tools only.
     *
     * @param builder the destination.
     * @return the builder.
     */
    public final StringBuilder appendTo(final StringBuilder builder) {
        builder.append(Opcodes.name(opcode));
        if (errorCode != ErrorCode.NONE) {
            return builder.append(" error=").append(ErrorCode.name(errorCode));
        }
        builder.append(" groupId=").append(groupId()).append(" senderId=").append(senderId())
            .append(" term=").append(term());
        appendBody(builder);
        return builder;
    }

    /**
     * Appends the body fields after the prefix of a valid message; nothing for a prefix-only message.
     *
     * @param builder the destination.
     */
    void appendBody(final StringBuilder builder) {
    }
}
