package io.loomcache.protocol;

import org.agrona.DirectBuffer;

/**
 * Test helper, published in the protocol's test-jar: writes any map request's fields with one call, as the fields
 * its opcode carries say, ignoring the others.
 */
public final class MapRequests {
    private MapRequests() {
    }

    /**
     * Writes, after {@link MapRequestEncoder#request}, the fields the opcode carries: TTL, key, expected value and
     * value, each from offset 0 of its buffer.
     *
     * @param encoder an encoder on which {@code request} was just called.
     * @param opcode the opcode given to {@code request}.
     * @param ttlMs the TTL, written when carried.
     * @param key the key bytes (may be null when the opcode has no key).
     * @param keyLength the key length.
     * @param expected the expected value (may be null unless MAP_REPLACE).
     * @param expectedLength the expected value length.
     * @param value the value (may be null when the opcode has no value).
     * @param valueLength the value length.
     * @return the encoder's {@link MapRequestEncoder#frameLength()}.
     */
    public static int encodeFields(
        final MapRequestEncoder encoder,
        final int opcode,
        final long ttlMs,
        final DirectBuffer key,
        final int keyLength,
        final DirectBuffer expected,
        final int expectedLength,
        final DirectBuffer value,
        final int valueLength) {
        final int fields = MapRequestDescriptor.fields(opcode);
        if ((fields & MapRequestDescriptor.FIELD_TTL) != 0) {
            encoder.ttlMs(ttlMs);
        }
        if ((fields & MapRequestDescriptor.FIELD_KEY) != 0) {
            encoder.key(key, 0, keyLength);
        }
        if ((fields & MapRequestDescriptor.FIELD_EXPECTED) != 0) {
            encoder.expected(expected, 0, expectedLength);
        }
        if ((fields & MapRequestDescriptor.FIELD_VALUE) != 0) {
            encoder.value(value, 0, valueLength);
        }
        return encoder.frameLength();
    }
}
