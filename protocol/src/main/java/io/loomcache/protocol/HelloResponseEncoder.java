package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.HelloResponseDescriptor.BODY_LENGTH;
import static io.loomcache.protocol.HelloResponseDescriptor.MAX_FRAME_LENGTH_OFFSET;
import static io.loomcache.protocol.HelloResponseDescriptor.NODE_ID_OFFSET;
import static io.loomcache.protocol.HelloResponseDescriptor.PARTITION_COUNT_OFFSET;
import static io.loomcache.protocol.HelloResponseDescriptor.VERSION_OFFSET;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of {@link Opcodes#HELLO_RESPONSE} ({@link HelloResponseDescriptor}). Not thread-safe;
 * allocates nothing.
 */
public final class HelloResponseEncoder {
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
    public HelloResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Encodes a HELLO_RESPONSE.
     *
     * @param correlationId the HELLO's correlation id.
     * @param version the negotiated version, 1..255.
     * @param nodeId the server's node id.
     * @param maxFrameLength the largest frame the server accepts, header included.
     * @param partitionCount the cluster's partition count.
     * @return the frame length in bytes.
     */
    public int encode(
        final long correlationId,
        final int version,
        final int nodeId,
        final int maxFrameLength,
        final int partitionCount) {
        final int body = offset + HEADER_LENGTH;
        header.wrap(buffer, offset).header(Opcodes.HELLO_RESPONSE, 0, correlationId, BODY_LENGTH);
        buffer.putInt(body + NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        buffer.putInt(body + MAX_FRAME_LENGTH_OFFSET, maxFrameLength, BYTE_ORDER);
        buffer.putInt(body + PARTITION_COUNT_OFFSET, partitionCount, BYTE_ORDER);
        buffer.putByte(body + VERSION_OFFSET, (byte)version);
        return HEADER_LENGTH + BODY_LENGTH;
    }
}
