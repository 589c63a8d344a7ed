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
     * value, each from offset 0 of its buffer ({@link MapRequestEncoder#ttlMsIfCarried} and
     * {@link MapRequestEncoder#carriedFields}).
     *
     * @param encoder an encoder on which {@code request} was just called.
     * @param opcode the opcode given to {@code request} (the encoder already knows which fields it carries).
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
        return encoder.ttlMsIfCarried(ttlMs)
            .carriedFields(key, 0, keyLength, expected, 0, expectedLength, value, 0, valueLength);
    }
}
