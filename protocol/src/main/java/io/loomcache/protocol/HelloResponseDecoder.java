package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.HelloResponseDescriptor.BODY_LENGTH;
import static io.loomcache.protocol.HelloResponseDescriptor.MAX_FRAME_LENGTH_OFFSET;
import static io.loomcache.protocol.HelloResponseDescriptor.NODE_ID_OFFSET;
import static io.loomcache.protocol.HelloResponseDescriptor.PARTITION_COUNT_OFFSET;
import static io.loomcache.protocol.HelloResponseDescriptor.VERSION_OFFSET;

import org.agrona.DirectBuffer;

/**
 * Flyweight decoder of {@link Opcodes#HELLO_RESPONSE} ({@link HelloResponseDescriptor}). Invalid
 * ({@link ErrorCode#INVALID_ARGUMENT}) when the version is 0, the frame limit is below the header length or the
 * partition count is below 1; bytes after the layout (a newer server's fields) are skipped.
 * Not thread-safe; allocates nothing.
 */
public final class HelloResponseDecoder extends MessageDecoder {
    private int version;
    private int nodeId;
    private int maxFrameLength;
    private int partitionCount;

    /**
     * Wraps and validates a frame; check {@link #isValid()} before using the fields.
     *
     * @param buffer the buffer holding the frame.
     * @param offset the index of the frame's header.
     * @param length the frame length, header included.
     * @return this.
     */
    public HelloResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length) {
        decode(buffer, offset, length);
        return this;
    }

    @Override
    protected boolean accepts(final int opcode) {
        return opcode == Opcodes.HELLO_RESPONSE;
    }

    @Override
    protected void clearBody() {
        version = 0;
        nodeId = 0;
        maxFrameLength = 0;
        partitionCount = 0;
    }

    @Override
    protected int decodeBody(final int opcode, final int bodyOffset, final int limit) {
        final DirectBuffer buffer = buffer();
        nodeId = buffer.getInt(bodyOffset + NODE_ID_OFFSET, BYTE_ORDER);
        maxFrameLength = buffer.getInt(bodyOffset + MAX_FRAME_LENGTH_OFFSET, BYTE_ORDER);
        partitionCount = buffer.getInt(bodyOffset + PARTITION_COUNT_OFFSET, BYTE_ORDER);
        version = buffer.getByte(bodyOffset + VERSION_OFFSET) & 0xFF;
        if (version == 0 || maxFrameLength < HEADER_LENGTH || partitionCount < 1) {
            return -ErrorCode.INVALID_ARGUMENT;
        }
        return bodyOffset + BODY_LENGTH;
    }

    /**
     * The negotiated version for the rest of the connection.
     *
     * @return 1..255.
     */
    public int negotiatedVersion() {
        return version;
    }

    /**
     * The server's node id.
     *
     * @return the id.
     */
    public int nodeId() {
        return nodeId;
    }

    /**
     * The largest frame the server accepts.
     *
     * @return bytes, header included.
     */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * The cluster's partition count, for client-side routing.
     *
     * @return at least 1.
     */
    public int partitionCount() {
        return partitionCount;
    }

    @Override
    protected void appendBody(final StringBuilder builder) {
        builder.append(" version=").append(version).append(" nodeId=").append(nodeId)
            .append(" maxFrameLength=").append(maxFrameLength).append(" partitionCount=").append(partitionCount);
    }
}
