package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.FLAGS_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.VERSION_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The one base of every message flyweight decoder (client messages here, Raft RPCs in {@code protocol.raft}):
 * validates the header with {@link FrameHeaderDecoder#validate} and the frame bounds, checks that this decoder reads
 * the opcode and that the body is at least the opcode's version-1 layout ({@link CommandTable}), then lets the
 * subclass validate the body, so that every length is checked before anything is read. The subclass reads the fields
 * it knows and skips any bytes after them (fields a newer peer appended, see {@link FrameHeaderDescriptor}). After a
 * wrap, check {@link #isValid()} (or {@link #decodeError()}); accessors of an invalid message return meaningless
 * values (header fields read as 0 when the frame is not inside the buffer) but never read outside the frame. Not
 * thread-safe: pre-allocate one decoder per message type per thread; decoding allocates nothing.
 */
public abstract class MessageDecoder {
    private DirectBuffer buffer;
    private int frameOffset;
    private int frameLength;
    private int decodeError = ErrorCode.MALFORMED_FRAME;
    private int encodedLength;
    private int bodyLength;
    private int version;
    private int flags;
    private int opcode;
    private long correlationId;

    /**
     * For the decoders of this package and of {@code protocol.raft}.
     */
    protected MessageDecoder() {
    }

    /**
     * Validates the frame at {@code [frameOffset, frameOffset + frameLength)} and records the outcome.
     *
     * @param buffer the buffer holding the frame.
     * @param frameOffset the index of the frame's header.
     * @param frameLength the frame length, header included.
     * @return {@link ErrorCode#NONE}; {@link ErrorCode#MALFORMED_FRAME} when the frame is outside the buffer,
     *     shorter than a header, its body length disagrees with {@code frameLength}, a header flag is unknown or a
     *     body field breaks the layout (negative or overrunning length or count, out-of-range value);
     *     {@link ErrorCode#UNSUPPORTED_VERSION}; {@link ErrorCode#UNKNOWN_OPCODE} when this decoder does not read
     *     the opcode; {@link ErrorCode#BODY_TOO_SHORT} when the body is shorter than the version-1 layout; or the
     *     body's own code (a limit broken, an invalid argument).
     */
    protected final int decode(final DirectBuffer buffer, final int frameOffset, final int frameLength) {
        this.buffer = buffer;
        this.frameOffset = frameOffset;
        this.frameLength = frameLength;
        clearBody();
        int end = validate();
        if (end > frameOffset + frameLength) {
            end = -ErrorCode.MALFORMED_FRAME; // a body decoder that read past its frame is a bug caught here
        }
        decodeError = end < 0 ? -end : ErrorCode.NONE;
        encodedLength = end < 0 ? 0 : end - frameOffset;
        return decodeError;
    }

    private int validate() {
        if (frameOffset < 0 || frameLength < HEADER_LENGTH || frameOffset > buffer.capacity() - frameLength) {
            bodyLength = 0;
            version = 0;
            flags = 0;
            opcode = 0;
            correlationId = 0;
            return -ErrorCode.MALFORMED_FRAME;
        }
        bodyLength = buffer.getInt(frameOffset + BODY_LENGTH_OFFSET, BYTE_ORDER);
        version = buffer.getByte(frameOffset + VERSION_OFFSET) & 0xFF;
        flags = buffer.getByte(frameOffset + FLAGS_OFFSET) & 0xFF;
        opcode = buffer.getShort(frameOffset + OPCODE_OFFSET, BYTE_ORDER) & 0xFFFF;
        correlationId = buffer.getLong(frameOffset + CORRELATION_ID_OFFSET, BYTE_ORDER);
        final int headerError = FrameHeaderDecoder.validate(buffer, frameOffset, Integer.MAX_VALUE);
        if (headerError != ErrorCode.NONE) {
            return -headerError;
        }
        if (bodyLength != frameLength - HEADER_LENGTH) {
            return -ErrorCode.MALFORMED_FRAME;
        }
        if (!accepts(opcode)) {
            return -ErrorCode.UNKNOWN_OPCODE;
        }
        final int tableError = CommandTable.check(opcode, bodyLength);
        if (tableError != ErrorCode.NONE) {
            return -tableError;
        }
        return decodeBody(opcode, frameOffset + HEADER_LENGTH, frameOffset + frameLength);
    }

    /**
     * Tells whether this decoder handles an opcode.
     *
     * @param opcode the opcode from the header.
     * @return true when it does.
     */
    protected abstract boolean accepts(int opcode);

    /**
     * Resets the cached body fields before each wrap, so that accessors of an invalid message copy nothing.
     */
    protected abstract void clearBody();

    /**
     * Validates the fields this decoder knows and caches their positions; called only when the body is at least
     * the version-1 layout. Bytes after the known fields, up to {@code limit}, are a newer peer's and are skipped.
     *
     * @param opcode the opcode from the header.
     * @param bodyOffset the index of the first body byte.
     * @param limit the index one past the last body byte.
     * @return the index one past the last known field (at most {@code limit}), or minus the {@link ErrorCode}.
     */
    protected abstract int decodeBody(int opcode, int bodyOffset, int limit);

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
     * The length of what this decoder read: the header and the fields it knows. It is less than
     * {@link #frameLength()} when a newer peer appended fields this code skipped.
     *
     * @return bytes, header included; 0 after a failed wrap.
     */
    public final int encodedLength() {
        return encodedLength;
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
        builder.append(Opcodes.name(opcode)).append(" version=").append(version).append(" correlationId=")
            .append(correlationId).append(" flags=").append(flags);
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
    protected abstract void appendBody(StringBuilder builder);

    /**
     * Copies bytes of the frame into a caller's buffer.
     *
     * @param index the index of the first byte in {@link #buffer()}.
     * @param count the number of bytes.
     * @param dst the destination.
     * @param dstOffset the index to copy to.
     */
    protected final void copy(final int index, final int count, final MutableDirectBuffer dst, final int dstOffset) {
        dst.putBytes(dstOffset, buffer, index, count);
    }

    /**
     * Reads bytes of the frame as UTF-8 text. Allocates: tests, tools and logging only.
     *
     * @param index the index of the first byte in {@link #buffer()}.
     * @param count the number of bytes.
     * @return a new string.
     */
    protected final String string(final int index, final int count) {
        return buffer.getStringWithoutLengthUtf8(index, count);
    }
}
