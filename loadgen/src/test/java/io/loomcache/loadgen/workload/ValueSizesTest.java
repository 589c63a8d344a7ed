package io.loomcache.loadgen.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Value lengths: fixed, uniform in a range (ends included), a weighted list; each law by chi-square, seeded. */
class ValueSizesTest {
    private static final int DRAWS = 500_000;

    @Test
    void shouldDrawEveryLengthOfARangeEquallyOften() {
        final ValueSizes sizes = ValueSizes.parse("10-19", 1 << 20);
        assertFalse(sizes.isFixed());
        assertEquals(19, sizes.max());
        final long[] counts = new long[20];
        final SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < DRAWS; i++) {
            counts[sizes.next(random)]++;
        }
        double chiSquare = 0;
        for (int size = 10; size < 20; size++) {
            final double expected = DRAWS / 10.0;
            chiSquare += (counts[size] - expected) * (counts[size] - expected) / expected;
        }
        for (int size = 0; size < 10; size++) {
            assertEquals(0, counts[size]);
        }
        // the 99.99th percentile of chi-square with 9 degrees of freedom is 33.7
        assertTrue(chiSquare < 33.7, "chi-square " + chiSquare);
    }

    @Test
    void shouldDrawTheLengthsOfAListByTheirWeights() {
        final ValueSizes sizes = ValueSizes.parse("100:60, 1k:30,16k:10", 1 << 20);
        assertEquals(16 * 1024, sizes.max());
        final SplittableRandom random = new SplittableRandom(8);
        final int[] lengths = {100, 1024, 16 * 1024};
        final double[] shares = {0.6, 0.3, 0.1};
        final long[] counts = new long[3];
        for (int i = 0; i < DRAWS; i++) {
            final int size = sizes.next(random);
            for (int j = 0; j < 3; j++) {
                counts[j] += size == lengths[j] ? 1 : 0;
            }
        }
        assertEquals(DRAWS, counts[0] + counts[1] + counts[2]);
        double chiSquare = 0;
        for (int j = 0; j < 3; j++) {
            final double expected = shares[j] * DRAWS;
            chiSquare += (counts[j] - expected) * (counts[j] - expected) / expected;
        }
        // the 99.99th percentile of chi-square with 2 degrees of freedom is 18.4
        assertTrue(chiSquare < 18.4, "chi-square " + chiSquare);
    }

    @Test
    void shouldTakeAFixedSizeAndRefuseBadSpecifications() {
        final ValueSizes fixed = ValueSizes.parse("4k", 1 << 20);
        assertTrue(fixed.isFixed());
        assertEquals(4096, fixed.next(new SplittableRandom(1)));
        assertEquals("4k", fixed.describe());
        assertEquals(0, ValueSizes.parse("0", 10).max());
        assertEquals("the range 100-50 ends below its start",
            assertThrows(IllegalArgumentException.class, () -> ValueSizes.parse("100-50", 1000)).getMessage());
        assertEquals("'1k:0': the weight must be more than 0",
            assertThrows(IllegalArgumentException.class, () -> ValueSizes.parse("1k:0", 1 << 20)).getMessage());
        assertEquals("a value size must be in 0..1000 bytes, not 2k",
            assertThrows(IllegalArgumentException.class, () -> ValueSizes.parse("10-2k", 1000)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ValueSizes.parse("abc", 1000));
        assertThrows(IllegalArgumentException.class, () -> ValueSizes.parse("10:x", 1000));
    }
}
