package io.loomcache.store;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

import static io.loomcache.store.SlabDescriptor.END_OF_FREE_LIST;
import static io.loomcache.store.SlabDescriptor.FREE_NEXT_OFFSET;
import static io.loomcache.store.SlabDescriptor.MAX_BLOCKS_PER_CHUNK;
import static io.loomcache.store.SlabDescriptor.MAX_CHUNK_ID;
import static io.loomcache.store.SlabDescriptor.NO_HANDLE;

/**
 * Slab allocator of native memory blocks by {@link SizeClasses}: each class carves fixed-size blocks out of
 * chunks of about {@code targetChunkLength} bytes (at most {@link SlabDescriptor#MAX_BLOCKS_PER_CHUNK} blocks).
 * A chunk keeps its own free list threaded through its free blocks, so freed blocks are reused by the same class
 * and a chunk whose last block is freed goes back to the system (one empty chunk per class is kept as a spare).
 * <p>
 * Blocks are named by 32-bit handles (see {@link SlabDescriptor}). Chunk bookkeeping lives in on-heap arrays
 * indexed by chunk id; they grow only when a new chunk id is needed, so allocate and free allocate nothing in
 * the steady state. Single-threaded: owned by the store's thread.
 */
final class SlabAllocator implements AutoCloseable
{
    private static final int NO_CHUNK = 0;
    private static final int INITIAL_CHUNK_SLOTS = 16;

    private final int targetChunkLength;
    private final UnsafeBuffer freeBlock = new UnsafeBuffer(0L, 0);
    private final int[] partialChunkHead = new int[SizeClasses.CLASS_COUNT];

    private long[] chunkAddress = new long[INITIAL_CHUNK_SLOTS];
    private int[] chunkBlockLength = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkBlockCount = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkClass = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkNeverUsed = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkFreeHead = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkLiveBlocks = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkNextPartial = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkPrevPartial = new int[INITIAL_CHUNK_SLOTS];
    private int[] releasedChunkIds = new int[INITIAL_CHUNK_SLOTS];
    private int releasedChunkIdCount;
    private int nextChunkId = 1;

    private int chunkCount;
    private long reservedBytes;
    private long bytesInUse;
    private long blocksInUse;

    /**
     * Create an allocator that has reserved nothing yet.
     *
     * @param targetChunkLength bytes a chunk aims for; a chunk holds at least one block.
     */
    SlabAllocator(final int targetChunkLength)
    {
        this.targetChunkLength = targetChunkLength;
    }

    /**
     * Take a block of the smallest class that holds {@code length} bytes; its content is undefined.
     *
     * @param length in bytes, 1 to {@link SizeClasses#MAX_BLOCK_LENGTH}.
     * @return handle of the block, or {@link SlabDescriptor#NO_HANDLE} when no chunk id is left.
     */
    int allocate(final int length)
    {
        final int classIndex = SizeClasses.classIndex(length);
        int chunkId = partialChunkHead[classIndex];
        if (NO_CHUNK == chunkId)
        {
            chunkId = newChunk(classIndex);
            if (NO_CHUNK == chunkId)
            {
                return NO_HANDLE;
            }
        }

        final int blockIndex;
        final int freeHead = chunkFreeHead[chunkId];
        if (END_OF_FREE_LIST != freeHead)
        {
            blockIndex = freeHead;
            wrapBlock(chunkId, blockIndex);
            chunkFreeHead[chunkId] = freeBlock.getInt(FREE_NEXT_OFFSET);
        }
        else
        {
            blockIndex = chunkNeverUsed[chunkId]++;
        }

        if (++chunkLiveBlocks[chunkId] == chunkBlockCount[chunkId])
        {
            unlinkPartial(chunkId);
        }
        bytesInUse += chunkBlockLength[chunkId];
        blocksInUse++;

        return SlabDescriptor.handle(chunkId, blockIndex);
    }

    /**
     * Give a block back; a chunk left empty is released unless it is its class's only chunk with room.
     *
     * @param handle returned by {@link #allocate(int)} and not freed since.
     */
    void free(final int handle)
    {
        final int chunkId = SlabDescriptor.chunkId(handle);
        final int blockIndex = SlabDescriptor.blockIndex(handle);
        if (chunkLiveBlocks[chunkId] == chunkBlockCount[chunkId])
        {
            linkPartial(chunkId);
        }

        wrapBlock(chunkId, blockIndex);
        freeBlock.putInt(FREE_NEXT_OFFSET, chunkFreeHead[chunkId]);
        chunkFreeHead[chunkId] = blockIndex;
        bytesInUse -= chunkBlockLength[chunkId];
        blocksInUse--;

        if (0 == --chunkLiveBlocks[chunkId])
        {
            final boolean onlyChunkWithRoom =
                partialChunkHead[chunkClass[chunkId]] == chunkId && NO_CHUNK == chunkNextPartial[chunkId];
            if (!onlyChunkWithRoom)
            {
                releaseChunk(chunkId);
            }
        }
    }

    /**
     * Address of a block.
     *
     * @param handle of a live block.
     * @return the native address of its first byte.
     */
    long address(final int handle)
    {
        final int chunkId = SlabDescriptor.chunkId(handle);
        return chunkAddress[chunkId] + (long)SlabDescriptor.blockIndex(handle) * chunkBlockLength[chunkId];
    }

