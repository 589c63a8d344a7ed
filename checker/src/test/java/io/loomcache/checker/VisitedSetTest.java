package io.loomcache.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VisitedSetTest {
    @Test
    void shouldRememberEveryConfigurationAcrossGrowth() {
        final VisitedSet set = new VisitedSet(2);
        final long[] bits = new long[2];
        for (int i = 0; i < 5000; i++) {
            bits[0] = i;
            bits[1] = i % 7;
            assertTrue(set.add(bits, i % 3));
        }
        for (int i = 0; i < 5000; i++) {
            bits[0] = i;
            bits[1] = i % 7;
            assertFalse(set.add(bits, i % 3));
            assertTrue(set.add(bits, History.NIL));
        }
        assertEquals(10_000, set.size());
    }

    @Test
    void shouldDistinguishSameBitsWithDifferentValueAndViceVersa() {
        final VisitedSet set = new VisitedSet(1);
        assertTrue(set.add(new long[] {0b101}, 4));
        assertTrue(set.add(new long[] {0b101}, 5));
        assertTrue(set.add(new long[] {0b100}, 4));
        assertFalse(set.add(new long[] {0b101}, 4));
        assertEquals(3, set.size());
    }
}
