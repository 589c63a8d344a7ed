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
 * |               TTL ms or argument (int64)                      |  PUT, PUT_IF_ABSENT, EXPIRE, GET_AND_PUT,
 * |                                                               |  PUT_IF_PRESENT; INCREMENT, SET_RANGE
 * +---------------------------------------------------------------+
 * |            Key Length (int32)            |  Key ...           |  all but SIZE, CLEAR
 * +---------------------------------------------------------------+
 * |          Expected Length (int32)         |  Expected ...      |  REPLACE
 * +---------------------------------------------------------------+
 * |           Value Length (int32)           |  Value ...         |  PUT, PUT_IF_ABSENT, REPLACE, APPEND,
 * +---------------------------------------------------------------+  GET_AND_PUT, PUT_IF_PRESENT, SET_RANGE,
 *                                                                    PUT_KEEP_TTL
 * </pre>
 * The int64 slot after the map id ({@link #FIELD_TTL}) holds the TTL in milliseconds (0 means no TTL, negative is
 * invalid) except for two opcodes that need one int64 argument: MAP_INCREMENT's delta (any int64) and MAP_SET_RANGE's
 * offset (negative is invalid); see {@link #hasTtl(int)} and {@link #isSignedArgument(int)}.
 */
public final class MapRequestDescriptor {
    /** Offset of the map id, relative to the body. */
    public static final int MAP_ID_OFFSET = 0;
    /** Size in bytes of the map id. */
    public static final int MAP_ID_LENGTH = Integer.BYTES;
    /** Offset of the TTL in ms (or the int64 argument of INCREMENT and SET_RANGE), relative to the body. */
    public static final int TTL_MS_OFFSET = MAP_ID_OFFSET + MAP_ID_LENGTH;
    /** Size in bytes of the TTL. */
    public static final int TTL_MS_LENGTH = Long.BYTES;

    /** MAP_SET_IF's argument: the bits below this shift are the TTL in ms, the option bits are above. */
    public static final int SET_IF_OPTIONS_SHIFT = 56;
    /** MAP_SET_IF option: only when the key is missing (Redis NX). */
    public static final int SET_IF_NX = 1;
    /** MAP_SET_IF option: only when the key exists (Redis XX). */
    public static final int SET_IF_XX = 2;
    /** MAP_SET_IF option: answer the previous value (Redis GET). */
    public static final int SET_IF_GET = 4;
    /** MAP_SET_IF option: keep the key's TTL (Redis KEEPTTL). */
    public static final int SET_IF_KEEPTTL = 8;
    /** MAP_RENAME option: only when the new key is missing (Redis RENAMENX). */
    public static final long RENAME_NX = 1;
    /** MAP_PUT_ALL_IF_ABSENT: bytes of each length prefix of a packed pair's key and value (int32, little-endian). */
    public static final int PAIR_LENGTH_PREFIX = Integer.BYTES;
    /** MAP_EXPIRE_IF condition: only a key without TTL (Redis NX). */
    public static final int EXPIRE_NX = 1;
    /** MAP_EXPIRE_IF condition: only a key with a TTL (Redis XX). */
    public static final int EXPIRE_XX = 2;
    /** MAP_EXPIRE_IF condition: only a later deadline than the key's (Redis GT). */
    public static final int EXPIRE_GT = 4;
    /** MAP_EXPIRE_IF condition: only an earlier deadline than the key's (Redis LT). */
    public static final int EXPIRE_LT = 8;
    /** Field bit: the body has the int64 slot, a TTL or, for INCREMENT and SET_RANGE, an argument. */
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
            case Opcodes.MAP_PUT, Opcodes.MAP_PUT_IF_ABSENT, Opcodes.MAP_GET_AND_PUT, Opcodes.MAP_PUT_IF_PRESENT,
                Opcodes.MAP_SET_RANGE -> FIELD_TTL | FIELD_KEY | FIELD_VALUE;
            case Opcodes.MAP_GET, Opcodes.MAP_REMOVE, Opcodes.MAP_CONTAINS_KEY, Opcodes.MAP_TTL,
                Opcodes.MAP_CLEAR_GROUP, Opcodes.MAP_GET_AND_REMOVE, Opcodes.MAP_PERSIST -> FIELD_KEY;
            case Opcodes.MAP_REPLACE -> FIELD_KEY | FIELD_EXPECTED | FIELD_VALUE;
            case Opcodes.MAP_SIZE, Opcodes.MAP_CLEAR -> 0;
            case Opcodes.MAP_EXPIRE, Opcodes.MAP_INCREMENT, Opcodes.MAP_GET_AND_EXPIRE -> FIELD_TTL | FIELD_KEY;
            case Opcodes.MAP_APPEND, Opcodes.MAP_PUT_KEEP_TTL, Opcodes.MAP_INCREMENT_FLOAT -> FIELD_KEY | FIELD_VALUE;
            case Opcodes.MAP_SCAN -> FIELD_TTL | FIELD_KEY;
            case Opcodes.MAP_RANDOM_KEY -> FIELD_TTL;
            case Opcodes.MAP_EXPIRE_IF, Opcodes.MAP_SET_IF, Opcodes.MAP_RENAME -> FIELD_TTL | FIELD_KEY | FIELD_VALUE;
            case Opcodes.MAP_PUT_ALL_IF_ABSENT -> FIELD_KEY | FIELD_VALUE;
            default -> NOT_A_MAP_OPCODE;
        };
    }

    /**
     * Tells whether a map opcode's int64 slot ({@link #FIELD_TTL}) is a TTL in ms rather than an argument.
     *
     * @param opcode the opcode.
     * @return true when it carries the slot and the slot is a TTL; false for MAP_INCREMENT, MAP_SET_RANGE and the
     *     opcodes without the slot.
     */
    public static boolean hasTtl(final int opcode) {
        final int fields = fields(opcode);
        return fields != NOT_A_MAP_OPCODE && (fields & FIELD_TTL) != 0 && opcode != Opcodes.MAP_INCREMENT &&
            opcode != Opcodes.MAP_SET_RANGE && opcode != Opcodes.MAP_SCAN && opcode != Opcodes.MAP_RANDOM_KEY &&
            opcode != Opcodes.MAP_EXPIRE_IF && opcode != Opcodes.MAP_SET_IF && opcode != Opcodes.MAP_RENAME &&
            opcode != Opcodes.MAP_GET_AND_EXPIRE;
    }

    /**
     * The bytes MAP_PUT_ALL_IF_ABSENT's value takes for one pair: its key and value, each after an int32 length.
     *
     * @param keyLength the key's length.
     * @param valueLength the value's length.
     * @return the packed length.
     */
    public static long packedPairsLength(final int keyLength, final int valueLength) {
        return 2L * PAIR_LENGTH_PREFIX + keyLength + valueLength;
    }

    /**
     * Tells whether a map opcode's int64 slot may hold a negative number (MAP_INCREMENT's delta); in every other
     * opcode that carries the slot a negative number is {@link ErrorCode#INVALID_ARGUMENT}.
     *
     * @param opcode the opcode.
     * @return true for MAP_INCREMENT only.
     */
    public static boolean isSignedArgument(final int opcode) {
        return opcode == Opcodes.MAP_INCREMENT;
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
