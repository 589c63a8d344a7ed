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

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of map requests ({@link MapRequestDescriptor}). Write the fields the opcode carries, in layout
 * order, then read {@link #frameLength()}:
 * {@code encoder.wrap(buffer, offset).request(MAP_PUT, correlationId, mapId).ttlMs(0).key(k, 0, kl).value(v, 0, vl)
 * .frameLength()}. The header's body length is kept current after every field. The caller sizes the buffer with
 * {@link MapRequestDescriptor#frameLength(int, int, int, int)}. A field out of order, missing or not carried by the
 * opcode is a programming error and throws {@link IllegalStateException}. Not thread-safe; allocates nothing.
 */
public final class MapRequestEncoder {
    private final FrameHeaderEncoder header = new FrameHeaderEncoder();
    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;
    private int pendingFields;

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
        header.wrap(buffer, offset).header(opcode, 0, correlationId, 0);
        buffer.putInt(offset + HEADER_LENGTH + MAP_ID_OFFSET, mapId, BYTE_ORDER);
        limit = offset + HEADER_LENGTH + MAP_ID_LENGTH;
        pendingFields = fields;
        return updateBodyLength();
    }

    /**
     * Sets the header flags (for example {@link FrameHeaderDescriptor#FLAG_NO_REPLY}), at any point after request.
     *
     * @param flags the flag bits.
     * @return this.
     */
    public MapRequestEncoder flags(final int flags) {
        header.flags(flags);
        return this;
    }

    /**
     * Writes the TTL (MAP_PUT, MAP_PUT_IF_ABSENT, MAP_EXPIRE).
     *
     * @param ttlMs time to live in milliseconds, 0 for none.
     * @return this.
     * @throws IllegalArgumentException when negative.
     */
    public MapRequestEncoder ttlMs(final long ttlMs) {
        if (ttlMs < 0) {
            throw new IllegalArgumentException("negative ttlMs: " + ttlMs);
        }
        expect(FIELD_TTL);
        buffer.putLong(limit, ttlMs, BYTE_ORDER);
        limit += TTL_MS_LENGTH;
        return updateBodyLength();
    }

    /**
     * Writes the key.
     *
     * @param src the key bytes.
     * @param srcOffset the index of the first key byte.
     * @param length the key length in bytes.
     * @return this.
     */
    public MapRequestEncoder key(final DirectBuffer src, final int srcOffset, final int length) {
        expect(FIELD_KEY);
        limit = VarData.put(buffer, limit, src, srcOffset, length);
        return updateBodyLength();
    }

    /**
     * Writes the expected value (MAP_REPLACE).
     *
     * @param src the expected value bytes.
     * @param srcOffset the index of the first byte.
     * @param length the length in bytes.
     * @return this.
     */
    public MapRequestEncoder expected(final DirectBuffer src, final int srcOffset, final int length) {
        expect(FIELD_EXPECTED);
        limit = VarData.put(buffer, limit, src, srcOffset, length);
        return updateBodyLength();
    }

    /**
     * Writes the value (MAP_PUT, MAP_PUT_IF_ABSENT, MAP_REPLACE).
     *
     * @param src the value bytes.
     * @param srcOffset the index of the first byte.
     * @param length the length in bytes.
     * @return this.
     */
    public MapRequestEncoder value(final DirectBuffer src, final int srcOffset, final int length) {
        expect(FIELD_VALUE);
        limit = VarData.put(buffer, limit, src, srcOffset, length);
        return updateBodyLength();
    }

    /**
     * The length of the encoded frame.
     *
     * @return header plus body in bytes.
     * @throws IllegalStateException when a field the opcode carries was not written.
     */
    public int frameLength() {
        if (pendingFields != 0) {
            throw new IllegalStateException("map request is missing fields: " + pendingFields);
        }
        return limit - offset;
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
