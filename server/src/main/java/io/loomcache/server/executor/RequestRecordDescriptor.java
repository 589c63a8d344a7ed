package io.loomcache.server.executor;

/**
 * Layout of a request record in an executor's request ring (an Agrona {@code ManyToOneRingBuffer}), written by a
 * connection's reader in one copy and read by the owning executor. All fields are native-order (little-endian).
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                    Connection Id (int64)                      |  0
 * |                                                               |
 * +---------------------------------------------------------------+
 * |               Received At (int64, node NanoClock)             |  8
 * |                                                               |
 * +---------------------------------------------------------------+
 * |          Fan-Out Slot (int32, -1 = keyed request)             |  16
 * +---------------------------------------------------------------+
 * |                       Reserved (int32)                        |  20
 * +---------------------------------------------------------------+
 * |                  Request Frame (header + body) ...            |  24
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class RequestRecordDescriptor {
    /** Ring message type of a request record. */
    public static final int MSG_TYPE_REQUEST = 1;
    /** Fan-out slot value of a keyed request. */
    public static final int NO_FAN_OUT_SLOT = -1;

    /** Offset of the connection id. */
    public static final int CONNECTION_ID_OFFSET = 0;
    /** Length of the connection id. */
    public static final int CONNECTION_ID_LENGTH = Long.BYTES;
    /** Offset of the receive timestamp in ns (the node NanoClock, read by the reader). */
    public static final int RECEIVED_NS_OFFSET = CONNECTION_ID_OFFSET + CONNECTION_ID_LENGTH;
    /** Length of the receive timestamp. */
    public static final int RECEIVED_NS_LENGTH = Long.BYTES;
    /** Offset of the fan-out slot. */
    public static final int FAN_OUT_SLOT_OFFSET = RECEIVED_NS_OFFSET + RECEIVED_NS_LENGTH;
    /** Length of the fan-out slot. */
    public static final int FAN_OUT_SLOT_LENGTH = Integer.BYTES;
    /** Offset of the reserved field. */
    public static final int RESERVED_OFFSET = FAN_OUT_SLOT_OFFSET + FAN_OUT_SLOT_LENGTH;
    /** Length of the reserved field. */
    public static final int RESERVED_LENGTH = Integer.BYTES;
    /** Offset of the request frame. */
    public static final int FRAME_OFFSET = RESERVED_OFFSET + RESERVED_LENGTH;

    private RequestRecordDescriptor() {
    }
}
