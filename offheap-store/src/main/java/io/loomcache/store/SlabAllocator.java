package io.loomcache.store;

import java.util.Arrays;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import static io.loomcache.store.SlabDescriptor.END_OF_FREE_LIST;
import static io.loomcache.store.SlabDescriptor.FREE_NEXT_OFFSET;
import static io.loomcache.store.SlabDescriptor.MAX_BLOCKS_PER_CHUNK;
import static io.loomcache.store.SlabDescriptor.MAX_CHUNK_ID;

/**
 * Slab allocator of native memory blocks by {@link SizeClasses}: each class carves fixed-size blocks out of
 * chunks of about {@code targetChunkLength} bytes (at most {@link SlabDescriptor#MAX_BLOCKS_PER_CHUNK} blocks),
 * or fewer when the caller allows less room. A chunk keeps its own free list threaded through its free blocks,
 * so freed blocks are reused by the same class, and a chunk whose last block is freed goes back to the system,
 * except one empty chunk per class kept as a spare until {@link #releaseEmptyChunks()}.
 * <p>
 * The allocator enforces no cap: the store asks {@link #hasFreeBlock(int)} and {@link #canReserveChunk()}
 * before allocating, and bounds each new chunk with the room it has left. To make room it can reclaim a chunk
 * ({@link #chunkToReclaim(int)}, {@link #markLiveBlocks(int)}) or sample blocks of a full class
 * ({@link #sampleFullClassBlock(int, long)}).
 * <p>
 * Blocks are named by 32-bit handles (see {@link SlabDescriptor}). Chunk bookkeeping lives in on-heap arrays
 * indexed by chunk id; they grow only when a new chunk id is needed, so every method allocates nothing in the
 * steady state. Single-threaded: owned by the store's thread.
 */
final class SlabAllocator implements AutoCloseable {
    /**
     * Chunk id that names no chunk.
     */
    static final int NO_CHUNK = 0;

    private static final int INITIAL_CHUNK_SLOTS = 16;
    private static final int MAX_SAMPLE_WALK = 64;

    private final int targetChunkLength;
    private final int maxChunkId;
    private final NativeMemory memory;
    private final UnsafeBuffer freeBlock = new UnsafeBuffer(0L, 0);
    private final int[] partialChunkHead = new int[SizeClasses.CLASS_COUNT];
    private final int[] classChunkHead = new int[SizeClasses.CLASS_COUNT];
    private final int[] classChunkCount = new int[SizeClasses.CLASS_COUNT];
    private final int[] spareChunk = new int[SizeClasses.CLASS_COUNT];
    private final long[] liveBlockBits = new long[MAX_BLOCKS_PER_CHUNK / Long.SIZE];

    private long[] chunkAddress = new long[INITIAL_CHUNK_SLOTS];
    private int[] chunkBlockLength = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkBlockCount = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkClass = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkNeverUsed = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkFreeHead = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkLiveBlocks = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkNextPartial = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkPrevPartial = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkNextInClass = new int[INITIAL_CHUNK_SLOTS];
    private int[] chunkPrevInClass = new int[INITIAL_CHUNK_SLOTS];
    private int[] releasedChunkIds = new int[INITIAL_CHUNK_SLOTS];
    private int releasedChunkIdCount;
    private int nextChunkId = 1;

    private int chunkCount;
    private int spareChunkCount;
    private long reservedBytes;
    private long bytesInUse;
    private long blocksInUse;

    /**
     * Create an allocator that has reserved nothing yet and may use every chunk id.
     *
     * @param targetChunkLength bytes a chunk aims for; a chunk holds at least one block.
     */
    SlabAllocator(final int targetChunkLength) {
        this(targetChunkLength, MAX_CHUNK_ID);
    }

    /**
     * Create an allocator that has reserved nothing yet.
     *
     * @param targetChunkLength bytes a chunk aims for; a chunk holds at least one block.
     * @param maxChunkId        largest chunk id to use, at most {@link SlabDescriptor#MAX_CHUNK_ID}.
     */
    SlabAllocator(final int targetChunkLength, final int maxChunkId) {
        this(targetChunkLength, maxChunkId, new NativeMemory());
    }

