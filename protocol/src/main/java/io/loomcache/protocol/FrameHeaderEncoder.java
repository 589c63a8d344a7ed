package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.FLAGS_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.PROTOCOL_VERSION;
import static io.loomcache.protocol.FrameHeaderDescriptor.VERSION_OFFSET;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight that writes the fields of a {@link FrameHeaderDescriptor frame header} into a buffer.
 * Not thread-safe: one instance per thread; allocates nothing after construction.
 */
public final class FrameHeaderEncoder {
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Points this flyweight at a header.
     *
     * @param buffer the buffer holding the frame.
     * @param offset the index of the first header byte.
     * @return this.
     */
    public FrameHeaderEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Writes a whole header with version {@link FrameHeaderDescriptor#PROTOCOL_VERSION}.
     *
     * @param opcode the opcode, uint16.
     * @param flags the flag bits, uint8.
     * @param correlationId the correlation id.
     * @param bodyLength the body length in bytes.
     * @return this.
     */
    public FrameHeaderEncoder header(
        final int opcode, final int flags, final long correlationId, final int bodyLength) {
        return bodyLength(bodyLength).version(PROTOCOL_VERSION).flags(flags).opcode(opcode)
            .correlationId(correlationId);
    }

    /**
     * Writes the body length.
     *
     * @param bodyLength bytes after the header.
     * @return this.
     */
    public FrameHeaderEncoder bodyLength(final int bodyLength) {
        buffer.putInt(offset + BODY_LENGTH_OFFSET, bodyLength, BYTE_ORDER);
        return this;
    }

    /**
     * Writes the protocol version.
     *
     * @param version the version, uint8.
     * @return this.
     */
    public FrameHeaderEncoder version(final int version) {
        buffer.putByte(offset + VERSION_OFFSET, (byte)version);
        return this;
    }

    /**
     * Writes the flags.
     *
     * @param flags the flag bits, uint8.
     * @return this.
     */
    public FrameHeaderEncoder flags(final int flags) {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        return this;
    }

    /**
     * Writes the opcode.
     *
     * @param opcode the opcode, uint16.
     * @return this.
     */
    public FrameHeaderEncoder opcode(final int opcode) {
        buffer.putShort(offset + OPCODE_OFFSET, (short)opcode, BYTE_ORDER);
        return this;
    }

    /**
     * Writes the correlation id.
     *
     * @param correlationId the id a response echoes.
     * @return this.
     */
    public FrameHeaderEncoder correlationId(final long correlationId) {
        buffer.putLong(offset + CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return this;
    }
}
