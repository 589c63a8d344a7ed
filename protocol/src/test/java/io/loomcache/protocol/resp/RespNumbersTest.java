package io.loomcache.protocol.resp;

import static io.loomcache.protocol.resp.RespConnection.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** {@link RespNumbers} against Redis's {@code string2ll} and the decimal digits of every magnitude. */
class RespNumbersTest {
    private static final long INVALID = 42_4242L;

    private static long parse(final String text) {
        final byte[] bytes = ascii("xx" + text + "yy");
        return RespNumbers.parseLong(new UnsafeBuffer(bytes), 2, text.length(), INVALID);
    }

    @Test
    void shouldParseWhatString2llAccepts() {
        assertEquals(0, parse("0"));
        assertEquals(1, parse("1"));
        assertEquals(-1, parse("-1"));
        assertEquals(1234567890L, parse("1234567890"));
        assertEquals(-100, parse("-100"));
        assertEquals(Long.MAX_VALUE, parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, parse("-9223372036854775808"));
        assertEquals(Long.MIN_VALUE + 1, parse("-9223372036854775807"));
    }

    @Test
    void shouldRefuseWhatString2llRefuses() {
        for (final String text : List.of("", "-", "+1", "01", "00", "-0", "-01", " 1", "1 ", "1\r", "1a", "a",
            "1.0", "1e3", "--1", "0x10", "\u00001")) {
            assertEquals(INVALID, parse(text), () -> "'" + text + "'");
        }
    }

    @Test
    void shouldRefuseValuesOutsideALongIncludingTwentyCharacterOverflow() {
        assertEquals(INVALID, parse("9223372036854775808"));
        assertEquals(INVALID, parse("-9223372036854775809"));
        assertEquals(INVALID, parse("99999999999999999999"));
        assertEquals(INVALID, parse("-99999999999999999999"));
        assertEquals(INVALID, parse("18446744073709551616"));
        assertEquals(INVALID, parse("10000000000000000000"));
    }

    @Test
    void shouldRefuseMoreThanTwentyCharactersEvenWhenTheValueFits() {
        assertEquals(20, "-9223372036854775808".length());
        assertEquals(INVALID, parse("123456789012345678901"));
        final byte[] bytes = ascii("1234567890123456789012345");
        assertEquals(INVALID, RespNumbers.parseLong(new UnsafeBuffer(bytes), 0, 21, INVALID));
        assertEquals(INVALID, RespNumbers.parseLong(new UnsafeBuffer(bytes), 0, 0, INVALID));
        assertEquals(INVALID, RespNumbers.parseLong(new UnsafeBuffer(bytes), 0, -1, INVALID));
    }

    @Test
    void shouldCountTheCharactersOfEveryPowerOfTenAndItsNeighbours() {
        long power = 1;
        for (int digits = 1; digits <= 19; digits++) {
            assertEquals(digits, RespNumbers.digits(power), Long.toString(power));
            assertEquals(digits + 1, RespNumbers.digits(-power), Long.toString(-power));
            if (power > 1) {
                assertEquals(digits - 1, RespNumbers.digits(power - 1), Long.toString(power - 1));
                assertEquals(digits, RespNumbers.digits(-(power - 1)), Long.toString(-(power - 1)));
            }
            power = digits < 19 ? power * 10 : power;
        }
        assertEquals(1, RespNumbers.digits(0));
        assertEquals(19, RespNumbers.digits(Long.MAX_VALUE));
        assertEquals(20, RespNumbers.digits(Long.MIN_VALUE));
        assertEquals(20, RespNumbers.digits(Long.MIN_VALUE + 1));
        for (final long value : new long[] {7, -7, 99, -99, 123_456_789_012L, Long.MAX_VALUE / 3}) {
            assertEquals(Long.toString(value).length(), RespNumbers.digits(value), Long.toString(value));
        }
    }

    @Test
    void shouldMatchNamesIgnoringAsciiCaseOnly() {
        final byte[] name = ascii("GET");
        assertTrue(RespNumbers.equalsIgnoreCase(new UnsafeBuffer(ascii("xgEt")), 1, 3, name));
        assertTrue(RespNumbers.equalsIgnoreCase(new UnsafeBuffer(ascii("GET")), 0, 3, name));
        assertFalse(RespNumbers.equalsIgnoreCase(new UnsafeBuffer(ascii("GETX")), 0, 4, name));
        assertFalse(RespNumbers.equalsIgnoreCase(new UnsafeBuffer(ascii("GE")), 0, 2, name));
        assertFalse(RespNumbers.equalsIgnoreCase(new UnsafeBuffer(new byte[] {'G', 'E', (byte)('T' + 128)}), 0, 3,
            name));
        assertEquals('A', RespNumbers.upper((byte)'a'));
        assertEquals('Z', RespNumbers.upper((byte)'z'));
        assertEquals('@', RespNumbers.upper((byte)'@'));
        assertEquals('{', RespNumbers.upper((byte)'{'));
        assertEquals((byte)0xE9, RespNumbers.upper((byte)0xE9));
    }
}