    /**
     * Create an allocator that has reserved nothing yet and takes its chunks from {@code memory}.
     *
     * @param targetChunkLength bytes a chunk aims for; a chunk holds at least one block.
     * @param maxChunkId        largest chunk id to use, at most {@link SlabDescriptor#MAX_CHUNK_ID}.
     * @param memory            source of the chunks, owned by the caller and closed after this allocator.
     */
    SlabAllocator(final int targetChunkLength, final int maxChunkId, final NativeMemory memory) {
        this.targetChunkLength = targetChunkLength;
        this.maxChunkId = maxChunkId;
        this.memory = memory;
    }

    /**
     * Take a block of the smallest class that holds {@code length} bytes; its content is undefined. When the class
     * has no free block a new chunk is reserved, holding as many blocks as fit in {@code maxChunkBytes}.
     *
     * @param length        in bytes, 1 to {@link SizeClasses#MAX_BLOCK_LENGTH}.
     * @param maxChunkBytes most bytes a new chunk may take; at least the block length when a chunk is needed.
     * @return handle of the block, never {@link SlabDescriptor#NO_HANDLE}.
     * @throws IllegalStateException when a new chunk is needed and no chunk id or too little room is left, which
     *                               the caller rules out first with {@link #hasFreeBlock(int)} and
     *                               {@link #canReserveChunk()}.
     */
    int allocate(final int length, final long maxChunkBytes) {
        final int classIndex = SizeClasses.classIndex(length);
        int chunkId = partialChunkHead[classIndex];
        if (NO_CHUNK == chunkId) {
            chunkId = newChunk(classIndex, maxChunkBytes);
        }

        final int blockIndex;
        final int freeHead = chunkFreeHead[chunkId];
        if (END_OF_FREE_LIST != freeHead) {
            blockIndex = freeHead;
            wrapBlock(chunkId, blockIndex);
            chunkFreeHead[chunkId] = freeBlock.getInt(FREE_NEXT_OFFSET);
        } else {
            blockIndex = chunkNeverUsed[chunkId]++;
        }

        final int liveBlocks = ++chunkLiveBlocks[chunkId];
        if (1 == liveBlocks && spareChunk[classIndex] == chunkId) {
            spareChunk[classIndex] = NO_CHUNK;
            spareChunkCount--;
        }
        if (liveBlocks == chunkBlockCount[chunkId]) {
            unlinkPartial(chunkId);
        }
        bytesInUse += chunkBlockLength[chunkId];
        blocksInUse++;

        return SlabDescriptor.handle(chunkId, blockIndex);
    }

    /**
     * Give a block back; a chunk left empty is released unless it is its class's only chunk with room, which is
     * then kept as the class's spare.
     *
     * @param handle returned by {@link #allocate(int, long)} and not freed since.
     */
    void free(final int handle) {
        final int chunkId = SlabDescriptor.chunkId(handle);
        final int blockIndex = SlabDescriptor.blockIndex(handle);
        if (chunkLiveBlocks[chunkId] == chunkBlockCount[chunkId]) {
            linkPartial(chunkId);
        }

        wrapBlock(chunkId, blockIndex);
        freeBlock.putInt(FREE_NEXT_OFFSET, chunkFreeHead[chunkId]);
        chunkFreeHead[chunkId] = blockIndex;
        bytesInUse -= chunkBlockLength[chunkId];
        blocksInUse--;

        if (0 == --chunkLiveBlocks[chunkId]) {
            final int classIndex = chunkClass[chunkId];
            final boolean onlyChunkWithRoom =
                partialChunkHead[classIndex] == chunkId && NO_CHUNK == chunkNextPartial[chunkId];
            if (onlyChunkWithRoom) {
                spareChunk[classIndex] = chunkId;
                spareChunkCount++;
            } else {
                releaseChunk(chunkId);
            }
        }
    }

    /**
     * Whether a block of a class can be handed out without reserving a new chunk.
     *
     * @param classIndex size class, see {@link SizeClasses#classIndex(int)}.
     * @return true when one of the class's chunks has a free block.
     */
    boolean hasFreeBlock(final int classIndex) {
        return NO_CHUNK != partialChunkHead[classIndex];
    }

    /**
     * Whether a chunk id is left for a new chunk.
     *
     * @return true when {@link #allocate(int, long)} may reserve a new chunk.
     */
    boolean canReserveChunk() {
        return releasedChunkIdCount > 0 || nextChunkId <= maxChunkId;
    }

