package io.loomcache.server.executor;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Reads and writes a stored value as a signed 64-bit base-10 integer, exactly as Redis's {@code string2ll} reads one
 * and INCRBY writes one: an optional '-', then "0" alone or a digit 1-9 followed by digits; no '+', no leading zero,
 * no "-0", no spaces, at most {@link #MAX_LENGTH} bytes, within the int64 range. Owned by one thread (the parsed
 * value is kept in a field); allocation-free.
 */
final class DecimalInteger {
    /** The longest text accepted and written: "-9223372036854775808". */
    static final int MAX_LENGTH = 20;

    private static final long UNSIGNED_MAX_DIV_10 = Long.divideUnsigned(-1L, 10);
    private static final long MIN_VALUE_MAGNITUDE = Long.MIN_VALUE;

    private long value;

    /**
     * The value the last successful {@link #parse} read.
     *
     * @return the int64.
     */
    long value() {
        return value;
    }

    /**
     * Parses a range of bytes as Redis's {@code string2ll} does.
     *
     * @param buffer holding the text.
     * @param offset of the first byte.
     * @param length bytes of text.
     * @return true when the whole range is an int64 (then {@link #value()} holds it), false otherwise.
     */
    boolean parse(final DirectBuffer buffer, final int offset, final int length) {
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        if (length == 1 && buffer.getByte(offset) == '0') {
            value = 0;
            return true;
        }
        final int end = offset + length;
        int index = offset;
        final boolean negative = buffer.getByte(index) == '-';
        if (negative && ++index == end) {
            return false;
        }
        final byte first = buffer.getByte(index);
        if (first < '1' || first > '9') {
            return false;
        }
        // accumulated unsigned, as string2ll does, so that the magnitude of Long.MIN_VALUE fits
        long magnitude = first - '0';
        for (index++; index < end; index++) {
            final byte digit = buffer.getByte(index);
            if (digit < '0' || digit > '9' || Long.compareUnsigned(magnitude, UNSIGNED_MAX_DIV_10) > 0) {
                return false;
            }
            magnitude *= 10;
            if (Long.compareUnsigned(magnitude, -1L - (digit - '0')) > 0) {
                return false;
            }
            magnitude += digit - '0';
        }
        if (negative) {
            if (Long.compareUnsigned(magnitude, MIN_VALUE_MAGNITUDE) > 0) {
                return false;
            }
            value = -magnitude;
            return true;
        }
        if (magnitude < 0) {
            return false;
        }
        value = magnitude;
        return true;
    }

    /**
     * The number of bytes {@link #write} takes for a value.
     *
     * @param value any int64.
     * @return 1 to {@link #MAX_LENGTH}.
     */
    static int length(final long value) {
        if (value == Long.MIN_VALUE) {
            return MAX_LENGTH;
        }
        long magnitude = value < 0 ? -value : value;
        int digits = 1;
        while (magnitude >= 10) {
            magnitude /= 10;
            digits++;
        }
        return value < 0 ? digits + 1 : digits;
    }

    /**
     * Writes a value as decimal ASCII, '-' first when negative.
     *
     * @param value any int64.
     * @param buffer the destination, with {@link #length(long)} bytes of room at the offset.
     * @param offset of the first byte.
     * @return the bytes written.
     */
    static int write(final long value, final MutableDirectBuffer buffer, final int offset) {
        final int length = length(value);
        long rest = value;
        for (int index = offset + length - 1; index >= offset; index--) {
            final long digit = rest % 10;
            buffer.putByte(index, (byte)('0' + (digit < 0 ? -digit : digit)));
            rest /= 10;
            if (rest == 0) {
                if (value < 0) {
                    buffer.putByte(index - 1, (byte)'-');
                }
                break;
            }
        }
        return length;
    }
}
