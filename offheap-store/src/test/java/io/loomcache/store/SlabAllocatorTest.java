package io.loomcache.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlabAllocatorTest
{
    private static final int CHUNK_LENGTH = 8 * 1024;

    @Test
    void shouldHandOutDisjointBlocksThatKeepTheirBytesThroughChurn()
    {
        final Random random = new Random(7);
        final UnsafeBuffer view = new UnsafeBuffer(0L, 0);
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH))
        {
            final List<int[]> live = new ArrayList<>();
            long expectedBytes = 0;
            for (int step = 0; step < 20_000; step++)
            {
                if (live.isEmpty() || random.nextInt(100) < 55)
                {
                    final int length = 1 + random.nextInt(random.nextBoolean() ? 200 : 20_000);
                    final int handle = allocator.allocate(length);
                    assertNotEquals(SlabDescriptor.NO_HANDLE, handle);
                    assertEquals(0, allocator.address(handle) % 8, "blocks are 8-byte aligned");
                    assertEquals(SizeClasses.blockLength(length), allocator.blockLength(handle));
                    fill(view, allocator, handle, step);
                    live.add(new int[] {handle, step});
                    expectedBytes += allocator.blockLength(handle);
                }
                else
                {
                    final int[] victim = live.remove(random.nextInt(live.size()));
                    assertIntact(view, allocator, victim[0], victim[1]);
                    expectedBytes -= allocator.blockLength(victim[0]);
                    allocator.free(victim[0]);
                }
                assertEquals(expectedBytes, allocator.bytesInUse());
                assertEquals(live.size(), allocator.blocksInUse());
                assertTrue(allocator.reservedBytes() >= allocator.bytesInUse());
            }

            for (final int[] block : live)
            {
                assertIntact(view, allocator, block[0], block[1]);
            }
        }
    }

    @Test
    void shouldReuseFreedBlockOfSameClassBeforeReservingMore()
    {
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH))
        {
            final int first = allocator.allocate(100);
            final int second = allocator.allocate(100);
            final long reserved = allocator.reservedBytes();
            allocator.free(first);

            assertEquals(first, allocator.allocate(97));
            assertEquals(reserved, allocator.reservedBytes());
            assertNotEquals(first, second);
        }
    }

    @Test
    void shouldReleaseEmptyChunksButKeepOneSparePerClass()
    {
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH))
        {
            final int blockLength = SizeClasses.blockLength(1000);
            final int blocksPerChunk = CHUNK_LENGTH / blockLength;
            final List<Integer> handles = new ArrayList<>();
            for (int i = 0; i < blocksPerChunk * 5; i++)
            {
                handles.add(allocator.allocate(1000));
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
    void shouldPutOneBlockPerChunkWhenBlockIsLargerThanChunkLength()
    {
        try (SlabAllocator allocator = new SlabAllocator(CHUNK_LENGTH))
        {
            final int handle = allocator.allocate(CHUNK_LENGTH * 3);
            assertEquals(SizeClasses.blockLength(CHUNK_LENGTH * 3), allocator.reservedBytes());
            allocator.free(handle);
            assertEquals(0, allocator.bytesInUse());
        }
    }

    private static void fill(final UnsafeBuffer view, final SlabAllocator allocator, final int handle, final int seed)
    {
        view.wrap(allocator.address(handle), allocator.blockLength(handle));
        for (int i = 0; i < view.capacity(); i += 4)
        {
            view.putInt(i, seed * 31 + i);
        }
    }

    private static void assertIntact(
        final UnsafeBuffer view, final SlabAllocator allocator, final int handle, final int seed)
    {
        view.wrap(allocator.address(handle), allocator.blockLength(handle));
        for (int i = 0; i < view.capacity(); i += 4)
        {
            assertEquals(seed * 31 + i, view.getInt(i), "block of step " + seed + " at byte " + i);
        }
    }
}
