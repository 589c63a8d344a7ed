package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.MapRequestDescriptor.FIELD_EXPECTED;
import static io.loomcache.protocol.MapRequestDescriptor.FIELD_KEY;
import static io.loomcache.protocol.MapRequestDescriptor.FIELD_TTL;
import static io.loomcache.protocol.MapRequestDescriptor.FIELD_VALUE;
import static io.loomcache.protocol.MapRequestDescriptor.MAP_ID_LENGTH;
import static io.loomcache.protocol.MapRequestDescriptor.MAP_ID_OFFSET;
import static io.loomcache.protocol.MapRequestDescriptor.NOT_A_MAP_OPCODE;
import static io.loomcache.protocol.MapRequestDescriptor.TTL_MS_LENGTH;
import static io.loomcache.protocol.VarDataDescriptor.DATA_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of map requests ({@link MapRequestDescriptor}). Write the fields the opcode carries, in layout
 * order, then read {@link #frameLength()}:
 * {@code encoder.wrap(buffer, offset).request(MAP_PUT, correlationId, mapId).ttlMs(0).key(k, 0, kl).value(v, 0, vl)
 * .frameLength()}. The header's body length is kept current after every field. The caller sizes the buffer with
 * {@link MapRequestDescriptor#frameLength(int, int, int, int)}. A field out of order, missing or not carried by the
 * opcode is a programming error and throws {@link IllegalStateException}. A field the peer's {@link ProtocolLimits}
 * would reject is not: the encoder latches the error, writes nothing more, and {@link #frameLength()} returns minus
 * {@link ErrorCode#KEY_TOO_LONG}, {@link ErrorCode#VALUE_TOO_LONG}, {@link ErrorCode#FRAME_TOO_LONG} or
 * {@link ErrorCode#INVALID_ARGUMENT} (negative length), so a client never sends a frame the server rejects;
 * {@link #check(ProtocolLimits, int, int, int, int)} answers the same question before a buffer is claimed.
 * The int64 slot is written by {@link #ttlMs(long)} where it is a TTL and by {@link #argument(long)} for any opcode
 * that carries it (MAP_INCREMENT's delta, MAP_SET_RANGE's offset): a negative argument the decoder would refuse
 * latches {@link ErrorCode#INVALID_ARGUMENT}, since it usually comes from a user (a Redis command's offset).
 * Not thread-safe; allocates nothing.
 */
public final class MapRequestEncoder {
    private final FrameHeaderEncoder header = new FrameHeaderEncoder();
    private final int maxFrameLength;
    private final int maxKeyLength;
    private final int maxValueLength;
    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;
    private int opcode;
    private int pendingFields;
    private int errorCode;
    private int version = FrameHeaderDescriptor.PROTOCOL_VERSION;

    /**
     * Creates an encoder that keeps frames within {@link ProtocolLimits#DEFAULTS}.
     */
    public MapRequestEncoder() {
        this(ProtocolLimits.DEFAULTS);
    }

    /**
     * Creates an encoder that keeps frames within the peer's limits.
     *
     * @param limits the limits the receiving decoders enforce.
     */
    public MapRequestEncoder(final ProtocolLimits limits) {
        this.maxFrameLength = limits.maxFrameLength();
        this.maxKeyLength = limits.maxKeyLength();
        this.maxValueLength = limits.maxValueLength();
    }

    /**
     * Tells, before encoding (say, before claiming buffer space), whether a map request with these field lengths
     * passes the peer's limits: it returns {@link ErrorCode#NONE} exactly when the encoder would produce the frame.
     *
     * @param limits the limits the receiving decoders enforce.
     * @param opcode a MAP_* opcode.
     * @param keyLength the key length (ignored when the opcode has no key).
     * @param expectedLength the expected value length (ignored unless MAP_REPLACE).
     * @param valueLength the value length (ignored when the opcode has no value).
     * @return {@link ErrorCode#NONE} when it fits, else the first limit broken (lengths, key, value, then frame),
     *     or {@link ErrorCode#UNKNOWN_OPCODE} for an opcode that is not a map opcode.
     */
    public static int check(
        final ProtocolLimits limits,
        final int opcode,
        final int keyLength,
        final int expectedLength,
        final int valueLength) {
        final int fields = MapRequestDescriptor.fields(opcode);
        if (fields == NOT_A_MAP_OPCODE) {
            return ErrorCode.UNKNOWN_OPCODE;
        }
        final int key = (fields & FIELD_KEY) != 0 ? keyLength : 0;
        final int expected = (fields & FIELD_EXPECTED) != 0 ? expectedLength : 0;
        final int value = (fields & FIELD_VALUE) != 0 ? valueLength : 0;
        if (key < 0 || expected < 0 || value < 0) {
            return ErrorCode.INVALID_ARGUMENT;
        }
        if (key > limits.maxKeyLength()) {
            return ErrorCode.KEY_TOO_LONG;
        }
        if (expected > limits.maxValueLength() || value > limits.maxValueLength()) {
            return ErrorCode.VALUE_TOO_LONG;
        }
        return MapRequestDescriptor.frameLength(opcode, key, expected, value) > limits.maxFrameLength()
            ? ErrorCode.FRAME_TOO_LONG : ErrorCode.NONE;
    }

    /**
     * Sets the protocol version written into the header of every request from now on: the one HELLO negotiated.
     *
     * @param version a version within {@link FrameHeaderDescriptor#MIN_VERSION}..{@link
     *     FrameHeaderDescriptor#MAX_VERSION}; {@link FrameHeaderDescriptor#PROTOCOL_VERSION} until set.
     * @return this.
     */
    public MapRequestEncoder version(final int version) {
        this.version = version;
        return this;
    }

    /**
     * Points this encoder at the place where a frame will be written.
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public MapRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        this.limit = offset;
        this.pendingFields = 0;
        this.errorCode = ErrorCode.NONE;
        return this;
    }

    /**
     * Writes the header (flags 0) and the map id; the opcode decides which fields must follow.
     *
     * @param opcode a MAP_* opcode.
     * @param correlationId the id the response will echo.
     * @param mapId the map's id.
     * @return this.
     * @throws IllegalArgumentException when the opcode is not a map opcode.
     */
    public MapRequestEncoder request(final int opcode, final long correlationId, final int mapId) {
        final int fields = MapRequestDescriptor.fields(opcode);
        if (fields == NOT_A_MAP_OPCODE) {
            throw new IllegalArgumentException("not a map opcode: " + opcode);
        }
        this.opcode = opcode;
        pendingFields = fields;
        header.wrap(buffer, offset);
        if (HEADER_LENGTH + (long)MapRequestDescriptor.minBodyLength(opcode) > maxFrameLength) {
            errorCode = ErrorCode.FRAME_TOO_LONG;
            return this;
        }
        header.header(opcode, 0, correlationId, 0).version(version);
        buffer.putInt(offset + HEADER_LENGTH + MAP_ID_OFFSET, mapId, BYTE_ORDER);
        limit = offset + HEADER_LENGTH + MAP_ID_LENGTH;
        return updateBodyLength();
    }

    /**
     * Sets the header flags (for example {@link FrameHeaderDescriptor#FLAG_NO_REPLY}), at any point after request.
     *
     * @param flags the flag bits.
     * @return this.
     */
    public MapRequestEncoder flags(final int flags) {
        if (errorCode == ErrorCode.NONE) {
            header.flags(flags);
        }
        return this;
    }

    /**
     * Writes the TTL (MAP_PUT, MAP_PUT_IF_ABSENT, MAP_EXPIRE, MAP_GET_AND_PUT, MAP_PUT_IF_PRESENT).
     *
     * @param ttlMs time to live in milliseconds, 0 for none.
     * @return this.
     * @throws IllegalArgumentException when negative.
     * @throws IllegalStateException when the opcode's int64 slot is not a TTL (use {@link #argument(long)}).
     */
    public MapRequestEncoder ttlMs(final long ttlMs) {
        if (ttlMs < 0) {
            throw new IllegalArgumentException("negative ttlMs: " + ttlMs);
        }
        if ((pendingFields & FIELD_TTL) != 0 && !MapRequestDescriptor.hasTtl(opcode)) {
            throw new IllegalStateException(Opcodes.name(opcode) + " carries an argument, not a TTL: use argument()");
        }
        return putSlot(ttlMs);
    }

    /**
     * Writes the TTL when the opcode carries one and nothing otherwise, for callers that hold a TTL for any request.
     * An opcode whose slot is an argument (MAP_INCREMENT, MAP_SET_RANGE) is left for {@link #argument(long)}.
     *
     * @param ttlMs time to live in milliseconds, 0 for none.
     * @return this.
     * @throws IllegalArgumentException when carried and negative.
     */
    public MapRequestEncoder ttlMsIfCarried(final long ttlMs) {
        return (pendingFields & FIELD_TTL) != 0 && MapRequestDescriptor.hasTtl(opcode) ? ttlMs(ttlMs) : this;
    }

    /**
     * Writes the int64 slot as it is: MAP_INCREMENT's delta (any int64), MAP_SET_RANGE's offset, or a TTL. A negative
     * number for any opcode but MAP_INCREMENT latches {@link ErrorCode#INVALID_ARGUMENT} (the decoder refuses it).
     *
     * @param argument the delta, offset or TTL in ms.
     * @return this.
     * @throws IllegalStateException when the opcode does not carry the slot, or not at this point.
     */
    public MapRequestEncoder argument(final long argument) {
        if (argument < 0 && !MapRequestDescriptor.isSignedArgument(opcode)) {
            expect(FIELD_TTL);
            if (errorCode == ErrorCode.NONE) {
                errorCode = ErrorCode.INVALID_ARGUMENT;
            }
            return this;
        }
        return putSlot(argument);
    }

    /**
     * Writes the int64 slot when the opcode carries it and nothing otherwise, for callers that hold one number for
     * any request (a re-encoder of decoded frames passes {@link MapRequestDecoder#argument()}).
     *
     * @param argument the delta, offset or TTL in ms.
     * @return this.
     */
    public MapRequestEncoder argumentIfCarried(final long argument) {
        return (pendingFields & FIELD_TTL) != 0 ? argument(argument) : this;
    }

    /**
     * Writes the key.
     *
     * @param src the key bytes.
     * @param srcOffset the index of the first key byte.
     * @param length the key length in bytes; above {@code maxKeyLength} latches {@link ErrorCode#KEY_TOO_LONG}.
     * @return this.
     */
    public MapRequestEncoder key(final DirectBuffer src, final int srcOffset, final int length) {
        expect(FIELD_KEY);
        return putVarData(src, srcOffset, length, maxKeyLength, ErrorCode.KEY_TOO_LONG);
    }

    /**
     * Writes the expected value (MAP_REPLACE).
     *
     * @param src the expected value bytes.
     * @param srcOffset the index of the first byte.
     * @param length the length in bytes; above {@code maxValueLength} latches {@link ErrorCode#VALUE_TOO_LONG}.
     * @return this.
     */
    public MapRequestEncoder expected(final DirectBuffer src, final int srcOffset, final int length) {
        expect(FIELD_EXPECTED);
        return putVarData(src, srcOffset, length, maxValueLength, ErrorCode.VALUE_TOO_LONG);
    }

    /**
     * Writes the value (every opcode with a value field, see {@link MapRequestDescriptor}).
     *
     * @param src the value bytes.
     * @param srcOffset the index of the first byte.
     * @param length the length in bytes; above {@code maxValueLength} latches {@link ErrorCode#VALUE_TOO_LONG}.
     * @return this.
     */
    public MapRequestEncoder value(final DirectBuffer src, final int srcOffset, final int length) {
        expect(FIELD_VALUE);
        return putVarData(src, srcOffset, length, maxValueLength, ErrorCode.VALUE_TOO_LONG);
    }

    /**
     * Writes whichever of key, expected value and value the opcode still expects, in layout order, ignoring the
     * others, then returns {@link #frameLength()}. Call after {@link #request} and, when carried, the TTL.
     *
     * @param key the key bytes (may be null when the opcode has no key).
     * @param keyOffset the index of the first key byte.
     * @param keyLength the key length.
     * @param expected the expected value (may be null unless MAP_REPLACE).
     * @param expectedOffset the index of its first byte.
     * @param expectedLength its length.
     * @param value the value (may be null when the opcode has no value).
     * @param valueOffset the index of its first byte.
     * @param valueLength its length.
     * @return {@link #frameLength()}.
     */
    public int carriedFields(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer expected,
        final int expectedOffset,
        final int expectedLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength) {
        final int fields = pendingFields;
        if ((fields & FIELD_KEY) != 0) {
            key(key, keyOffset, keyLength);
        }
        if ((fields & FIELD_EXPECTED) != 0) {
            expected(expected, expectedOffset, expectedLength);
        }
        if ((fields & FIELD_VALUE) != 0) {
            value(value, valueOffset, valueLength);
        }
        return frameLength();
    }

    /**
     * The length of the encoded frame.
     *
     * @return header plus body in bytes, or minus the {@link ErrorCode} latched by a field the limits refuse (then
     *     the frame must not be sent).
     * @throws IllegalStateException when a field the opcode carries was not written.
     */
    public int frameLength() {
        if (errorCode != ErrorCode.NONE) {
            return -errorCode;
        }
        if (pendingFields != 0) {
            throw new IllegalStateException("map request is missing fields: " + pendingFields);
        }
        return limit - offset;
    }

    private MapRequestEncoder putSlot(final long slot) {
        expect(FIELD_TTL);
        if (errorCode != ErrorCode.NONE) {
            return this;
        }
        buffer.putLong(limit, slot, BYTE_ORDER);
        limit += TTL_MS_LENGTH;
        return updateBodyLength();
    }

    private MapRequestEncoder putVarData(
        final DirectBuffer src, final int srcOffset, final int length, final int maxLength, final int tooLongCode) {
        if (errorCode != ErrorCode.NONE) {
            return this;
        }
        if (length < 0) {
            errorCode = ErrorCode.INVALID_ARGUMENT;
        } else if (length > maxLength) {
            errorCode = tooLongCode;
        } else if ((long)limit - offset + DATA_OFFSET + length > maxFrameLength) {
            errorCode = ErrorCode.FRAME_TOO_LONG;
        } else {
            limit = VarData.put(buffer, limit, src, srcOffset, length);
            return updateBodyLength();
        }
        return this;
    }

    private void expect(final int field) {
        if ((pendingFields & -pendingFields) != field) {
            throw new IllegalStateException("field " + field + " out of order, pending fields: " + pendingFields);
        }
        pendingFields &= ~field;
    }

    private MapRequestEncoder updateBodyLength() {
        header.bodyLength(limit - offset - HEADER_LENGTH);
        return this;
    }
}
