package io.loomcache.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlabAllocatorTest {
    private static final int CHUNK_LENGTH = 8 * 1024;
    private static final long NO_LIMIT = Long.MAX_VALUE;

    @Test
    void shouldHandOutDisjointBlocksThatKeepTheirBytesThroughChurn() {
        final Random random = new Random(7);
        final UnsafeBuffer view = new UnsafeBuffer(0L, 0);
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH)) {
            final List<int[]> live = new ArrayList<>();
            long expectedBytes = 0;
            for (int step = 0; step < 20_000; step++) {
                if (live.isEmpty() || random.nextInt(100) < 55) {
                    final int length = 1 + random.nextInt(random.nextBoolean() ? 200 : 20_000);
                    final int handle = allocator.allocate(length, NO_LIMIT);
                    assertNotEquals(SlabDescriptor.NO_HANDLE, handle);
                    assertEquals(0, allocator.address(handle) % 8, "blocks are 8-byte aligned");
                    assertEquals(SizeClasses.blockLength(length), allocator.blockLength(handle));
                    fill(view, allocator, handle, step);
                    live.add(new int[] {handle, step});
                    expectedBytes += allocator.blockLength(handle);
                } else {
                    final int[] victim = live.remove(random.nextInt(live.size()));
                    assertIntact(view, allocator, victim[0], victim[1]);
                    expectedBytes -= allocator.blockLength(victim[0]);
                    allocator.free(victim[0]);
                }
                assertEquals(expectedBytes, allocator.bytesInUse());
                assertEquals(live.size(), allocator.blocksInUse());
                assertTrue(allocator.reservedBytes() >= allocator.bytesInUse());
            }

            for (final int[] block : live) {
                assertIntact(view, allocator, block[0], block[1]);
            }
        }
    }

    @Test
    void shouldReuseFreedBlockOfSameClassBeforeReservingMore() {
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH)) {
            final int first = allocator.allocate(100, NO_LIMIT);
            final int second = allocator.allocate(100, NO_LIMIT);
            final long reserved = allocator.reservedBytes();
            allocator.free(first);

            assertEquals(first, allocator.allocate(97, NO_LIMIT));
            assertEquals(reserved, allocator.reservedBytes());
            assertNotEquals(first, second);
        }
    }

    @Test
    void shouldReleaseEmptyChunksButKeepOneSparePerClass() {
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH)) {
            final int blockLength = SizeClasses.blockLength(1000);
            final int blocksPerChunk = CHUNK_LENGTH / blockLength;
            final List<Integer> handles = new ArrayList<>();
            for (int i = 0; i < blocksPerChunk * 5; i++) {
                handles.add(allocator.allocate(1000, NO_LIMIT));
            }
            assertEquals(5, allocator.chunkCount());
            assertEquals(5L * blocksPerChunk * blockLength, allocator.reservedBytes());

            handles.forEach(allocator::free);

            assertEquals(1, allocator.chunkCount());
            assertEquals((long)blocksPerChunk * blockLength, allocator.reservedBytes());
            assertEquals(0, allocator.bytesInUse());

            allocator.clear();
            assertEquals(0, allocator.chunkCount());
            assertEquals(0, allocator.reservedBytes());
        }
    }

    @Test
    void shouldPutOneBlockPerChunkWhenBlockIsLargerThanChunkLength() {
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH)) {
            final int handle = allocator.allocate(CHUNK_LENGTH * 3, NO_LIMIT);
            assertEquals(SizeClasses.blockLength(CHUNK_LENGTH * 3), allocator.reservedBytes());
            allocator.free(handle);
            assertEquals(0, allocator.bytesInUse());
        }
    }

    @Test
    void shouldReserveNoMoreThanTheRoomGivenForANewChunk() {
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH)) {
            final int blockLength = SizeClasses.blockLength(100);
            allocator.allocate(100, blockLength * 3L + blockLength - 1);
            assertEquals(blockLength * 3L, allocator.reservedBytes());

            allocator.allocate(100, blockLength);
            allocator.allocate(100, blockLength);
            assertEquals(blockLength * 3L, allocator.reservedBytes(), "blocks two and three reuse the chunk");
            assertFalse(allocator.hasFreeBlock(SizeClasses.classIndex(100)));

            assertThrows(IllegalStateException.class, () -> allocator.allocate(100, blockLength - 1));
            assertEquals(blockLength * 3L, allocator.reservedBytes());
        }
    }

    @Test
    void shouldRefuseANewChunkWhenChunkIdsRunOut() {
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH, 2)) {
            final int first = allocator.allocate(CHUNK_LENGTH, NO_LIMIT);
            allocator.allocate(CHUNK_LENGTH * 2, NO_LIMIT);
            assertFalse(allocator.canReserveChunk());
            assertThrows(IllegalStateException.class, () -> allocator.allocate(100, NO_LIMIT));

            allocator.free(first);
            assertTrue(allocator.releaseEmptyChunks() > 0);
            assertTrue(allocator.canReserveChunk(), "a released chunk id is reused");
            assertNotEquals(SlabDescriptor.NO_HANDLE, allocator.allocate(100, NO_LIMIT));
        }
    }

    @Test
    void shouldReleaseSpareChunksOnlyWhenAsked() {
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH)) {
            final int small = allocator.allocate(100, NO_LIMIT);
            final int large = allocator.allocate(3000, NO_LIMIT);
            final long reserved = allocator.reservedBytes();
            allocator.free(small);
            allocator.free(large);
            assertEquals(reserved, allocator.reservedBytes(), "one spare per class is kept");
            assertEquals(2, allocator.chunkCount());

            assertEquals(reserved, allocator.releaseEmptyChunks());

            assertEquals(0, allocator.reservedBytes());
            assertEquals(0, allocator.chunkCount());
            assertFalse(allocator.hasChunks(SizeClasses.classIndex(100)));
            assertEquals(0, allocator.releaseEmptyChunks());
        }
    }

    @Test
    void shouldNameTheChunkWithTheLowestShareOfLiveBlocksAndMarkItsLiveBlocks() {
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH)) {
            final int blocksPerChunk = CHUNK_LENGTH / SizeClasses.blockLength(1000);
            final List<Integer> handles = new ArrayList<>();
            for (int i = 0; i < blocksPerChunk * 2; i++) {
                handles.add(allocator.allocate(1000, NO_LIMIT));
            }
            final int firstChunk = SlabDescriptor.chunkId(handles.get(0));
            final int secondChunk = SlabDescriptor.chunkId(handles.get(blocksPerChunk));
            allocator.free(handles.get(blocksPerChunk + 1));
            allocator.free(handles.get(blocksPerChunk + 3));

            assertEquals(secondChunk, allocator.chunkToReclaim(SlabAllocator.NO_CHUNK));
            assertEquals(firstChunk, allocator.chunkToReclaim(secondChunk));

            assertEquals(blocksPerChunk, allocator.markLiveBlocks(secondChunk));
            for (int blockIndex = 0; blockIndex < blocksPerChunk; blockIndex++) {
                assertEquals(blockIndex != 1 && blockIndex != 3, allocator.isMarkedLive(blockIndex), "" + blockIndex);
            }
        }
    }

    @Test
    void shouldSampleOnlyLiveBlocksOfAFullClass() {
        final Random random = new Random(3);
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH)) {
            final int blocksPerChunk = CHUNK_LENGTH / SizeClasses.blockLength(1000);
            final List<Integer> live = new ArrayList<>();
            for (int i = 0; i < blocksPerChunk * 3; i++) {
                live.add(allocator.allocate(1000, NO_LIMIT));
            }
            final int classIndex = SizeClasses.classIndex(1000);
            assertFalse(allocator.hasFreeBlock(classIndex));

            for (int i = 0; i < 1000; i++) {
                final int handle = allocator.sampleFullClassBlock(classIndex, random.nextLong());
                assertTrue(live.contains(handle), "sampled " + handle);
                assertEquals(classIndex, allocator.classIndexOf(handle));
            }
        }
    }

    private static void fill(final UnsafeBuffer view, final SlabAllocator allocator, final int handle, final int seed) {
        view.wrap(allocator.address(handle), allocator.blockLength(handle));
        for (int i = 0; i < view.capacity(); i += 4) {
            view.putInt(i, seed * 31 + i);
        }
    }

    private static void assertIntact(
        final UnsafeBuffer view, final SlabAllocator allocator, final int handle, final int seed) {
        view.wrap(allocator.address(handle), allocator.blockLength(handle));
        for (int i = 0; i < view.capacity(); i += 4) {
            assertEquals(seed * 31 + i, view.getInt(i), "block of step " + seed + " at byte " + i);
        }
    }
}
