package io.loomcache.store;

import io.loomcache.testkit.gen.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeClassesTest {
    @Test
    void shouldGiveSmallestAlignedClassThatHoldsTheLength() {
        Property.forAll(2000, g -> smallestAlignedClass(g.ints(1, SizeClasses.MAX_BLOCK_LENGTH)));
    }

    private static void smallestAlignedClass(final int length) {
        final int classIndex = SizeClasses.classIndex(length);
        final int blockLength = SizeClasses.classLength(classIndex);

        assertTrue(blockLength >= length);
        assertEquals(0, blockLength % SizeClasses.SMALL_STEP);
        assertTrue(classIndex == 0 || SizeClasses.classLength(classIndex - 1) < length, "smallest class");
        assertTrue(length <= SizeClasses.SMALL_LIMIT ? blockLength - length < 8 : blockLength - length <= length / 8);
        assertEquals(classIndex, SizeClasses.classIndex(blockLength), "a class length maps to its own class");
    }

    @Test
    void shouldNumberClassesContiguouslyUpToTheMaximum() {
        int previous = 0;
        for (int classIndex = 0; classIndex < SizeClasses.CLASS_COUNT; classIndex++) {
            final int length = SizeClasses.classLength(classIndex);
            assertTrue(length > previous);
            assertEquals(classIndex, SizeClasses.classIndex(length));
            previous = length;
        }
        assertEquals(SizeClasses.MAX_BLOCK_LENGTH, previous);
        assertEquals(136, SizeClasses.blockLength(EntryDescriptor.entryLength(16, 100)));
        assertEquals(576, SizeClasses.blockLength(513));
        assertEquals(1024, SizeClasses.blockLength(1024));
        assertEquals(1152, SizeClasses.blockLength(1025));
    }
}
