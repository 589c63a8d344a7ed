package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.MapRequestDescriptor.FIELD_EXPECTED;
import static io.loomcache.protocol.MapRequestDescriptor.FIELD_KEY;
import static io.loomcache.protocol.MapRequestDescriptor.FIELD_TTL;
import static io.loomcache.protocol.MapRequestDescriptor.FIELD_VALUE;
import static io.loomcache.protocol.MapRequestDescriptor.MAP_ID_OFFSET;
import static io.loomcache.protocol.MapRequestDescriptor.TTL_MS_OFFSET;
import static io.loomcache.protocol.VarDataDescriptor.DATA_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight decoder of every map request ({@link MapRequestDescriptor}): put, get, remove, putIfAbsent, replace(key,
 * expected, new), containsKey, size, clear, expire, ttl, clearGroup and the Redis read-modify-writes (increment,
 * append, getAndPut, getAndRemove, putIfPresent, persist, setRange, putKeepTtl). Keys and values stay in the buffer
 * as (offset, length) views; a field the opcode does not carry reads as empty. Validation (before any field is read):
 * every length is non-negative, inside the body and within {@link ProtocolLimits}; the int64 slot is non-negative
 * except MAP_INCREMENT's delta ({@link MapRequestDescriptor#isSignedArgument(int)}); bytes after the last field (a
 * newer client's fields) are skipped. Not thread-safe: one instance per thread; allocates nothing except the {@code
 * *AsString()} helpers (tests and tools only).
 */
public final class MapRequestDecoder extends MessageDecoder {
    private final ProtocolLimits limits;
    private int fields;
    private int mapId;
    private long argument;
    private boolean hasTtl;
    private int keyOffset;
    private int keyLength;
    private int expectedOffset;
    private int expectedLength;
    private int valueOffset;
    private int valueLength;

    /**
     * Creates a decoder enforcing the given limits.
     *
     * @param limits maximum key and value lengths.
     */
    public MapRequestDecoder(final ProtocolLimits limits) {
        this.limits = limits;
    }

