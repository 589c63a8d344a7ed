package io.loomcache.store;

import java.util.ArrayList;
import java.util.List;

import io.loomcache.testkit.gen.Gen;
import io.loomcache.testkit.gen.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeMemoryTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void shouldHandOutZeroedDisjointRangesAndUnmapEverySegmentOnceAllAreFreed() {
        assumeTrue(LinuxMemory.SUPPORTED, "transparent huge pages not offered here");
        Property.forAll(30, NativeMemoryTest::allocationsAndFrees);
    }

    @Test
    void shouldAlignRangesOfAHugePageOrMoreToTwoMebibytes() {
        assumeTrue(LinuxMemory.SUPPORTED, "transparent huge pages not offered here");
        try (NativeMemory memory = new NativeMemory(true)) {
            final long length = 5 * MIB + 8;
            final long address = memory.allocateZeroed(length);
            assertEquals(0, address % LinuxMemory.HUGE_PAGE_LENGTH);
            assertZeroed(address, length);
            new UnsafeBuffer(address, (int)length).setMemory(0, (int)length, (byte)7);
            memory.free(address, length);
            assertTrue(memory.hugePagesAdvised());
            assertEquals(0, memory.segmentBytes());
        }
    }

    @Test
    void shouldUseMallocWithoutAdviceWhenHugePagesAreNotAskedFor() {
        try (NativeMemory memory = new NativeMemory(false)) {
            final long address = memory.allocateZeroed(3 * MIB);
            assertZeroed(address, 3 * MIB);
            memory.free(address, 3 * MIB);
            assertFalse(memory.hugePagesAdvised());
            assertEquals(0, memory.segmentBytes());
        }
    }

    @Test
    void shouldServeAStoreWithHugePagesOnOrOff() {
        for (final boolean hugePages : new boolean[] {true, false}) {
            final StoreContext context = new StoreContext().maxMemoryBytes(64 * MIB).hugePages(hugePages);
            try (OffHeapStore store = new OffHeapStore(context)) {
                assertEquals(hugePages && LinuxMemory.SUPPORTED, store.hugePagesAdvised());
                final UnsafeBuffer key = new UnsafeBuffer(new byte[Long.BYTES]);
                final UnsafeBuffer value = new UnsafeBuffer(new byte[40]);
                for (long i = 0; i < 50_000; i++) {
                    key.putLong(0, i);
                    value.putLong(0, ~i);
                    assertEquals(OffHeapStore.INSERTED, store.put(key, 0, Long.BYTES, value, 0, 40, 0));
                }
                final UnsafeBuffer out = new UnsafeBuffer(new byte[40]);
                for (long i = 0; i < 50_000; i += 7) {
                    key.putLong(0, i);
                    assertEquals(40, store.get(key, 0, Long.BYTES, out, 0));
                    assertEquals(~i, out.getLong(0));
                }
            }
        }
    }

    private static void allocationsAndFrees(final Gen g) {
        try (NativeMemory memory = new NativeMemory(true)) {
            final List<long[]> live = new ArrayList<>();
            final int operations = g.ints(1, 200);
            for (int i = 0; i < operations; i++) {
                if (live.isEmpty() || g.weighted(3, 2) == 0) {
                    final long length = g.weighted(3, 1) == 0 ? g.longs(1, 64 * 1024) : g.longs(64 * 1024, 2 * MIB - 1);
                    final long address = memory.allocateZeroed(length);
                    assertEquals(0, address % Long.BYTES);
                    assertZeroed(address, length);
                    for (final long[] range : live) {
                        assertTrue(address + length <= range[0] || range[0] + range[1] <= address,
                            "ranges overlap");
                    }
                    new UnsafeBuffer(address, (int)length).setMemory(0, (int)length, (byte)(i | 1));
                    live.add(new long[] {address, length, i | 1});
                } else {
                    final long[] range = live.remove(g.ints(0, live.size() - 1));
                    final UnsafeBuffer view = new UnsafeBuffer(range[0], (int)range[1]);
                    assertEquals((byte)range[2], view.getByte(0));
                    assertEquals((byte)range[2], view.getByte((int)range[1] - 1));
                    memory.free(range[0], range[1]);
                }
            }
            for (final long[] range : live) {
                memory.free(range[0], range[1]);
            }
            assertEquals(0, memory.segmentBytes());
            assertTrue(memory.hugePagesAdvised());
        }
    }

    private static void assertZeroed(final long address, final long length) {
        final UnsafeBuffer view = new UnsafeBuffer(address, (int)length);
        for (int i = 0; i < length; i += Long.BYTES) {
            if (i + Long.BYTES <= length) {
                assertEquals(0, view.getLong(i), "word at " + i);
            } else {
                assertEquals(0, view.getByte(i), "byte at " + i);
            }
        }
    }
}