    /**
     * Whether a class holds any chunk.
     *
     * @param classIndex size class.
     * @return true when the class has at least one chunk.
     */
    boolean hasChunks(final int classIndex) {
        return classChunkCount[classIndex] > 0;
    }

    /**
     * Size class of a block.
     *
     * @param handle of a live block.
     * @return its class index.
     */
    int classIndexOf(final int handle) {
        return chunkClass[SlabDescriptor.chunkId(handle)];
    }

    /**
     * Native bytes of the chunk holding a block.
     *
     * @param handle of a live block.
     * @return the chunk length in bytes.
     */
    long chunkLengthOf(final int handle) {
        return chunkLength(SlabDescriptor.chunkId(handle));
    }

    /**
     * Release every empty chunk kept as a spare, e.g. before evicting to make room under the cap.
     *
     * @return native bytes released.
     */
    long releaseEmptyChunks() {
        long released = 0;
        for (int classIndex = 0; spareChunkCount > 0 && classIndex < SizeClasses.CLASS_COUNT; classIndex++) {
            final int chunkId = spareChunk[classIndex];
            if (NO_CHUNK != chunkId) {
                spareChunk[classIndex] = NO_CHUNK;
                spareChunkCount--;
                released += chunkLength(chunkId);
                releaseChunk(chunkId);
            }
        }
        return released;
    }

    /**
     * A random block of a class none of whose chunks has a free block, so that every block is live: a chunk
     * among the first {@value #MAX_SAMPLE_WALK} of the class, then a block in it.
     *
     * @param classIndex size class with chunks and no free block.
     * @param random     64 random bits.
     * @return handle of a live block of the class.
     */
    int sampleFullClassBlock(final int classIndex, final long random) {
        final int chunks = Math.min(classChunkCount[classIndex], MAX_SAMPLE_WALK);
        int chunkId = classChunkHead[classIndex];
        for (int steps = (int)Long.remainderUnsigned(random >>> Integer.SIZE, chunks); steps > 0; steps--) {
            chunkId = chunkNextInClass[chunkId];
        }
        return SlabDescriptor.handle(chunkId, (int)((random & 0xFFFF_FFFFL) % chunkBlockCount[chunkId]));
    }

    /**
     * The chunk whose release loses the fewest entries per byte: the lowest share of live blocks.
     *
     * @param excludedChunkId chunk that must not be named (it holds an entry being updated), or {@link #NO_CHUNK}.
     * @return the chunk id, or {@link #NO_CHUNK} when no other chunk exists.
     */
    int chunkToReclaim(final int excludedChunkId) {
        int best = NO_CHUNK;
        for (int chunkId = 1; chunkId < nextChunkId; chunkId++) {
            if (0 != chunkAddress[chunkId] && chunkId != excludedChunkId &&
                (NO_CHUNK == best ||
                (long)chunkLiveBlocks[chunkId] * chunkBlockCount[best] <
                (long)chunkLiveBlocks[best] * chunkBlockCount[chunkId])) {
                best = chunkId;
            }
        }
        return best;
    }

    /**
     * One past the highest chunk id handed out since the last {@link #clear()}: every reserved chunk has a lower id.
     *
     * @return the chunk id limit, at least 1.
     */
    int chunkIdLimit() {
        return nextChunkId;
    }

    /**
     * Whether a chunk id names a reserved chunk now (ids of released chunks wait for reuse).
     *
     * @param chunkId from 1 to {@link #chunkIdLimit()} - 1.
     * @return true when the chunk is reserved.
     */
    boolean isReserved(final int chunkId) {
        return 0 != chunkAddress[chunkId];
    }

    /**
     * Record which blocks of a chunk are live, for {@link #isMarkedLive(int)}; freeing them afterwards does not
     * change the record.
     *
     * @param chunkId of a reserved chunk.
     * @return the number of block indexes to check, from 0.
     */
    int markLiveBlocks(final int chunkId) {
        final int used = chunkNeverUsed[chunkId];
        Arrays.fill(liveBlockBits, 0L);
        for (int word = 0; word < used >>> 6; word++) {
            liveBlockBits[word] = -1L;
        }
        if (0 != (used & 63)) {
            liveBlockBits[used >>> 6] = (1L << used) - 1;
        }
        for (int blockIndex = chunkFreeHead[chunkId]; END_OF_FREE_LIST != blockIndex; ) {
            liveBlockBits[blockIndex >>> 6] &= ~(1L << blockIndex);
            wrapBlock(chunkId, blockIndex);
            blockIndex = freeBlock.getInt(FREE_NEXT_OFFSET);
        }
        return used;
    }

