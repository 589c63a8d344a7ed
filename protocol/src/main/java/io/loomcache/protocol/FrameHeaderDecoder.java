package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.FLAGS_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.KNOWN_FLAGS;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.VERSION_OFFSET;

import org.agrona.DirectBuffer;

/**
 * Flyweight that reads the fields of a {@link FrameHeaderDescriptor frame header} straight from a buffer; its
 * accessors validate nothing: use them on frames cut by a {@link FrameDecoder}. {@link #validate} is the one header
 * check that the frame decoder and every message decoder run. Not thread-safe; allocates nothing.
 */
public final class FrameHeaderDecoder {
    private DirectBuffer buffer;
    private int offset;

    /**
     * Validates the header at {@code index}, the same way wherever a header is read: a version this code speaks, a
     * body length from 0 to {@code maxBodyLength}, no unknown flag bit. The opcode is left to the caller (the command
     * table or the message decoder that reads it).
     *
     * @param buffer the buffer holding at least the 16 header bytes at {@code index}.
     * @param index the index of the header.
     * @param maxBodyLength the largest body length accepted.
     * @return {@link ErrorCode#NONE}, {@link ErrorCode#UNSUPPORTED_VERSION}, {@link ErrorCode#MALFORMED_FRAME}
     *     (negative body length, unknown flag) or {@link ErrorCode#FRAME_TOO_LONG}, checked in that order.
     */
    public static int validate(final DirectBuffer buffer, final int index, final int maxBodyLength) {
        if (!FrameHeaderDescriptor.isSupportedVersion(buffer.getByte(index + VERSION_OFFSET) & 0xFF)) {
            return ErrorCode.UNSUPPORTED_VERSION;
        }
        final int bodyLength = buffer.getInt(index + BODY_LENGTH_OFFSET, BYTE_ORDER);
        if (bodyLength < 0) {
            return ErrorCode.MALFORMED_FRAME;
        }
        if (bodyLength > maxBodyLength) {
            return ErrorCode.FRAME_TOO_LONG;
        }
        return (buffer.getByte(index + FLAGS_OFFSET) & ~KNOWN_FLAGS) != 0 ? ErrorCode.MALFORMED_FRAME : ErrorCode.NONE;
    }

    /**
     * Points this flyweight at a header.
     *
     * @param buffer the buffer holding the frame.
     * @param offset the index of the first header byte.
     * @return this.
     */
    public FrameHeaderDecoder wrap(final DirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Reads the body length.
     *
     * @return bytes after the header as written, possibly negative in a malformed frame.
     */
    public int bodyLength() {
        return buffer.getInt(offset + BODY_LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the protocol version.
     *
     * @return the version, 0..255.
     */
    public int version() {
        return buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
    }

    /**
     * Reads the flags.
     *
     * @return the flag bits, 0..255.
     */
    public int flags() {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * Reads the opcode.
     *
     * @return the opcode, 0..65535.
     */
    public int opcode() {
        return buffer.getShort(offset + OPCODE_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads the correlation id.
     *
     * @return the correlation id.
     */
    public long correlationId() {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
    }
}
