package io.loomcache.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.loomcache.testkit.gen.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashIndexTest {
    private static final int CAPACITY = 32;

    /**
     * Operations as ints: a non-negative value inserts a new word whose hash has that home slot (0 to 39, so
     * homes crowd the end of the table and clusters wrap around); a negative value removes the live word at
     * position {@code -value - 1} modulo the live count.
     */
    @Test
    void shouldFindEveryLiveWordAfterAnyMixOfInsertsAndBackwardShiftRemovals() {
        Property.forAll(500, g -> insertsAndRemovals(g.list(0, 200, o -> o.ints(-50, 39))));
    }

    private static void insertsAndRemovals(final List<Integer> operations) {
        try (HashIndex index = new HashIndex(CAPACITY, 0.75f)) {
            final List<Long> live = new ArrayList<>();
            final Set<Long> removed = new HashSet<>();
            int nextHandle = 1;
            for (final int operation : operations) {
                if (operation >= 0 && live.size() < index.resizeThreshold()) {
                    final int hash = (operation % 40) | (nextHandle << 8);
                    final long word = IndexDescriptor.slot(hash, nextHandle++);
                    index.insert(index.freeSlot(hash), word);
                    live.add(word);
                } else if (operation < 0 && !live.isEmpty()) {
                    final long word = live.remove((-operation - 1) % live.size());
                    index.removeAt(index.slotOf(word));
                    removed.add(word);
                }
                assertConsistent(index, live, removed);
            }

            index.resize(CAPACITY * 4);
            assertConsistent(index, live, removed);
        }
    }

    @Test
    void shouldFindOccupiedSlotsFromAnyStartAndNothingWhenEmpty() {
        try (HashIndex index = new HashIndex(16, 0.75f)) {
            assertEquals(-1, index.occupiedSlotFrom(5));
            index.insert(index.freeSlot(15), IndexDescriptor.slot(15, 1));
            index.insert(index.freeSlot(15), IndexDescriptor.slot(15, 2));

            assertEquals(15, index.occupiedSlotFrom(3));
            assertEquals(0, index.occupiedSlotFrom(0));
            assertEquals(0, index.occupiedSlotFrom(16 + 0));
            assertEquals(12, index.resizeThreshold());
            assertEquals(16 * 8, index.lengthInBytes());
        }
    }

    private static void assertConsistent(final HashIndex index, final List<Long> live, final Set<Long> removed) {
        assertEquals(live.size(), index.size());
        for (final long word : live) {
            final int slotIndex = index.slotOf(word);
            assertTrue(slotIndex >= 0, "live word reachable from its home slot");
            assertEquals(word, index.slot(slotIndex));
        }
        for (final long word : removed) {
            assertEquals(-1, index.slotOf(word));
        }
        int occupied = 0;
        for (int i = 0; i < index.capacity(); i++) {
            if (IndexDescriptor.EMPTY_SLOT != index.slot(i)) {
                occupied++;
            }
        }
        assertEquals(live.size(), occupied);
    }
}