    /**
     * Whether a block was live when {@link #markLiveBlocks(int)} last ran.
     *
     * @param blockIndex index in the marked chunk.
     * @return true when it was live.
     */
    boolean isMarkedLive(final int blockIndex) {
        return 0 != (liveBlockBits[blockIndex >>> 6] & (1L << blockIndex));
    }

    /**
     * Address of a block.
     *
     * @param handle of a live block.
     * @return the native address of its first byte.
     */
    long address(final int handle) {
        final int chunkId = SlabDescriptor.chunkId(handle);
        return chunkAddress[chunkId] + (long)SlabDescriptor.blockIndex(handle) * chunkBlockLength[chunkId];
    }

    /**
     * Length of a block, i.e. of its size class.
     *
     * @param handle of a live block.
     * @return the block length in bytes.
     */
    int blockLength(final int handle) {
        return chunkBlockLength[SlabDescriptor.chunkId(handle)];
    }

    /**
     * Read the first and the last word of a block, so its first and last cache lines start loading.
     *
     * @param handle of a block in use.
     * @return the two words XORed, for the caller to keep so the reads are not dropped.
     */
    long touch(final int handle) {
        final long address = address(handle);
        return UnsafeApi.getLong(address) ^ UnsafeApi.getLong(address + blockLength(handle) - Long.BYTES);
    }

    /**
     * Release every chunk; all handles become invalid.
     */
    void clear() {
        for (int chunkId = 1; chunkId < nextChunkId; chunkId++) {
            if (0 != chunkAddress[chunkId]) {
                memory.free(chunkAddress[chunkId], chunkLength(chunkId));
                chunkAddress[chunkId] = 0;
            }
        }
        Arrays.fill(partialChunkHead, NO_CHUNK);
        Arrays.fill(classChunkHead, NO_CHUNK);
        Arrays.fill(classChunkCount, 0);
        Arrays.fill(spareChunk, NO_CHUNK);
        nextChunkId = 1;
        releasedChunkIdCount = 0;
        chunkCount = 0;
        spareChunkCount = 0;
        reservedBytes = 0;
        bytesInUse = 0;
        blocksInUse = 0;
    }

    /**
     * Release all native memory; same as {@link #clear()}, safe to repeat.
     */
    public void close() {
        clear();
    }

    /**
     * Native bytes held in chunks, used or not.
     *
     * @return reserved bytes.
     */
    long reservedBytes() {
        return reservedBytes;
    }

    /**
     * Bytes in blocks handed out and not freed (block lengths, not requested lengths).
     *
     * @return bytes in use.
     */
    long bytesInUse() {
        return bytesInUse;
    }

    /**
     * Blocks handed out and not freed.
     *
     * @return blocks in use.
     */
    long blocksInUse() {
        return blocksInUse;
    }

    /**
     * Chunks currently reserved.
     *
     * @return chunk count.
     */
    int chunkCount() {
        return chunkCount;
    }

    private int newChunk(final int classIndex, final long maxChunkBytes) {
        final int blockLength = SizeClasses.classLength(classIndex);
        if (!canReserveChunk() || maxChunkBytes < blockLength) {
            throw new IllegalStateException("no chunk id or room left for a block of " + blockLength + " bytes");
        }

        final int chunkId;
        if (releasedChunkIdCount > 0) {
            chunkId = releasedChunkIds[--releasedChunkIdCount];
        } else {
            chunkId = nextChunkId++;
            ensureChunkSlots(chunkId + 1);
        }

        final long blocksThatFit = Math.min(targetChunkLength / blockLength, maxChunkBytes / blockLength);
        final int blockCount = (int)Math.max(1, Math.min(MAX_BLOCKS_PER_CHUNK, blocksThatFit));
        final long length = (long)blockLength * blockCount;

        chunkAddress[chunkId] = memory.allocateZeroed(length);
        chunkBlockLength[chunkId] = blockLength;
        chunkBlockCount[chunkId] = blockCount;
        chunkClass[chunkId] = classIndex;
        chunkNeverUsed[chunkId] = 0;
        chunkFreeHead[chunkId] = END_OF_FREE_LIST;
        chunkLiveBlocks[chunkId] = 0;
        chunkCount++;
        reservedBytes += length;
        linkPartial(chunkId);
        linkClass(chunkId);

        return chunkId;
    }

