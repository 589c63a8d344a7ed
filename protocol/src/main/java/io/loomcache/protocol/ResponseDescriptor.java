package io.loomcache.protocol;

/**
 * Layouts of the bodies of the generic responses (category {@link OpcodeCategory#RESPONSE}); offsets are relative
 * to the body; a newer server may append fields after the last one, which a decoder skips.
 * <pre>
 * RESPONSE_OK, RESPONSE_NOT_FOUND: empty body.
 *
 * RESPONSE_VALUE                         RESPONSE_BOOLEAN           RESPONSE_LONG, RESPONSE_SEQUENCE_LOST
 * +-----------------------+----------+   +-----------------+        +-------------------------------+
 * | Value Length (int32)  | Value ...|   | Result (u8 0/1) |  0     |  Result / Next Sequence (int64)|  0
 * +-----------------------+----------+   +-----------------+        +-------------------------------+
 *
 * RESPONSE_ERROR                                  RESPONSE_SERVER_BUSY
 * +-----------------------------------+           +-----------------------------------+
 * |        Error Code (int32, &gt; 0)    |  0        |      Retry After ms (int32)       |  0
 * +-----------------------------------+           +-----------------------------------+
 * |  Message Length (int32) | Message |  4
 * +-----------------------------------+
 *
 * RESPONSE_REDIRECT
 * +---------------------------------------------------------------+
 * |                Partition Table Version (int64)                |  0
 * |                                                               |
 * +---------------------------------------------------------------+
 * |              Partition Id (int32, -1 = not partitioned)       |  8
 * +---------------------------------------------------------------+
 * |              Leader Node Id (int32, -1 = unknown)             |  12
 * +---------------------------------------------------------------+
 * |  Address Length (int32)  |  Address "host:port" ...           |  16
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class ResponseDescriptor {
    /** Offset of a value's {@link VarDataDescriptor} field in RESPONSE_VALUE. */
    public static final int VALUE_OFFSET = 0;
    /** Minimum RESPONSE_VALUE body: an empty value. */
    public static final int VALUE_MIN_BODY_LENGTH = VALUE_OFFSET + VarDataDescriptor.LENGTH_FIELD_LENGTH;

    /** Offset of the boolean result (uint8, 0 or 1) in RESPONSE_BOOLEAN. */
    public static final int BOOLEAN_RESULT_OFFSET = 0;
    /** Size in bytes of the boolean result. */
    public static final int BOOLEAN_RESULT_LENGTH = Byte.BYTES;
    /** RESPONSE_BOOLEAN body length (version 1). */
    public static final int BOOLEAN_BODY_LENGTH = BOOLEAN_RESULT_OFFSET + BOOLEAN_RESULT_LENGTH;

    /** Offset of the long result in RESPONSE_LONG (or next sequence in RESPONSE_SEQUENCE_LOST). */
    public static final int LONG_RESULT_OFFSET = 0;
    /** Size in bytes of the long result. */
    public static final int LONG_RESULT_LENGTH = Long.BYTES;
    /** RESPONSE_LONG and RESPONSE_SEQUENCE_LOST body length (version 1). */
    public static final int LONG_BODY_LENGTH = LONG_RESULT_OFFSET + LONG_RESULT_LENGTH;

    /** Offset of the error code in RESPONSE_ERROR. */
    public static final int ERROR_CODE_OFFSET = 0;
    /** Size in bytes of the error code. */
    public static final int ERROR_CODE_LENGTH = Integer.BYTES;
    /** Offset of the error message {@link VarDataDescriptor} field (ASCII/UTF-8 text). */
    public static final int ERROR_MESSAGE_OFFSET = ERROR_CODE_OFFSET + ERROR_CODE_LENGTH;
    /** Minimum RESPONSE_ERROR body: an empty message. */
    public static final int ERROR_MIN_BODY_LENGTH = ERROR_MESSAGE_OFFSET + VarDataDescriptor.LENGTH_FIELD_LENGTH;
    /** Longest error message in bytes. */
    public static final int MAX_ERROR_MESSAGE_LENGTH = 1024;

    /** Offset of the partition table version in RESPONSE_REDIRECT. */
    public static final int PARTITION_TABLE_VERSION_OFFSET = 0;
    /** Size in bytes of the partition table version. */
    public static final int PARTITION_TABLE_VERSION_LENGTH = Long.BYTES;
    /** Offset of the partition id. */
    public static final int PARTITION_ID_OFFSET = PARTITION_TABLE_VERSION_OFFSET + PARTITION_TABLE_VERSION_LENGTH;
    /** Size in bytes of the partition id. */
    public static final int PARTITION_ID_LENGTH = Integer.BYTES;
    /** Offset of the leader node id. */
    public static final int LEADER_NODE_ID_OFFSET = PARTITION_ID_OFFSET + PARTITION_ID_LENGTH;
    /** Size in bytes of the leader node id. */
    public static final int LEADER_NODE_ID_LENGTH = Integer.BYTES;
    /** Offset of the leader address {@link VarDataDescriptor} field, "host:port", empty when unknown. */
    public static final int ADDRESS_OFFSET = LEADER_NODE_ID_OFFSET + LEADER_NODE_ID_LENGTH;
    /** Minimum RESPONSE_REDIRECT body: an empty address. */
    public static final int REDIRECT_MIN_BODY_LENGTH = ADDRESS_OFFSET + VarDataDescriptor.LENGTH_FIELD_LENGTH;
    /** Longest address in bytes. */
    public static final int MAX_ADDRESS_LENGTH = 255;

    /** Offset of the retry hint in ms (int32, &gt;= 0) in RESPONSE_SERVER_BUSY. */
    public static final int RETRY_AFTER_MS_OFFSET = 0;
    /** Size in bytes of the retry hint. */
    public static final int RETRY_AFTER_MS_LENGTH = Integer.BYTES;
    /** RESPONSE_SERVER_BUSY body length (version 1). */
    public static final int SERVER_BUSY_BODY_LENGTH = RETRY_AFTER_MS_OFFSET + RETRY_AFTER_MS_LENGTH;

    private ResponseDescriptor() {
    }
}
