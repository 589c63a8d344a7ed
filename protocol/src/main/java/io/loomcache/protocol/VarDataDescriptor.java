package io.loomcache.protocol;

/**
 * Layout of every variable-length field (key, value, expected value, client name, error message, address):
 * an int32 length, then exactly that many bytes, no padding.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                         Length (int32)                        |  0
 * +---------------------------------------------------------------+
 * |                      Data ... (Length bytes)                  |  4
 * </pre>
 * A decoder checks the length is non-negative, at most the configured maximum and inside the frame before it
 * exposes the bytes as an (offset, length) view.
 */
public final class VarDataDescriptor {
    /** Offset of the length prefix, relative to the field. */
    public static final int LENGTH_OFFSET = 0;
    /** Size in bytes of the length prefix. */
    public static final int LENGTH_FIELD_LENGTH = Integer.BYTES;
    /** Offset of the first data byte, relative to the field. */
    public static final int DATA_OFFSET = LENGTH_OFFSET + LENGTH_FIELD_LENGTH;

    private VarDataDescriptor() {
    }

    /**
     * Computes the bytes a field of the given data length occupies.
     *
     * @param dataLength the data length in bytes.
     * @return prefix plus data, in bytes.
     */
    public static int encodedLength(final int dataLength) {
        return DATA_OFFSET + dataLength;
    }
}
