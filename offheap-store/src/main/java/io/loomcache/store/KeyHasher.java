package io.loomcache.store;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * 64-bit hash of a byte range, read 8 bytes at a time in little-endian order so the same bytes hash alike in
 * any {@link DirectBuffer} (heap array, direct, native address). Each word is spread by a 64x64-&gt;128-bit
 * multiply folded to 64 bits and mixed into a rotating accumulator; the length seeds the accumulator and a
 * final avalanche step spreads every input bit over the result. Allocation-free; not cryptographic.
 */
public final class KeyHasher {
    private static final long SEED = 0x2545_F491_4F6C_DD1DL;
    private static final long LENGTH_MULTIPLIER = 0x9E37_79B9_7F4A_7C15L;
    private static final long WORD_SALT = 0xA076_1D64_78BD_642FL;
    private static final long WORD_MULTIPLIER = 0xE703_7ED1_A0B4_28DBL;
    private static final long ACCUMULATOR_MULTIPLIER = 0x8EBC_6AF0_9C88_C6E3L;
    private static final long AVALANCHE_MULTIPLIER_1 = 0xFF51_AFD7_ED55_8CCDL;
    private static final long AVALANCHE_MULTIPLIER_2 = 0xC4CE_B9FE_1A85_EC53L;
    private static final int ROTATION = 29;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private KeyHasher() {
    }

    /**
     * Hash a byte range.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length of the range in bytes, 0 or more.
     * @return the 64-bit hash.
     */
    public static long hash(final DirectBuffer buffer, final int offset, final int length) {
        long accumulator = SEED ^ (length * LENGTH_MULTIPLIER);
        int i = 0;
        for (final int wordLimit = length - Long.BYTES; i <= wordLimit; i += Long.BYTES) {
            accumulator = round(accumulator, buffer.getLong(offset + i, ORDER));
        }

        if (i < length) {
            long tail = 0;
            int shift = 0;
            if (length - i >= Integer.BYTES) {
                tail = buffer.getInt(offset + i, ORDER) & 0xFFFF_FFFFL;
                shift = Integer.SIZE;
                i += Integer.BYTES;
            }
            for (; i < length; i++) {
                tail |= (buffer.getByte(offset + i) & 0xFFL) << shift;
                shift += Byte.SIZE;
            }
            accumulator = round(accumulator, tail);
        }

        return avalanche(accumulator);
    }

    /**
     * The 32 bits of a hash that the index keeps: the 64-bit hash folded onto itself.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length of the range in bytes, 0 or more.
     * @return the 32-bit index hash.
     */
    public static int indexHash(final DirectBuffer buffer, final int offset, final int length) {
        final long hash = hash(buffer, offset, length);
        return (int)(hash ^ (hash >>> Integer.SIZE));
    }

    private static long round(final long accumulator, final long word) {
        final long salted = word ^ WORD_SALT;
        final long spread = salted * WORD_MULTIPLIER ^ Math.unsignedMultiplyHigh(salted, WORD_MULTIPLIER);
        return Long.rotateLeft(accumulator ^ spread, ROTATION) * ACCUMULATOR_MULTIPLIER;
    }

    private static long avalanche(final long value) {
        long h = value;
        h ^= h >>> 33;
        h *= AVALANCHE_MULTIPLIER_1;
        h ^= h >>> 33;
        h *= AVALANCHE_MULTIPLIER_2;
        h ^= h >>> 33;
        return h;
    }
}
