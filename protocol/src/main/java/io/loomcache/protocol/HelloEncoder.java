package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.HelloDescriptor.CLIENT_NAME_OFFSET;
import static io.loomcache.protocol.HelloDescriptor.MAX_VERSION_OFFSET;
import static io.loomcache.protocol.HelloDescriptor.MIN_BODY_LENGTH;
import static io.loomcache.protocol.HelloDescriptor.MIN_VERSION_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of {@link Opcodes#HELLO} ({@link HelloDescriptor}), one setter per field, the client name last:
 * {@code encoder.wrap(buffer, offset).correlationId(id).minVersion(1).maxVersion(1).clientName(name, 0, n)} returns
 * the frame length. The caller keeps versions in 1..255 with min &lt;= max and the name within
 * {@link HelloDescriptor#MAX_CLIENT_NAME_LENGTH}, which the decoder enforces. Not thread-safe; allocates nothing.
 */
public final class HelloEncoder {
    private final FrameHeaderEncoder header = new FrameHeaderEncoder();
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Points this encoder at the place where the frame will be written and writes the header (correlation id 0).
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public HelloEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        header.wrap(buffer, offset).header(Opcodes.HELLO, 0, 0, MIN_BODY_LENGTH);
        return this;
    }

    /**
     * Writes the correlation id the response echoes.
     *
     * @param correlationId the id.
     * @return this.
     */
    public HelloEncoder correlationId(final long correlationId) {
        header.correlationId(correlationId);
        return this;
    }

    /**
     * Writes the lowest version the client speaks.
     *
     * @param minVersion 1..255.
     * @return this.
     */
    public HelloEncoder minVersion(final int minVersion) {
        buffer.putByte(offset + HEADER_LENGTH + MIN_VERSION_OFFSET, (byte)minVersion);
        return this;
    }

    /**
     * Writes the highest version the client speaks.
     *
     * @param maxVersion 1..255.
     * @return this.
     */
    public HelloEncoder maxVersion(final int maxVersion) {
        buffer.putByte(offset + HEADER_LENGTH + MAX_VERSION_OFFSET, (byte)maxVersion);
        return this;
    }

    /**
     * Writes the client name, the last field, and completes the frame.
     *
     * @param clientName the client name bytes (UTF-8).
     * @param nameOffset the index of the first name byte.
     * @param nameLength the name length in bytes.
     * @return the frame length in bytes.
     */
    public int clientName(final DirectBuffer clientName, final int nameOffset, final int nameLength) {
        final int body = offset + HEADER_LENGTH;
        final int limit = VarData.put(buffer, body + CLIENT_NAME_OFFSET, clientName, nameOffset, nameLength);
        header.bodyLength(limit - body);
        return limit - offset;
    }
}
