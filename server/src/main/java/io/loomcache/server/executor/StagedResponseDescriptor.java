package io.loomcache.server.executor;

import io.loomcache.protocol.FrameHeaderDescriptor;

/**
 * Layout of one entry in an executor's {@link ResponseStaging} area: a response encoded during a duty cycle and
 * held until the cycle's WAL force (or handed over at once when nothing waits for a force). Entries start 8-byte
 * aligned.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                    Connection Id (int64)                      |  0
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                Received At (int64, node NanoClock)            |  8
 * |                                                               |
 * +---------------------------------------------------------------+
 * |             Fan-Out Partial Result (int64)                    |  16
 * |                                                               |
 * +---------------------------------------------------------------+
 * |           Fan-Out Slot (int32, -1 = plain response)           |  24
 * +-------------------------------+-------------------------------+
 * |     Request Opcode (int32)    |  28
 * +-------------------------------+
 * |  Entry Flags (int32)          |  32
 * +-------------------------------+
 * |  Frame Length (int32)         |  36
 * +---------------------------------------------------------------+
 * |        Response Frame (or fan-out error code as int32) ...    |  40
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class StagedResponseDescriptor {
    /** Entry flag: the request changed state, so a failed force turns its response into an error. */
    public static final int FLAG_WRITE = 1;
    /** Entry flag: the client asked for no reply; nothing is sent. */
    public static final int FLAG_NO_REPLY = 2;

    /**
     * The entry's no-reply flag for a request frame's header flags.
     *
     * @param frameFlags the request's header flags.
     * @return {@link #FLAG_NO_REPLY} when the client asked for no reply, else 0.
     */
    public static int noReply(final int frameFlags) {
        return (frameFlags & FrameHeaderDescriptor.FLAG_NO_REPLY) != 0 ? FLAG_NO_REPLY : 0;
    }

    /** Offset of the connection id. */
    public static final int CONNECTION_ID_OFFSET = 0;
    /** Length of the connection id. */
    public static final int CONNECTION_ID_LENGTH = Long.BYTES;
    /** Offset of the receive timestamp. */
    public static final int RECEIVED_NS_OFFSET = CONNECTION_ID_OFFSET + CONNECTION_ID_LENGTH;
    /** Length of the receive timestamp. */
    public static final int RECEIVED_NS_LENGTH = Long.BYTES;
    /** Offset of the partial result of a fan-out request. */
    public static final int PARTIAL_RESULT_OFFSET = RECEIVED_NS_OFFSET + RECEIVED_NS_LENGTH;
    /** Length of the partial result. */
    public static final int PARTIAL_RESULT_LENGTH = Long.BYTES;
    /** Offset of the fan-out slot. */
    public static final int FAN_OUT_SLOT_OFFSET = PARTIAL_RESULT_OFFSET + PARTIAL_RESULT_LENGTH;
    /** Length of the fan-out slot. */
    public static final int FAN_OUT_SLOT_LENGTH = Integer.BYTES;
    /** Offset of the request opcode. */
    public static final int OPCODE_OFFSET = FAN_OUT_SLOT_OFFSET + FAN_OUT_SLOT_LENGTH;
    /** Length of the opcode. */
    public static final int OPCODE_LENGTH = Integer.BYTES;
    /** Offset of the entry flags. */
    public static final int FLAGS_OFFSET = OPCODE_OFFSET + OPCODE_LENGTH;
    /** Length of the flags. */
    public static final int FLAGS_LENGTH = Integer.BYTES;
    /** Offset of the frame length. */
    public static final int FRAME_LENGTH_OFFSET = FLAGS_OFFSET + FLAGS_LENGTH;
    /** Length of the frame length field. */
    public static final int FRAME_LENGTH_LENGTH = Integer.BYTES;
    /** Offset of the response frame. */
    public static final int FRAME_OFFSET = FRAME_LENGTH_OFFSET + FRAME_LENGTH_LENGTH;
    /** Alignment of entries. */
    public static final int ALIGNMENT = Long.BYTES;

    private StagedResponseDescriptor() {
    }
}