    /**
     * Wraps and validates a frame; check {@link #isValid()} or {@link #decodeError()} before using the fields.
     *
     * @param buffer the buffer holding the frame.
     * @param offset the index of the frame's header.
     * @param length the frame length, header included.
     * @return this.
     */
    public MapRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length) {
        decode(buffer, offset, length);
        return this;
    }

    @Override
    protected boolean accepts(final int opcode) {
        return MapRequestDescriptor.isMapOpcode(opcode);
    }

    @Override
    protected void clearBody() {
        fields = 0;
        mapId = 0;
        argument = 0;
        hasTtl = false;
        keyOffset = 0;
        keyLength = 0;
        expectedOffset = 0;
        expectedLength = 0;
        valueOffset = 0;
        valueLength = 0;
    }

    @Override
    protected int decodeBody(final int opcode, final int bodyOffset, final int limit) {
        final DirectBuffer buffer = buffer();
        fields = MapRequestDescriptor.fields(opcode);
        mapId = buffer.getInt(bodyOffset + MAP_ID_OFFSET, BYTE_ORDER);
        argument = (fields & FIELD_TTL) != 0 ? buffer.getLong(bodyOffset + TTL_MS_OFFSET, BYTE_ORDER) : 0;
        hasTtl = MapRequestDescriptor.hasTtl(opcode);
        int index = bodyOffset + MapRequestDescriptor.varDataOffset(fields);
        if (argument < 0 && !MapRequestDescriptor.isSignedArgument(opcode)) {
            return -ErrorCode.INVALID_ARGUMENT;
        }
        if ((fields & FIELD_KEY) != 0) {
            final int length = VarData.dataLength(buffer, index, limit, limits.maxKeyLength(), ErrorCode.KEY_TOO_LONG);
            if (length < 0) {
                return length;
            }
            keyOffset = index + DATA_OFFSET;
            keyLength = length;
            index = keyOffset + length;
        }
        if ((fields & FIELD_EXPECTED) != 0) {
            final int length = VarData.dataLength(
                buffer, index, limit, limits.maxValueLength(), ErrorCode.VALUE_TOO_LONG);
            if (length < 0) {
                return length;
            }
            expectedOffset = index + DATA_OFFSET;
            expectedLength = length;
            index = expectedOffset + length;
        }
        if ((fields & FIELD_VALUE) != 0) {
            final int length = VarData.dataLength(
                buffer, index, limit, limits.maxValueLength(), ErrorCode.VALUE_TOO_LONG);
            if (length < 0) {
                return length;
            }
            valueOffset = index + DATA_OFFSET;
            valueLength = length;
            index = valueOffset + length;
        }
        return index;
    }

    /**
     * The fields this opcode carries.
     *
     * @return a mask of {@link MapRequestDescriptor} {@code FIELD_*} bits.
     */
    public int fields() {
        return fields;
    }

    /**
     * The map id.
     *
     * @return the id.
     */
    public int mapId() {
        return mapId;
    }

    /**
     * The TTL.
     *
     * @return milliseconds, 0 for none or when the opcode has no TTL (MAP_INCREMENT and MAP_SET_RANGE carry an
     *     {@link #argument()} instead).
     */
    public long ttlMs() {
        return hasTtl ? argument : 0;
    }

    /**
     * The int64 slot whatever it means: the TTL in ms, MAP_INCREMENT's delta (any sign) or MAP_SET_RANGE's offset
     * (non-negative).
     *
     * @return the slot, 0 when the opcode does not carry it.
     */
    public long argument() {
        return argument;
    }

    /**
     * Index of the first key byte in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int keyOffset() {
        return keyOffset;
    }

    /**
     * The key length.
     *
     * @return bytes, 0 when the opcode has no key.
     */
    public int keyLength() {
        return keyLength;
    }

    /**
     * Index of the first expected-value byte (MAP_REPLACE).
     *
     * @return the offset.
     */
    public int expectedOffset() {
        return expectedOffset;
    }

    /**
     * The expected-value length (MAP_REPLACE).
     *
     * @return bytes, 0 for other opcodes.
     */
    public int expectedLength() {
        return expectedLength;
    }

    /**
     * Index of the first value byte.
     *
     * @return the offset.
     */
    public int valueOffset() {
        return valueOffset;
    }

    /**
     * The value length.
     *
     * @return bytes, 0 when the opcode has no value.
     */
    public int valueLength() {
        return valueLength;
    }

    /**
     * Copies the key into a caller's buffer.
     *
     * @param dst the destination.
     * @param dstOffset the index to copy to.
     * @return the number of bytes copied.
     */
    public int getKey(final MutableDirectBuffer dst, final int dstOffset) {
        copy(keyOffset, keyLength, dst, dstOffset);
        return keyLength;
    }

    /**
     * Copies the expected value into a caller's buffer.
     *
     * @param dst the destination.
     * @param dstOffset the index to copy to.
     * @return the number of bytes copied.
     */
    public int getExpected(final MutableDirectBuffer dst, final int dstOffset) {
        copy(expectedOffset, expectedLength, dst, dstOffset);
        return expectedLength;
    }

    /**
     * Copies the value into a caller's buffer.
     *
     * @param dst the destination.
     * @param dstOffset the index to copy to.
     * @return the number of bytes copied.
     */
    public int getValue(final MutableDirectBuffer dst, final int dstOffset) {
        copy(valueOffset, valueLength, dst, dstOffset);
        return valueLength;
    }

    /**
     * The key as UTF-8 text. Allocates: tests and tools only.
     *
     * @return a new string.
     */
    public String keyAsString() {
        return string(keyOffset, keyLength);
    }

    /**
     * The value as UTF-8 text. Allocates: tests and tools only.
     *
     * @return a new string.
     */
    public String valueAsString() {
        return string(valueOffset, valueLength);
    }

    @Override
    protected void appendBody(final StringBuilder builder) {
        builder.append(" mapId=").append(mapId).append(" argument=").append(argument)
            .append(" keyLength=").append(keyLength).append(" expectedLength=").append(expectedLength)
            .append(" valueLength=").append(valueLength);
    }
}
