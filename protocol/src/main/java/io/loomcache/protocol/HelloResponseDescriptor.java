package io.loomcache.protocol;

/**
 * Layout of the {@link Opcodes#HELLO_RESPONSE} body: what the server tells a client after the handshake. A server
 * that shares no version with the client answers RESPONSE_ERROR({@link ErrorCode#UNSUPPORTED_VERSION}) instead.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                        Node Id (int32)                        |  0
 * +---------------------------------------------------------------+
 * |                    Max Frame Length (int32)                   |  4
 * +---------------------------------------------------------------+
 * |                    Partition Count (int32)                    |  8
 * +---------------+-----------------------------------------------+
 * | Version (u8)  |                                                  12
 * +---------------+
 * </pre>
 */
public final class HelloResponseDescriptor {
    /** Offset of the server's node id, relative to the body. */
    public static final int NODE_ID_OFFSET = 0;
    /** Size in bytes of the node id. */
    public static final int NODE_ID_LENGTH = Integer.BYTES;
    /** Offset of the server's maximum frame length in bytes (header included), at least the header length. */
    public static final int MAX_FRAME_LENGTH_OFFSET = NODE_ID_OFFSET + NODE_ID_LENGTH;
    /** Size in bytes of the maximum frame length. */
    public static final int MAX_FRAME_LENGTH_LENGTH = Integer.BYTES;
    /** Offset of the cluster's partition count, at least 1. */
    public static final int PARTITION_COUNT_OFFSET = MAX_FRAME_LENGTH_OFFSET + MAX_FRAME_LENGTH_LENGTH;
    /** Size in bytes of the partition count. */
    public static final int PARTITION_COUNT_LENGTH = Integer.BYTES;
    /** Offset of the negotiated version (uint8, 1..255) used for the rest of the connection. */
    public static final int VERSION_OFFSET = PARTITION_COUNT_OFFSET + PARTITION_COUNT_LENGTH;
    /** Size in bytes of the negotiated version. */
    public static final int VERSION_LENGTH = Byte.BYTES;
    /** The body length in version 1, the minimum; a newer server may append fields after it. */
    public static final int BODY_LENGTH = VERSION_OFFSET + VERSION_LENGTH;

    private HelloResponseDescriptor() {
    }
}
