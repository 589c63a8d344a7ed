package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalIntegerTest {
    private static final long SEED = Long.getLong("decimal.seed", 0x5EEDL);

    private final DecimalInteger decimal = new DecimalInteger();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

    private boolean parse(final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        buffer.putBytes(3, bytes);
        return decimal.parse(buffer, 3, bytes.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-1", "10", "-10", "9223372036854775807", "-9223372036854775808",
        "1000000000000000000", "-1000000000000000000", "42"})
    void shouldReadWhatRedisString2llReads(final String text) {
        assertTrue(parse(text), text);
        assertEquals(Long.parseLong(text), decimal.value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", "+0", "-0", "00", "01", "-01", " 1", "1 ", "1a", "a1", "1.0", "1e3",
        "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "99999999999999999999", "-99999999999999999999", "123456789012345678901", "\u00001", "1\u0000"})
    void shouldRefuseWhatRedisString2llRefuses(final String text) {
        assertFalse(parse(text), text);
    }

    @Test
    void shouldWriteWhatItReadsForEveryLength() {
        final Random random = new Random(SEED);
        final long[] edges = {0, 1, -1, 9, 10, -9, -10, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
            Long.MIN_VALUE + 1};
        for (int i = 0; i < 10_000; i++) {
            final long value = i < edges.length ? edges[i] : random.nextLong() >> random.nextInt(64);
            final String expected = Long.toString(value);
            assertEquals(expected.length(), DecimalInteger.length(value), "seed " + SEED + ": " + value);
            assertEquals(expected.length(), DecimalInteger.write(value, buffer, 5));
            assertEquals(expected, buffer.getStringWithoutLengthAscii(5, expected.length()), "seed " + SEED);
            assertTrue(decimal.parse(buffer, 5, expected.length()), expected);
            assertEquals(value, decimal.value());
        }
    }
}
