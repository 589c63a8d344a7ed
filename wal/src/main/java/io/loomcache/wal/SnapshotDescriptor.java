package io.loomcache.wal;

import java.nio.ByteOrder;

/**
 * Layout of a snapshot file: a fixed header then the body the snapshot writer produced.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                     Magic (int32, 'LMSN')                     |  0
 * +---------------------------------------------------------------+
 * |                        Version (int32)                        |  4
 * +---------------------------------------------------------------+
 * |                  Last Included Index (int64)                  |  8
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                  Last Included Term (int64)                   |  16
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                      Body Length (int64)                      |  24
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                    Body CRC32C (int32)                        |  32
 * +---------------------------------------------------------------+
 * |             Header CRC32C (int32) of bytes 0..35              |  36
 * +---------------------------------------------------------------+
 * |                     Body (body length) ...                    |  40
 * +---------------------------------------------------------------+
 * </pre>
 * A file is valid when magic, version and both CRCs match and the file is exactly header plus body long. Files are
 * named by the last included index, zero padded to 20 digits: {@code 00000000000000001000.snapshot}.
 */
public final class SnapshotDescriptor {
    /** Byte order of every header field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Value of the magic field: the ASCII bytes "LMSN" read little-endian. */
    public static final int MAGIC = 0x4E53_4D4C;
    /** Format version written by this code. */
    public static final int VERSION = 1;
    /** File name suffix of snapshot files. */
    public static final String FILE_SUFFIX = ".snapshot";

    /** Offset of the magic (int32). */
    public static final int MAGIC_OFFSET = 0;
    /** Size in bytes of the magic field. */
    public static final int MAGIC_LENGTH = Integer.BYTES;
    /** Offset of the format version (int32). */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
    /** Size in bytes of the version field. */
    public static final int VERSION_LENGTH = Integer.BYTES;
    /** Offset of the index of the last log record the snapshot includes (int64). */
    public static final int LAST_INCLUDED_INDEX_OFFSET = VERSION_OFFSET + VERSION_LENGTH;
    /** Size in bytes of the last included index field. */
    public static final int LAST_INCLUDED_INDEX_LENGTH = Long.BYTES;
    /** Offset of the term of that record (int64). */
    public static final int LAST_INCLUDED_TERM_OFFSET = LAST_INCLUDED_INDEX_OFFSET + LAST_INCLUDED_INDEX_LENGTH;
    /** Size in bytes of the last included term field. */
    public static final int LAST_INCLUDED_TERM_LENGTH = Long.BYTES;
    /** Offset of the body length in bytes (int64). */
    public static final int BODY_LENGTH_OFFSET = LAST_INCLUDED_TERM_OFFSET + LAST_INCLUDED_TERM_LENGTH;
    /** Size in bytes of the body length field. */
    public static final int BODY_LENGTH_FIELD_LENGTH = Long.BYTES;
    /** Offset of the CRC32C of the body (int32). */
    public static final int BODY_CRC_OFFSET = BODY_LENGTH_OFFSET + BODY_LENGTH_FIELD_LENGTH;
    /** Size in bytes of the body CRC field. */
    public static final int BODY_CRC_LENGTH = Integer.BYTES;
    /** Offset of the CRC32C of the header bytes before it (int32). */
    public static final int HEADER_CRC_OFFSET = BODY_CRC_OFFSET + BODY_CRC_LENGTH;
    /** Size in bytes of the header CRC field. */
    public static final int HEADER_CRC_LENGTH = Integer.BYTES;
    /** Length of the header; the body starts here. */
    public static final int HEADER_LENGTH = HEADER_CRC_OFFSET + HEADER_CRC_LENGTH;

    private SnapshotDescriptor() {
    }
}
