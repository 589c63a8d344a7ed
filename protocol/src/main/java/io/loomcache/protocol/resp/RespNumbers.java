package io.loomcache.protocol.resp;

import org.agrona.DirectBuffer;

/**
 * The strict decimal numbers of RESP and of Redis's string commands, read straight from a buffer: what Redis's
 * {@code string2ll} accepts (an optional '-', then digits; no '+', no blanks, no leading zero except "0" itself, no
 * "-0", at most 20 characters, within a signed 64-bit integer) and nothing else. Allocation-free.
 */
public final class RespNumbers {
    /** The most characters of a signed 64-bit integer in decimal. */
    public static final int MAX_LONG_CHARS = 20;

    private RespNumbers() {
    }

    /**
     * Parses a signed 64-bit decimal integer as Redis's {@code string2ll} does.
     *
     * @param buffer the bytes.
     * @param offset the first character.
     * @param length characters.
     * @param invalid returned when the text is not such an integer.
     * @return the value, or {@code invalid}.
     */
    public static long parseLong(final DirectBuffer buffer, final int offset, final int length, final long invalid) {
        if (length <= 0 || length > MAX_LONG_CHARS) {
            return invalid;
        }
        int position = offset;
        final int end = offset + length;
        final boolean negative = buffer.getByte(position) == '-';
        if (negative) {
            position++;
            if (position == end) {
                return invalid;
            }
        }
        final byte first = buffer.getByte(position);
        if (first == '0') {
            return position + 1 == end && !negative ? 0 : invalid;
        }
        // accumulate negatively: Long.MIN_VALUE has no positive counterpart
        long value = 0;
        for (; position < end; position++) {
            final int digit = buffer.getByte(position) - '0';
            if (digit < 0 || digit > 9) {
                return invalid;
            }
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return invalid;
            }
            value = value * 10 - digit;
        }
        if (negative) {
            return value;
        }
        return value == Long.MIN_VALUE ? invalid : -value;
    }

    /**
     * The characters of a number in decimal, its sign included.
     *
     * @param value the number.
     * @return 1 to 20.
     */
    public static int digits(final long value) {
        if (value == Long.MIN_VALUE) {
            return MAX_LONG_CHARS;
        }
        long magnitude = Math.abs(value);
        int count = value < 0 ? 2 : 1;
        while (magnitude >= 10) {
            magnitude /= 10;
            count++;
        }
        return count;
    }

    /**
     * The characters of an unsigned 64-bit number in decimal.
     *
     * @param value the number, read as unsigned.
     * @return 1 to 20.
     */
    public static int digitsUnsigned(final long value) {
        if (value >= 0) {
            return digits(value);
        }
        // 10^19 as an unsigned 64-bit number
        return Long.compareUnsigned(value, 0x8AC7_2304_89E8_0000L) >= 0 ? MAX_LONG_CHARS : MAX_LONG_CHARS - 1;
    }

    /**
     * Whether {@code length} bytes at {@code offset} are, ignoring ASCII case, the given upper-case ASCII name.
     *
     * @param buffer the bytes.
     * @param offset the first byte.
     * @param length bytes.
     * @param upperName the name in upper case.
     * @return true on a match.
     */
    public static boolean equalsIgnoreCase(
        final DirectBuffer buffer, final int offset, final int length, final byte[] upperName) {
        if (length != upperName.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (upper(buffer.getByte(offset + i)) != upperName[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * ASCII upper case of one byte.
     *
     * @param b the byte.
     * @return 'A'..'Z' for 'a'..'z', else {@code b}.
     */
    public static byte upper(final byte b) {
        return b >= 'a' && b <= 'z' ? (byte)(b - ('a' - 'A')) : b;
    }
}
