package io.loomcache.loadgen.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import io.loomcache.testkit.gen.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class KeyFormatTest {
    @Test
    void shouldWriteFixedLengthZeroPaddedKeys() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[KeyFormat.KEY_LENGTH]);
        KeyFormat.putKey(buffer, 0, 42);
        assertEquals("key:000000000042", buffer.getStringWithoutLengthAscii(0, KeyFormat.KEY_LENGTH));
        KeyFormat.putKey(buffer, 0, KeyFormat.MAX_KEYS - 1);
        assertEquals("key:999999999999", buffer.getStringWithoutLengthAscii(0, KeyFormat.KEY_LENGTH));
    }

    @Test
    void putKeyShouldMatchTheFormatString() {
        Property.forAll(1000, g -> matchesTheFormatString(g.longs(0, KeyFormat.MAX_KEYS - 1)));
    }

    private static void matchesTheFormatString(final long index) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[KeyFormat.KEY_LENGTH + 2]);
        KeyFormat.putKey(buffer, 1, index);
        final byte[] bytes = new byte[KeyFormat.KEY_LENGTH];
        buffer.getBytes(1, bytes);
        assertEquals(String.format("key:%012d", index), new String(bytes, StandardCharsets.US_ASCII));
        assertEquals(KeyFormat.keyAsString(index), new String(bytes, StandardCharsets.US_ASCII));
        assertEquals(0, buffer.getByte(0));
        assertEquals(0, buffer.getByte(KeyFormat.KEY_LENGTH + 1));
    }
}
