package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.FLAGS_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.VERSION_OFFSET;

import org.agrona.DirectBuffer;

/**
 * Flyweight that reads the fields of a {@link FrameHeaderDescriptor frame header} straight from a buffer.
 * It validates nothing: use it on frames cut by a {@link FrameDecoder}. Not thread-safe; allocates nothing.
 */
public final class FrameHeaderDecoder {
    private DirectBuffer buffer;
    private int offset;

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
