package io.loomcache.protocol;

/**
 * Layout of map request bodies (after the {@link FrameHeaderDescriptor header}). Fixed fields come first, then the
 * {@link VarDataDescriptor variable-length fields}; each field after the map id is present only for the opcodes
 * listed beside it, always in this order; fields of a later version would follow the last one.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                         Map Id (int32)                        |  every map opcode
 * +---------------------------------------------------------------+
 * |                          TTL ms (int64)                       |  PUT, PUT_IF_ABSENT, EXPIRE
 * |                                                               |
 * +---------------------------------------------------------------+
 * |            Key Length (int32)            |  Key ...           |  all but SIZE, CLEAR
 * +---------------------------------------------------------------+
 * |          Expected Length (int32)         |  Expected ...      |  REPLACE
 * +---------------------------------------------------------------+
 * |           Value Length (int32)           |  Value ...         |  PUT, PUT_IF_ABSENT, REPLACE
 * +---------------------------------------------------------------+
 * </pre>
 * TTL is in milliseconds, 0 means no TTL, negative is invalid.
 */
public final class MapRequestDescriptor {
    /** Offset of the map id, relative to the body. */
    public static final int MAP_ID_OFFSET = 0;
    /** Size in bytes of the map id. */
    public static final int MAP_ID_LENGTH = Integer.BYTES;
    /** Offset of the TTL in ms, relative to the body, when present. */
    public static final int TTL_MS_OFFSET = MAP_ID_OFFSET + MAP_ID_LENGTH;
    /** Size in bytes of the TTL. */
    public static final int TTL_MS_LENGTH = Long.BYTES;

    /** Field bit: the body has a TTL. */
    public static final int FIELD_TTL = 1;
    /** Field bit: the body has a key. */
    public static final int FIELD_KEY = 2;
    /** Field bit: the body has an expected value. */
    public static final int FIELD_EXPECTED = 4;
    /** Field bit: the body has a value. */
    public static final int FIELD_VALUE = 8;
    /** Returned by {@link #fields(int)} for an opcode that is not a map opcode. */
    public static final int NOT_A_MAP_OPCODE = -1;

    private MapRequestDescriptor() {
    }

    /**
     * The fields a map opcode's body carries, in layout order from the lowest bit.
     *
     * @param opcode the opcode.
     * @return a mask of {@code FIELD_*} bits, or {@link #NOT_A_MAP_OPCODE}.
     */
    public static int fields(final int opcode) {
        return switch (opcode) {
            case Opcodes.MAP_PUT, Opcodes.MAP_PUT_IF_ABSENT -> FIELD_TTL | FIELD_KEY | FIELD_VALUE;
            case Opcodes.MAP_GET, Opcodes.MAP_REMOVE, Opcodes.MAP_CONTAINS_KEY, Opcodes.MAP_TTL,
                Opcodes.MAP_CLEAR_GROUP -> FIELD_KEY;
            case Opcodes.MAP_REPLACE -> FIELD_KEY | FIELD_EXPECTED | FIELD_VALUE;
            case Opcodes.MAP_SIZE, Opcodes.MAP_CLEAR -> 0;
            case Opcodes.MAP_EXPIRE -> FIELD_TTL | FIELD_KEY;
            default -> NOT_A_MAP_OPCODE;
        };
    }

    /**
     * Tells whether an opcode is a map request.
     *
     * @param opcode the opcode.
     * @return true for the MAP_* opcodes.
     */
    public static boolean isMapOpcode(final int opcode) {
        return fields(opcode) != NOT_A_MAP_OPCODE;
    }

    /**
     * The offset of the first variable-length field, relative to the body.
     *
     * @param fields the opcode's {@code FIELD_*} mask.
     * @return the length of the fixed fields.
     */
    public static int varDataOffset(final int fields) {
        return (fields & FIELD_TTL) != 0 ? TTL_MS_OFFSET + TTL_MS_LENGTH : MAP_ID_OFFSET + MAP_ID_LENGTH;
    }

    /**
     * The body length of a map opcode with empty key, expected and value: fixed fields plus length prefixes.
     *
     * @param opcode the opcode.
     * @return the minimum body length in bytes, or -1 for an opcode that is not a map opcode.
     */
    public static int minBodyLength(final int opcode) {
        final int fields = fields(opcode);
        if (fields == NOT_A_MAP_OPCODE) {
            return -1;
        }
        return varDataOffset(fields) + Integer.bitCount(fields & ~FIELD_TTL) * VarDataDescriptor.LENGTH_FIELD_LENGTH;
    }

    /**
     * The whole frame length of a map request, to size or claim a buffer before encoding.
     *
     * @param opcode a map opcode.
     * @param keyLength the key length (ignored when the opcode has no key).
     * @param expectedLength the expected value length (ignored unless MAP_REPLACE).
     * @param valueLength the value length (ignored when the opcode has no value).
     * @return header plus body in bytes, as a long so that it cannot overflow; -1 for a non-map opcode.
     */
    public static long frameLength(
        final int opcode, final int keyLength, final int expectedLength, final int valueLength) {
        final int fields = fields(opcode);
        if (fields == NOT_A_MAP_OPCODE) {
            return -1;
        }
        long length = (long)FrameHeaderDescriptor.HEADER_LENGTH + minBodyLength(opcode);
        length += (fields & FIELD_KEY) != 0 ? keyLength : 0;
        length += (fields & FIELD_EXPECTED) != 0 ? expectedLength : 0;
        length += (fields & FIELD_VALUE) != 0 ? valueLength : 0;
        return length;
    }
}
