package io.loomcache.wal;

import java.nio.ByteOrder;

/**
 * Layout of one record in a WAL segment file; records follow each other at {@link #ALIGNMENT}-byte boundaries.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                        CRC32C (int32)                         |  0
 * +---------------------------------------------------------------+
 * |                     Frame Length (int32)                      |  4
 * +---------------------------------------------------------------+
 * |                         Type (int32)                          |  8
 * +---------------------------------------------------------------+
 * |                   Reserved (int32, zero)                      |  12
 * +---------------------------------------------------------------+
 * |                         Term (int64)                          |  16
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                         Index (int64)                         |  24
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                  Payload (frame length - 32) ...              |  32
 * +---------------------------------------------------------------+
 * |            zero bytes up to the next multiple of 8            |
 * +---------------------------------------------------------------+
 * </pre>
 * The frame length counts header and payload but not the alignment gap. The CRC32C covers every byte from the
 * frame length up to the end of the payload (length, type, reserved, term, index, payload), so it sits first and
 * covers one contiguous range. A frame length of zero marks the end of the written part of a segment. A
 * {@link #PADDING_TYPE} record fills the rest of a sealed segment; its CRC covers its header only and its index is
 * the first index of the next segment. All fields are little-endian ({@link #BYTE_ORDER}).
 */
public final class RecordDescriptor {
    /** Byte order of every field in a segment file. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Every record starts at a multiple of this many bytes from the segment start. */
    public static final int ALIGNMENT = 8;

    /** Offset of the CRC32C (int32) of the bytes from {@link #FRAME_LENGTH_OFFSET} to the end of the payload. */
    public static final int CRC_OFFSET = 0;
    /** Size in bytes of the CRC field. */
    public static final int CRC_LENGTH = Integer.BYTES;
    /** Offset of the frame length (int32, header plus payload bytes, alignment gap excluded). */
    public static final int FRAME_LENGTH_OFFSET = CRC_OFFSET + CRC_LENGTH;
    /** Size in bytes of the frame length field. */
    public static final int FRAME_LENGTH_FIELD_LENGTH = Integer.BYTES;
    /** Offset of the record type (int32, caller-defined, never negative; negative types are reserved). */
    public static final int TYPE_OFFSET = FRAME_LENGTH_OFFSET + FRAME_LENGTH_FIELD_LENGTH;
    /** Size in bytes of the type field. */
    public static final int TYPE_LENGTH = Integer.BYTES;
    /** Offset of a reserved int32 written as zero, kept to align term and index to 8 bytes. */
    public static final int RESERVED_OFFSET = TYPE_OFFSET + TYPE_LENGTH;
    /** Size in bytes of the reserved field. */
    public static final int RESERVED_LENGTH = Integer.BYTES;
    /** Offset of the term (int64) that the caller supplies, e.g. the Raft term; 0 when unused. */
    public static final int TERM_OFFSET = RESERVED_OFFSET + RESERVED_LENGTH;
    /** Size in bytes of the term field. */
    public static final int TERM_LENGTH = Long.BYTES;
    /** Offset of the log index (int64, starting at 1, consecutive within the log). */
    public static final int INDEX_OFFSET = TERM_OFFSET + TERM_LENGTH;
    /** Size in bytes of the index field. */
    public static final int INDEX_LENGTH = Long.BYTES;
    /** Length of the record header; the payload starts here. */
    public static final int HEADER_LENGTH = INDEX_OFFSET + INDEX_LENGTH;

    /** Type of the record that fills the unused end of a sealed segment. */
    public static final int PADDING_TYPE = -1;

    private RecordDescriptor() {
    }

    /**
     * Frame length of a record carrying {@code payloadLength} bytes.
     *
     * @param payloadLength payload bytes, not negative.
     * @return header plus payload length in bytes.
     */
    public static int frameLength(final int payloadLength) {
        return HEADER_LENGTH + payloadLength;
    }

    /**
     * Bytes a record of the given frame length occupies in a segment, alignment gap included.
     *
     * @param frameLength header plus payload length in bytes.
     * @return {@code frameLength} rounded up to {@link #ALIGNMENT}.
     */
    public static int alignedLength(final int frameLength) {
        return (frameLength + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
