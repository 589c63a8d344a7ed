package io.loomcache.testkit.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PropertyTest {
    @Test
    void shouldDrawTheSameValuesFromTheSameSeed() {
        final Gen first = new Gen(42);
        final Gen second = new Gen(42);
        for (int i = 0; i < 100; i++) {
            assertEquals(first.anyLong(), second.anyLong());
            assertArrayEquals(first.bytes(50), second.bytes(50));
        }
    }

    @Test
    void shouldDrawEveryBoundaryOfARangeAndOfALength() {
        final Gen gen = new Gen(7);
        final Set<Long> values = new HashSet<>();
        final Set<Integer> lengths = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            values.add(gen.longs(Long.MIN_VALUE, Long.MAX_VALUE));
            lengths.add(gen.bytes(300).length);
        }
        assertTrue(values.containsAll(Set.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, Long.MAX_VALUE)));
        assertTrue(lengths.containsAll(Set.of(0, 1, 299, 300)));
    }

    @Test
    void shouldNameTheFailingSeedShrinkItsSizeAndReplayIt() {
        final AssertionError error = assertThrows(AssertionError.class,
            () -> Property.forAll(100, g -> assertTrue(g.bytes(1000).length <= 10)));
        assertTrue(error.getMessage().matches("(?s)seed (-?\\d+) \\(try \\d+ of 100, size 16\\): .*"
            + "-Dtest=PropertyTest#shouldNameTheFailingSeedShrinkItsSizeAndReplayIt .*-Dloomcache.size=16"),
            error.getMessage());
        final long seed = Long.parseLong(error.getMessage().split(" ")[1]);
        assertTrue(new Gen(seed, 16).bytes(1000).length > 10, "the seed and size replay the failure");
    }
}
