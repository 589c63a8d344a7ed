package io.loomcache.protocol;

/**
 * Layout of the {@link Opcodes#HELLO} body, the first frame a client sends. The header of a HELLO always carries
 * version {@link FrameHeaderDescriptor#PROTOCOL_VERSION} 1 so that any server can read it.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+-------------------------------+
 * |Min Version(u8)|Max Version(u8)|   Client Name Length (int32)  |  0
 * +---------------+---------------+-------------------------------+
 * |  (length cont.)               |  Client Name (UTF-8) ...      |  4
 * +-------------------------------+-------------------------------+
 * </pre>
 * Versions are 1..255 with min &lt;= max; the name is at most {@link #MAX_CLIENT_NAME_LENGTH} bytes.
 */
public final class HelloDescriptor {
    /** Offset of the lowest version the client speaks (uint8), relative to the body. */
    public static final int MIN_VERSION_OFFSET = 0;
    /** Size in bytes of the minimum version. */
    public static final int MIN_VERSION_LENGTH = Byte.BYTES;
    /** Offset of the highest version the client speaks (uint8). */
    public static final int MAX_VERSION_OFFSET = MIN_VERSION_OFFSET + MIN_VERSION_LENGTH;
    /** Size in bytes of the maximum version. */
    public static final int MAX_VERSION_LENGTH = Byte.BYTES;
    /** Offset of the client name ({@link VarDataDescriptor} field). */
    public static final int CLIENT_NAME_OFFSET = MAX_VERSION_OFFSET + MAX_VERSION_LENGTH;
    /** Body length with an empty client name. */
    public static final int MIN_BODY_LENGTH = CLIENT_NAME_OFFSET + VarDataDescriptor.LENGTH_FIELD_LENGTH;
    /** Longest client name in bytes. */
    public static final int MAX_CLIENT_NAME_LENGTH = 256;
    /** Highest version a uint8 field can carry. */
    public static final int MAX_VERSION_VALUE = 0xFF;

    private HelloDescriptor() {
    }
}
