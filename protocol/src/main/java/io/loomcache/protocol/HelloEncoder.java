package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.HelloDescriptor.CLIENT_NAME_OFFSET;
import static io.loomcache.protocol.HelloDescriptor.MAX_VERSION_OFFSET;
import static io.loomcache.protocol.HelloDescriptor.MIN_VERSION_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of {@link Opcodes#HELLO} ({@link HelloDescriptor}). Not thread-safe; allocates nothing.
 */
public final class HelloEncoder {
    private final FrameHeaderEncoder header = new FrameHeaderEncoder();
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Points this encoder at the place where the frame will be written.
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public HelloEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Encodes a HELLO; the caller keeps versions in 1..255 with min &lt;= max and the name within
     * {@link HelloDescriptor#MAX_CLIENT_NAME_LENGTH}, which the decoder enforces.
     *
     * @param correlationId the id the response echoes.
     * @param minVersion the lowest version the client speaks.
     * @param maxVersion the highest version the client speaks.
     * @param clientName the client name bytes (UTF-8).
     * @param nameOffset the index of the first name byte.
     * @param nameLength the name length in bytes.
     * @return the frame length in bytes.
     */
    public int encode(
        final long correlationId,
        final int minVersion,
        final int maxVersion,
        final DirectBuffer clientName,
        final int nameOffset,
        final int nameLength) {
        final int body = offset + HEADER_LENGTH;
        buffer.putByte(body + MIN_VERSION_OFFSET, (byte)minVersion);
        buffer.putByte(body + MAX_VERSION_OFFSET, (byte)maxVersion);
        final int limit = VarData.put(buffer, body + CLIENT_NAME_OFFSET, clientName, nameOffset, nameLength);
        header.wrap(buffer, offset).header(Opcodes.HELLO, 0, correlationId, limit - body);
        return limit - offset;
    }
}
