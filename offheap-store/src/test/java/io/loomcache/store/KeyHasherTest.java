package io.loomcache.store;

import java.nio.ByteBuffer;

import io.loomcache.testkit.gen.Property;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyHasherTest {
    @Test
    void shouldHashSameBytesAlikeInAnyBufferAtAnyOffset() {
        Property.forAll(500, g -> sameBytesAnyBuffer(g.bytes(100), g.ints(0, 9)));
    }

    private static void sameBytesAnyBuffer(final byte[] bytes, final int offset) {
        final UnsafeBuffer heap = new UnsafeBuffer(bytes);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length + offset));
        direct.putBytes(offset, bytes);
        final ExpandableArrayBuffer expandable = new ExpandableArrayBuffer(8);
        expandable.putBytes(offset, bytes);

        final long hash = KeyHasher.hash(heap, 0, bytes.length);
        assertEquals(hash, KeyHasher.hash(direct, offset, bytes.length));
        assertEquals(hash, KeyHasher.hash(expandable, offset, bytes.length));
    }

    @Test
    void shouldChangeAboutHalfTheBitsWhenOneInputBitFlips() {
        Property.forAll(500, g -> oneBitFlipped(g.bytes(1, 40), g.ints(0, 319)));
    }

    private static void oneBitFlipped(final byte[] bytes, final int bit) {
        final int flipped = bit % (bytes.length * 8);
        final long before = KeyHasher.hash(new UnsafeBuffer(bytes), 0, bytes.length);
        bytes[flipped / 8] ^= (byte)(1 << (flipped % 8));
        final long after = KeyHasher.hash(new UnsafeBuffer(bytes), 0, bytes.length);

        final int changed = Long.bitCount(before ^ after);
        assertTrue(changed >= 12 && changed <= 52, "changed bits " + changed);
    }

    @Test
    void shouldTellApartPrefixesAndZeroPadding() {
        final UnsafeBuffer zeros = new UnsafeBuffer(new byte[16]);
        long previous = KeyHasher.hash(zeros, 0, 0);
        for (int length = 1; length <= 16; length++) {
            final long hash = KeyHasher.hash(zeros, 0, length);
            assertTrue(hash != previous, "length " + length);
            previous = hash;
        }
    }

    @Test
    void shouldSpreadSequentialKeysEvenlyOverHomeSlots() {
        final int slots = 1024;
        final int keys = 64 * slots;
        final int[] counts = new int[slots];
        final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        for (int i = 0; i < keys; i++) {
            key.putLong(0, i);
            counts[KeyHasher.indexHash(key, 0, 8) & (slots - 1)]++;
        }

        double chiSquare = 0;
        for (final int count : counts) {
            chiSquare += (count - 64.0) * (count - 64.0) / 64.0;
        }
        assertTrue(chiSquare < slots + 6 * Math.sqrt(2.0 * slots), "chi-square " + chiSquare);
    }
}
