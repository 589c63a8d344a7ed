package io.loomcache.store;

/**
 * Layouts owned by the {@link SlabAllocator}: the 32-bit block handle and the free block.
 * <pre>
 *  Handle (unsigned 32 bits):
 *   31                          12 11                     0
 *  +------------------------------+------------------------+
 *  |   chunk id (1-based, 20 bits) |  block index (12 bits) |
 *  +------------------------------+------------------------+
 *
 *  Free block (inside a chunk):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        Next free block index in the same chunk (-1 = none)    |
 *  +---------------------------------------------------------------+
 *  |                        unused                               ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Chunk ids start at 1 so that no handle is 0.
 */
public final class SlabDescriptor {
    /**
     * Number of bits of the block index in a handle.
     */
    public static final int BLOCK_INDEX_BITS = 12;

    /**
     * Mask of the block index in a handle.
     */
    public static final int BLOCK_INDEX_MASK = (1 << BLOCK_INDEX_BITS) - 1;

    /**
     * Most blocks a chunk may hold.
     */
    public static final int MAX_BLOCKS_PER_CHUNK = 1 << BLOCK_INDEX_BITS;

    /**
     * Largest chunk id a handle can hold.
     */
    public static final int MAX_CHUNK_ID = (1 << (Integer.SIZE - BLOCK_INDEX_BITS)) - 1;

    /**
     * Handle value that never names a block.
     */
    public static final int NO_HANDLE = 0;

    /**
     * Offset in a free block of the index of the next free block of its chunk.
     */
    public static final int FREE_NEXT_OFFSET = 0;

    /**
     * Length of the next-free field.
     */
    public static final int FREE_NEXT_LENGTH = Integer.BYTES;

    /**
     * Value of the next-free field at the end of a chunk's free list.
     */
    public static final int END_OF_FREE_LIST = -1;

    private SlabDescriptor() {
    }

    /**
     * Compose a handle.
     *
     * @param chunkId    1-based chunk id.
     * @param blockIndex index of the block in its chunk.
     * @return the handle.
     */
    public static int handle(final int chunkId, final int blockIndex) {
        return (chunkId << BLOCK_INDEX_BITS) | blockIndex;
    }

    /**
     * Chunk id of a handle.
     *
     * @param handle of a block.
     * @return its 1-based chunk id.
     */
    public static int chunkId(final int handle) {
        return handle >>> BLOCK_INDEX_BITS;
    }

    /**
     * Block index of a handle.
     *
     * @param handle of a block.
     * @return index of the block in its chunk.
     */
    public static int blockIndex(final int handle) {
        return handle & BLOCK_INDEX_MASK;
    }
}
