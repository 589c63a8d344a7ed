package io.loomcache.loadgen.wire;

import java.nio.charset.StandardCharsets;

import org.agrona.MutableDirectBuffer;

/**
 * The fixed-length ASCII keys of the load generator, {@code key:%012d} ({@code key:000000000042}), so that every
 * request of a kind has the same length and a template can be reused by overwriting the digits in place.
 * Stateless and thread-safe; writing a key allocates nothing.
 */
public final class KeyFormat {
    /** The key prefix. */
    public static final String PREFIX = "key:";
    /** Length of the prefix in bytes. */
    public static final int PREFIX_LENGTH = PREFIX.length();
    /** Number of decimal digits after the prefix, zero-padded. */
    public static final int DIGITS = 12;
    /** Length of every key in bytes. */
    public static final int KEY_LENGTH = PREFIX_LENGTH + DIGITS;
    /** Largest key count the format can name (keys 0 .. MAX_KEYS - 1). */
    public static final long MAX_KEYS = 1_000_000_000_000L;

    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte)('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte)('0' + i % 10);
        }
    }

    private KeyFormat() {
    }

    /**
     * Writes a whole key, prefix and digits.
     *
     * @param buffer the destination.
     * @param offset the index of the first key byte.
     * @param keyIndex the key number, 0 .. {@link #MAX_KEYS} - 1.
     */
    public static void putKey(final MutableDirectBuffer buffer, final int offset, final long keyIndex) {
        buffer.putBytes(offset, PREFIX_BYTES);
        putDigits(buffer, offset + PREFIX_LENGTH, keyIndex);
    }

    /**
     * Writes only the {@link #DIGITS} digits of a key, two at a time, over a template that holds the prefix.
     *
     * @param buffer the destination.
     * @param offset the index of the first digit.
     * @param keyIndex the key number, 0 .. {@link #MAX_KEYS} - 1.
     */
    public static void putDigits(final MutableDirectBuffer buffer, final int offset, final long keyIndex) {
        long remaining = keyIndex;
        for (int index = offset + DIGITS - 2; index >= offset; index -= 2) {
            final int pair = (int)(remaining % 100) << 1;
            remaining /= 100;
            buffer.putByte(index, DIGIT_PAIRS[pair]);
            buffer.putByte(index + 1, DIGIT_PAIRS[pair + 1]);
        }
    }

    /**
     * The key as text. Allocates: tests and tools only.
     *
     * @param keyIndex the key number.
     * @return the key, e.g. {@code key:000000000042}.
     */
    public static String keyAsString(final long keyIndex) {
        return String.format("%s%012d", PREFIX, keyIndex);
    }
}
