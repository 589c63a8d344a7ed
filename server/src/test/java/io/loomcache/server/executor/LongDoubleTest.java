package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Redis's INCRBYFLOAT arithmetic: x87 long double rounding (64-bit significand) and {@code %.17Lf} printing. The
 * expected texts are what Redis 7 answers on x86-64 (checked against a real redis-server in RespDifferentialTest).
 */
class LongDoubleTest {
    private static LongDouble.Parsed parse(final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return LongDouble.parse(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static String add(final String a, final String b) {
        return LongDouble.format(LongDouble.round(parse(a).value().add(parse(b).value())));
    }

    @ParameterizedTest
    @CsvSource({"10.50, 0.1, 10.6", "5.0e3, 2.0e2, 5200", "3, 1.5, 4.5", "-3.25, 3.25, 0", "0.1, 0.2, 0.3",
        "1, -0.9, 0.1"})
    void shouldAddAndPrintAsRedisDoes(final String value, final String increment, final String expected) {
        assertEquals(expected, add(value, increment));
    }

    @Test
    void shouldKeepLongDoublePrecisionNotDecimalPrecision() {
        // near 1e10 (2^33) a 64-bit significand steps by 2^-30: the sum is 10^10 + 107374182 x 2^-30, which Redis
        // prints with 17 decimals where decimal arithmetic would print 10000000000.1
        assertEquals("10000000000.09999999962747097", add("10000000000", "0.1"));
    }

    @ParameterizedTest
    @CsvSource({"abc", "' 1'", "'1 '", "1e", "1e+", "'.'", "nan", "0x10", "1e5000", "1e-5000", "''", "--1", "1..2"})
    void shouldRefuseWhatRedisRefuses(final String text) {
        assertEquals(LongDouble.Kind.INVALID, parse(text).kind(), text);
    }

    @Test
    void shouldReadInfinityAndOverflowToInfinity() {
        assertEquals(LongDouble.Kind.INFINITE, parse("inf").kind());
        assertEquals(LongDouble.Kind.INFINITE, parse("-Infinity").kind());
        assertSame(LongDouble.INFINITE, LongDouble.round(new BigDecimal("1e4933")));
        assertEquals(LongDouble.Kind.FINITE, parse("1e4931").kind());
        assertEquals("0.5", LongDouble.format(parse(".5").value()));
        assertEquals("5", LongDouble.format(parse("5.").value()));
        assertEquals("1", LongDouble.format(parse("+1").value()));
    }
}