    /**
     * Length of a block, i.e. of its size class.
     *
     * @param handle of a live block.
     * @return the block length in bytes.
     */
    int blockLength(final int handle)
    {
        return chunkBlockLength[SlabDescriptor.chunkId(handle)];
    }

    /**
     * Release every chunk; all handles become invalid.
     */
    void clear()
    {
        for (int chunkId = 1; chunkId < nextChunkId; chunkId++)
        {
            if (0 != chunkAddress[chunkId])
            {
                NativeMemory.free(chunkAddress[chunkId]);
                chunkAddress[chunkId] = 0;
            }
        }
        Arrays.fill(partialChunkHead, NO_CHUNK);
        nextChunkId = 1;
        releasedChunkIdCount = 0;
        chunkCount = 0;
        reservedBytes = 0;
        bytesInUse = 0;
        blocksInUse = 0;
    }

    /**
     * Release all native memory; same as {@link #clear()}, safe to repeat.
     */
    public void close()
    {
        clear();
    }

    /**
     * Native bytes held in chunks, used or not.
     *
     * @return reserved bytes.
     */
    long reservedBytes()
    {
        return reservedBytes;
    }

    /**
     * Bytes in blocks handed out and not freed (block lengths, not requested lengths).
     *
     * @return bytes in use.
     */
    long bytesInUse()
    {
        return bytesInUse;
    }

    /**
     * Blocks handed out and not freed.
     *
     * @return blocks in use.
     */
    long blocksInUse()
    {
        return blocksInUse;
    }

    /**
     * Chunks currently reserved.
     *
     * @return chunk count.
     */
    int chunkCount()
    {
        return chunkCount;
    }

    private int newChunk(final int classIndex)
    {
        final int chunkId;
        if (releasedChunkIdCount > 0)
        {
            chunkId = releasedChunkIds[--releasedChunkIdCount];
        }
        else
        {
            if (nextChunkId > MAX_CHUNK_ID)
            {
                return NO_CHUNK;
            }
            chunkId = nextChunkId++;
            ensureChunkSlots(chunkId + 1);
        }

        final int blockLength = SizeClasses.classLength(classIndex);
        final int blockCount = Math.max(1, Math.min(MAX_BLOCKS_PER_CHUNK, targetChunkLength / blockLength));
        final long length = (long)blockLength * blockCount;

        chunkAddress[chunkId] = NativeMemory.allocateZeroed(length);
        chunkBlockLength[chunkId] = blockLength;
        chunkBlockCount[chunkId] = blockCount;
        chunkClass[chunkId] = classIndex;
        chunkNeverUsed[chunkId] = 0;
        chunkFreeHead[chunkId] = END_OF_FREE_LIST;
        chunkLiveBlocks[chunkId] = 0;
        chunkCount++;
        reservedBytes += length;
        linkPartial(chunkId);

        return chunkId;
    }

    private void releaseChunk(final int chunkId)
    {
        unlinkPartial(chunkId);
        NativeMemory.free(chunkAddress[chunkId]);
        chunkAddress[chunkId] = 0;
        chunkCount--;
        reservedBytes -= (long)chunkBlockLength[chunkId] * chunkBlockCount[chunkId];
        releasedChunkIds[releasedChunkIdCount++] = chunkId;
    }

    private void linkPartial(final int chunkId)
    {
        final int classIndex = chunkClass[chunkId];
        final int head = partialChunkHead[classIndex];
        chunkPrevPartial[chunkId] = NO_CHUNK;
        chunkNextPartial[chunkId] = head;
        if (NO_CHUNK != head)
        {
            chunkPrevPartial[head] = chunkId;
        }
        partialChunkHead[classIndex] = chunkId;
    }

    private void unlinkPartial(final int chunkId)
    {
        final int prev = chunkPrevPartial[chunkId];
        final int next = chunkNextPartial[chunkId];
        if (NO_CHUNK == prev)
        {
            partialChunkHead[chunkClass[chunkId]] = next;
        }
        else
        {
            chunkNextPartial[prev] = next;
        }
        if (NO_CHUNK != next)
        {
            chunkPrevPartial[next] = prev;
        }
        chunkPrevPartial[chunkId] = NO_CHUNK;
        chunkNextPartial[chunkId] = NO_CHUNK;
    }

    private void wrapBlock(final int chunkId, final int blockIndex)
    {
        final int blockLength = chunkBlockLength[chunkId];
        freeBlock.wrap(chunkAddress[chunkId] + (long)blockIndex * blockLength, blockLength);
    }

    private void ensureChunkSlots(final int required)
    {
        if (required <= chunkAddress.length)
        {
            return;
        }

        final int length = Math.min(MAX_CHUNK_ID + 1, Math.max(required, chunkAddress.length * 2));
        chunkAddress = Arrays.copyOf(chunkAddress, length);
        chunkBlockLength = Arrays.copyOf(chunkBlockLength, length);
        chunkBlockCount = Arrays.copyOf(chunkBlockCount, length);
        chunkClass = Arrays.copyOf(chunkClass, length);
        chunkNeverUsed = Arrays.copyOf(chunkNeverUsed, length);
        chunkFreeHead = Arrays.copyOf(chunkFreeHead, length);
        chunkLiveBlocks = Arrays.copyOf(chunkLiveBlocks, length);
        chunkNextPartial = Arrays.copyOf(chunkNextPartial, length);
        chunkPrevPartial = Arrays.copyOf(chunkPrevPartial, length);
        releasedChunkIds = Arrays.copyOf(releasedChunkIds, length);
    }
}
