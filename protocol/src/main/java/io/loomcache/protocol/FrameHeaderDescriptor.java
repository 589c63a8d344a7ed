package io.loomcache.protocol;

import java.nio.ByteOrder;

/**
 * Layout of the fixed 16-byte header that starts every LoomCache frame, followed by {@code bodyLength} body bytes.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                      Body Length (int32)                      |  0
 * +---------------+---------------+-------------------------------+
 * |  Version (u8) |  Flags (u8)   |        Opcode (uint16)        |  4
 * +---------------+---------------+-------------------------------+
 * |                    Correlation Id (int64)                     |  8
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                           Body ...                            |  16
 * </pre>
 * Every multi-byte field of every LoomCache message is little-endian ({@link #BYTE_ORDER}), which is also Agrona's
 * native order on x86-64 and aarch64, so no byte is swapped there. The body length excludes the header, which lets
 * a reader cut frames without parsing bodies.
 * <p>
 * How messages evolve (SBE's discipline): the body length of this header bounds every message, so no body carries a
 * block length of its own; each codec knows its message's layout from its descriptor. A decoder reads the fields it
 * knows and skips whatever follows them up to the body length (fields a newer peer appended); a frame shorter than
 * the version-1 layout is still refused, and every length inside a body is validated as strictly as before. New
 * fields only ever go at the end of a body (after any variable-length field or entry), so a per-message block
 * length would cost bytes on every frame to allow something this rule never needs. A field added in version N is
 * read only when the body reaches past its end; from an older peer it reads as its documented null value (0 or
 * false unless its descriptor says otherwise). Versions {@link #MIN_VERSION}..{@link #MAX_VERSION} are accepted in
 * a header; HELLO negotiates the one a connection speaks.
 */
public final class FrameHeaderDescriptor {
    /** Byte order of every field on the wire. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** Offset of the body length (int32, bytes after the header, never negative). */
    public static final int BODY_LENGTH_OFFSET = 0;
    /** Size in bytes of the body length field. */
    public static final int BODY_LENGTH_FIELD_LENGTH = Integer.BYTES;
    /** Offset of the protocol version (uint8). */
    public static final int VERSION_OFFSET = BODY_LENGTH_OFFSET + BODY_LENGTH_FIELD_LENGTH;
    /** Size in bytes of the version field. */
    public static final int VERSION_LENGTH = Byte.BYTES;
    /** Offset of the flags (uint8, bits {@code FLAG_*}). */
    public static final int FLAGS_OFFSET = VERSION_OFFSET + VERSION_LENGTH;
    /** Size in bytes of the flags field. */
    public static final int FLAGS_LENGTH = Byte.BYTES;
    /** Offset of the opcode (uint16, see {@link Opcodes}). */
    public static final int OPCODE_OFFSET = FLAGS_OFFSET + FLAGS_LENGTH;
    /** Size in bytes of the opcode field. */
    public static final int OPCODE_LENGTH = Short.BYTES;
    /** Offset of the correlation id (int64) that a response echoes from its request. */
    public static final int CORRELATION_ID_OFFSET = OPCODE_OFFSET + OPCODE_LENGTH;
    /** Size in bytes of the correlation id field. */
    public static final int CORRELATION_ID_LENGTH = Long.BYTES;
    /** Total header length in bytes; the body starts here. */
    public static final int HEADER_LENGTH = CORRELATION_ID_OFFSET + CORRELATION_ID_LENGTH;

    /** Lowest protocol version this code reads and writes. */
    public static final int MIN_VERSION = 1;
    /** Highest protocol version this code reads and writes; a new version raises it. */
    public static final int MAX_VERSION = 1;
    /**
     * The version of every HELLO header and of every frame sent before HELLO has negotiated one: version 1, which
     * every LoomCache peer reads.
     */
    public static final int PROTOCOL_VERSION = 1;
    /** Highest value an opcode can take on the wire (uint16). */
    public static final int MAX_OPCODE = 0xFFFF;

    /** Flag: the sender wants no response (fire-and-forget); the server sends none, not even errors. */
    public static final int FLAG_NO_REPLY = 0x01;
    /** Flag, reserved: the frame is one member of a {@link Opcodes#BATCH_EXECUTE} batch. */
    public static final int FLAG_BATCH = 0x02;
    /** Every flag bit defined in this version; a frame with any other bit set is malformed. */
    public static final int KNOWN_FLAGS = FLAG_NO_REPLY | FLAG_BATCH;

    private FrameHeaderDescriptor() {
    }

    /**
     * Tells whether this code speaks a version.
     *
     * @param version the version from a header or a HELLO.
     * @return true within {@link #MIN_VERSION}..{@link #MAX_VERSION}.
     */
    public static boolean isSupportedVersion(final int version) {
        return version >= MIN_VERSION && version <= MAX_VERSION;
    }
}