    private void releaseChunk(final int chunkId) {
        unlinkPartial(chunkId);
        unlinkClass(chunkId);
        memory.free(chunkAddress[chunkId], chunkLength(chunkId));
        chunkAddress[chunkId] = 0;
        chunkCount--;
        reservedBytes -= chunkLength(chunkId);
        releasedChunkIds[releasedChunkIdCount++] = chunkId;
    }

    private long chunkLength(final int chunkId) {
        return (long)chunkBlockLength[chunkId] * chunkBlockCount[chunkId];
    }

    private void linkPartial(final int chunkId) {
        final int classIndex = chunkClass[chunkId];
        final int head = partialChunkHead[classIndex];
        chunkPrevPartial[chunkId] = NO_CHUNK;
        chunkNextPartial[chunkId] = head;
        if (NO_CHUNK != head) {
            chunkPrevPartial[head] = chunkId;
        }
        partialChunkHead[classIndex] = chunkId;
    }

    private void unlinkPartial(final int chunkId) {
        final int prev = chunkPrevPartial[chunkId];
        final int next = chunkNextPartial[chunkId];
        if (NO_CHUNK == prev) {
            if (partialChunkHead[chunkClass[chunkId]] == chunkId) {
                partialChunkHead[chunkClass[chunkId]] = next;
            }
        } else {
            chunkNextPartial[prev] = next;
        }
        if (NO_CHUNK != next) {
            chunkPrevPartial[next] = prev;
        }
        chunkPrevPartial[chunkId] = NO_CHUNK;
        chunkNextPartial[chunkId] = NO_CHUNK;
    }

    private void linkClass(final int chunkId) {
        final int classIndex = chunkClass[chunkId];
        final int head = classChunkHead[classIndex];
        chunkPrevInClass[chunkId] = NO_CHUNK;
        chunkNextInClass[chunkId] = head;
        if (NO_CHUNK != head) {
            chunkPrevInClass[head] = chunkId;
        }
        classChunkHead[classIndex] = chunkId;
        classChunkCount[classIndex]++;
    }

    private void unlinkClass(final int chunkId) {
        final int classIndex = chunkClass[chunkId];
        final int prev = chunkPrevInClass[chunkId];
        final int next = chunkNextInClass[chunkId];
        if (NO_CHUNK == prev) {
            classChunkHead[classIndex] = next;
        } else {
            chunkNextInClass[prev] = next;
        }
        if (NO_CHUNK != next) {
            chunkPrevInClass[next] = prev;
        }
        classChunkCount[classIndex]--;
    }

    private void wrapBlock(final int chunkId, final int blockIndex) {
        final int blockLength = chunkBlockLength[chunkId];
        freeBlock.wrap(chunkAddress[chunkId] + (long)blockIndex * blockLength, blockLength);
    }

    private void ensureChunkSlots(final int required) {
        if (required <= chunkAddress.length) {
            return;
        }

        final int length = Math.min(maxChunkId + 1, Math.max(required, chunkAddress.length * 2));
        chunkAddress = Arrays.copyOf(chunkAddress, length);
        chunkBlockLength = Arrays.copyOf(chunkBlockLength, length);
        chunkBlockCount = Arrays.copyOf(chunkBlockCount, length);
        chunkClass = Arrays.copyOf(chunkClass, length);
        chunkNeverUsed = Arrays.copyOf(chunkNeverUsed, length);
        chunkFreeHead = Arrays.copyOf(chunkFreeHead, length);
        chunkLiveBlocks = Arrays.copyOf(chunkLiveBlocks, length);
        chunkNextPartial = Arrays.copyOf(chunkNextPartial, length);
        chunkPrevPartial = Arrays.copyOf(chunkPrevPartial, length);
        chunkNextInClass = Arrays.copyOf(chunkNextInClass, length);
        chunkPrevInClass = Arrays.copyOf(chunkPrevInClass, length);
        releasedChunkIds = Arrays.copyOf(releasedChunkIds, length);
    }
}
