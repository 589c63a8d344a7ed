package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.FLAGS_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.FrameHeaderDescriptor.KNOWN_FLAGS;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.PROTOCOL_VERSION;
import static io.loomcache.protocol.FrameHeaderDescriptor.VERSION_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Base of the message flyweight decoders: validates the header and frame bounds, then lets the subclass validate
 * the body, so that every length is checked before anything is read. After {@code wrap}, check {@link #isValid()}
 * (or {@link #decodeError()}); accessors of an invalid message return meaningless values (header fields read as 0
 * when the frame is not inside the buffer) but never read outside the frame. Not thread-safe: pre-allocate one
 * decoder per message type per thread; decoding allocates nothing.
 */
public abstract sealed class MessageDecoder
    permits MapRequestDecoder, HelloDecoder, HelloResponseDecoder, ResponseDecoder {

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int decodeError = ErrorCode.MALFORMED_FRAME;
    private int bodyLength;
    private int version;
    private int flags;
    private int opcode;
    private long correlationId;

    MessageDecoder() {
    }

    /**
     * Validates the frame at {@code [offset, offset + length)} and records the outcome.
     *
     * @param buffer the buffer holding the frame.
     * @param offset the index of the frame's header.
     * @param length the frame length, header included.
     */
    final void decode(final DirectBuffer buffer, final int offset, final int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        clearBody();
        decodeError = validate();
    }

    private int validate() {
        if (offset < 0 || length < HEADER_LENGTH || offset > buffer.capacity() - length) {
            bodyLength = 0;
            version = 0;
            flags = 0;
            opcode = 0;
            correlationId = 0;
            return ErrorCode.MALFORMED_FRAME;
        }
        bodyLength = buffer.getInt(offset + BODY_LENGTH_OFFSET, BYTE_ORDER);
        version = buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
        flags = buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
        opcode = buffer.getShort(offset + OPCODE_OFFSET, BYTE_ORDER) & 0xFFFF;
        correlationId = buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
        if (version != PROTOCOL_VERSION) {
            return ErrorCode.UNSUPPORTED_VERSION;
        }
        if (bodyLength != length - HEADER_LENGTH || (flags & ~KNOWN_FLAGS) != 0) {
            return ErrorCode.MALFORMED_FRAME;
        }
        if (!accepts(opcode)) {
            return ErrorCode.UNKNOWN_OPCODE;
        }
        if (bodyLength < CommandTable.minBodyLength(opcode)) {
            return ErrorCode.BODY_TOO_SHORT;
        }
        return decodeBody(opcode, offset + HEADER_LENGTH, offset + length);
    }

    /**
     * Tells whether this decoder handles an opcode.
     *
     * @param opcode the opcode from the header.
     * @return true when it does.
     */
    abstract boolean accepts(int opcode);

    /**
     * Resets the cached body fields to zero lengths, so that accessors of an invalid message copy nothing.
     */
    abstract void clearBody();

    /**
     * Validates the body and caches its field positions; called only when the body is at least the minimum.
     *
     * @param opcode the opcode from the header.
     * @param bodyOffset the index of the first body byte.
     * @param limit the index one past the last body byte.
     * @return {@link ErrorCode#NONE} or the error.
     */
    abstract int decodeBody(int opcode, int bodyOffset, int limit);

    /**
     * The outcome of the last wrap.
     *
     * @return {@link ErrorCode#NONE} when valid, else the {@link ErrorCode}.
     */
    public final int decodeError() {
        return decodeError;
    }

    /**
     * Tells whether the last wrap found a valid message.
     *
     * @return true when {@link #decodeError()} is {@link ErrorCode#NONE}.
     */
    public final boolean isValid() {
        return decodeError == ErrorCode.NONE;
    }

    /**
     * The buffer the frame lives in, against which the {@code *Offset()} accessors index.
     *
     * @return the wrapped buffer.
     */
    public final DirectBuffer buffer() {
        return buffer;
    }

    /**
     * The index of the frame's header in {@link #buffer()}.
     *
     * @return the offset.
     */
    public final int offset() {
        return offset;
    }

    /**
     * The length of the wrapped frame.
     *
     * @return bytes, header included.
     */
    public final int frameLength() {
        return length;
    }

    /**
     * The body length from the header.
     *
     * @return bytes after the header.
     */
    public final int bodyLength() {
        return bodyLength;
    }

    /**
     * The protocol version from the header.
     *
     * @return 0..255.
     */
    public final int version() {
        return version;
    }

    /**
     * The flags from the header.
     *
     * @return the {@code FLAG_*} bits.
     */
    public final int flags() {
        return flags;
    }

    /**
     * The opcode from the header.
     *
     * @return 0..65535.
     */
    public final int opcode() {
        return opcode;
    }

    /**
     * The correlation id from the header.
     *
     * @return the id.
     */
    public final long correlationId() {
        return correlationId;
    }

    /**
     * Appends a one-line description for logs. Allocates (StringBuilder growth): logging and tools only.
     *
     * @param builder the destination.
     * @return the builder.
     */
    public final StringBuilder appendTo(final StringBuilder builder) {
        builder.append(Opcodes.name(opcode())).append(" correlationId=").append(correlationId());
        builder.append(" flags=").append(flags());
        if (isValid()) {
            appendBody(builder);
        } else {
            builder.append(" error=").append(ErrorCode.name(decodeError));
        }
        return builder;
    }

    /**
     * Appends the body fields of a valid message.
     *
     * @param builder the destination.
     */
    abstract void appendBody(StringBuilder builder);

    final void copy(final int index, final int count, final MutableDirectBuffer dst, final int dstOffset) {
        dst.putBytes(dstOffset, buffer, index, count);
    }

    final String string(final int index, final int count) {
        return buffer.getStringWithoutLengthUtf8(index, count);
    }
}
