package io.loomcache.server.executor;

/**
 * Layout of one slot of the {@link FanOutTable}: the state of a non-keyed request (MAP_SIZE, MAP_CLEAR) sent to
 * every executor, whose partial answers are summed here. One slot per 64-byte cache line.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                  State (int32, 0 = free, 1 = used)            |  0
 * +---------------------------------------------------------------+
 * |               Remaining Executors (int32)                     |  4
 * +---------------------------------------------------------------+
 * |                    Connection Id (int64)                      |  8
 * +---------------------------------------------------------------+
 * |                    Correlation Id (int64)                     |  16
 * +---------------------------------------------------------------+
 * |                    Sum of Partials (int64)                    |  24
 * +---------------------------------------------------------------+
 * |          First Error Code (int32, 0 = none)                   |  32
 * +---------------------------------------------------------------+
 * |                   Request Opcode (int32)                      |  36
 * +---------------------------------------------------------------+
 * |                   Request Flags (int32)                       |  40
 * +---------------------------------------------------------------+
 * |                     Reserved (int32)                          |  44
 * +---------------------------------------------------------------+
 * |             Received At (int64, node NanoClock)               |  48
 * +---------------------------------------------------------------+
 * |                     Padding to 64 bytes                       |  56
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class FanOutDescriptor {
    /** Offset of the state. */
    public static final int STATE_OFFSET = 0;
    /** Length of the state. */
    public static final int STATE_LENGTH = Integer.BYTES;
    /** Offset of the count of executors that have not answered. */
    public static final int REMAINING_OFFSET = STATE_OFFSET + STATE_LENGTH;
    /** Length of the remaining count. */
    public static final int REMAINING_LENGTH = Integer.BYTES;
    /** Offset of the connection id. */
    public static final int CONNECTION_ID_OFFSET = REMAINING_OFFSET + REMAINING_LENGTH;
    /** Length of the connection id. */
    public static final int CONNECTION_ID_LENGTH = Long.BYTES;
    /** Offset of the correlation id. */
    public static final int CORRELATION_ID_OFFSET = CONNECTION_ID_OFFSET + CONNECTION_ID_LENGTH;
    /** Length of the correlation id. */
    public static final int CORRELATION_ID_LENGTH = Long.BYTES;
    /** Offset of the sum of partial results. */
    public static final int SUM_OFFSET = CORRELATION_ID_OFFSET + CORRELATION_ID_LENGTH;
    /** Length of the sum. */
    public static final int SUM_LENGTH = Long.BYTES;
    /** Offset of the first error code. */
    public static final int ERROR_CODE_OFFSET = SUM_OFFSET + SUM_LENGTH;
    /** Length of the error code. */
    public static final int ERROR_CODE_LENGTH = Integer.BYTES;
    /** Offset of the request opcode. */
    public static final int OPCODE_OFFSET = ERROR_CODE_OFFSET + ERROR_CODE_LENGTH;
    /** Length of the opcode. */
    public static final int OPCODE_LENGTH = Integer.BYTES;
    /** Offset of the request header flags. */
    public static final int FLAGS_OFFSET = OPCODE_OFFSET + OPCODE_LENGTH;
    /** Length of the flags. */
    public static final int FLAGS_LENGTH = Integer.BYTES;
    /** Offset of the reserved field. */
    public static final int RESERVED_OFFSET = FLAGS_OFFSET + FLAGS_LENGTH;
    /** Length of the reserved field. */
    public static final int RESERVED_LENGTH = Integer.BYTES;
    /** Offset of the receive timestamp. */
    public static final int RECEIVED_NS_OFFSET = RESERVED_OFFSET + RESERVED_LENGTH;
    /** Length of the receive timestamp. */
    public static final int RECEIVED_NS_LENGTH = Long.BYTES;
    /** Length of a slot (one cache line). */
    public static final int SLOT_LENGTH = 64;

    private FanOutDescriptor() {
    }
}
