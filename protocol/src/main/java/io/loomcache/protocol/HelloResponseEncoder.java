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
 * Flyweight encoder of {@link Opcodes#HELLO_RESPONSE} ({@link HelloResponseDescriptor}), one setter per field:
 * {@code encoder.wrap(buffer, offset).correlationId(id).negotiatedVersion(1).nodeId(n).maxFrameLength(m)
 * .partitionCount(p).frameLength()}. The header carries version {@link FrameHeaderDescriptor#PROTOCOL_VERSION}, as the
 * HELLO it answers does. Not thread-safe; allocates nothing.
 */
public final class HelloResponseEncoder {
    private final FrameHeaderEncoder header = new FrameHeaderEncoder();
    private MutableDirectBuffer buffer;
    private int body;

    /**
     * Points this encoder at the place where the frame will be written and writes the header (correlation id 0).
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public HelloResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.body = offset + HEADER_LENGTH;
        header.wrap(buffer, offset).header(Opcodes.HELLO_RESPONSE, 0, 0, BODY_LENGTH);
        return this;
    }

    /**
     * Writes the HELLO's correlation id.
     *
     * @param correlationId the id.
     * @return this.
     */
    public HelloResponseEncoder correlationId(final long correlationId) {
        header.correlationId(correlationId);
        return this;
    }

    /**
     * Writes the version the connection speaks from now on.
     *
     * @param version 1..255.
     * @return this.
     */
    public HelloResponseEncoder negotiatedVersion(final int version) {
        buffer.putByte(body + VERSION_OFFSET, (byte)version);
        return this;
    }

    /**
     * Writes the server's node id.
     *
     * @param nodeId the id.
     * @return this.
     */
    public HelloResponseEncoder nodeId(final int nodeId) {
        buffer.putInt(body + NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Writes the largest frame the server accepts.
     *
     * @param maxFrameLength bytes, header included.
     * @return this.
     */
    public HelloResponseEncoder maxFrameLength(final int maxFrameLength) {
        buffer.putInt(body + MAX_FRAME_LENGTH_OFFSET, maxFrameLength, BYTE_ORDER);
        return this;
    }

    /**
     * Writes the cluster's partition count.
     *
     * @param partitionCount at least 1.
     * @return this.
     */
    public HelloResponseEncoder partitionCount(final int partitionCount) {
        buffer.putInt(body + PARTITION_COUNT_OFFSET, partitionCount, BYTE_ORDER);
        return this;
    }

    /**
     * The length of the frame.
     *
     * @return bytes, header included.
     */
    public int frameLength() {
        return HEADER_LENGTH + BODY_LENGTH;
    }
}
