package io.loomcache.store;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import static io.loomcache.store.EntryDescriptor.ACCESS_OFFSET;
import static io.loomcache.store.EntryDescriptor.EXPIRE_AT_MS_OFFSET;
import static io.loomcache.store.EntryDescriptor.KEY_LENGTH_OFFSET;
import static io.loomcache.store.EntryDescriptor.KEY_OFFSET;
import static io.loomcache.store.EntryDescriptor.VALUE_LENGTH_OFFSET;
import static io.loomcache.store.EntryDescriptor.entryLength;
import static io.loomcache.store.EntryDescriptor.isExpired;
import static io.loomcache.store.EntryDescriptor.valueOffset;
import static io.loomcache.store.IndexDescriptor.EMPTY_SLOT;
import static io.loomcache.store.SlabDescriptor.NO_HANDLE;

/**
 * Off-heap hash map from byte-range keys to byte-range values with per-entry TTL, a memory cap and LRU/LFU
 * eviction. The index ({@link HashIndex}) and the entries ({@link SlabAllocator} blocks laid out by
 * {@link EntryDescriptor}) live in native memory the store reserves itself; nothing is allocated per entry on
 * the Java heap, and get, getView, put, putIfAbsent, replace, remove and containsKey allocate nothing in the
 * steady state (the index doubling and a new chunk id beyond any used before are the rare exceptions).
 * <p>
 * <b>Threading:</b> one owner thread (the partition's executor) calls every method; there are no locks. The only
 * things other threads may touch are {@link #counters()} and the getters of the returned {@link StoreCounters},
 * which read values the owner publishes with release stores. {@link #close()} belongs to the owner too.
 * <p>
 * <b>Results:</b> failures are return codes, never exceptions: {@link #NOT_FOUND}, {@link #STORE_FULL},
 * {@link #TOO_LARGE}, {@link #KEY_EXISTS}, {@link #VALUE_MISMATCH}, {@link #BUFFER_TOO_SMALL},
 * {@link #INVALID_TTL}. A negative key or value length is a caller bug and throws IllegalArgumentException;
 * any call after close throws IllegalStateException.
 * <p>
 * <b>Time:</b> each operation reads the injected {@link EpochClock} once, for TTL expiry, and under LRU or LFU
 * the injected monotonic {@link NanoClock} once, to stamp and compare accesses: a wall clock that steps changes
 * expiry, never recency. An entry put with {@code ttlMs > 0} at epoch time {@code t} is live while
 * {@code now < t + ttlMs} and gone from {@code now >= t + ttlMs}: it is removed lazily when touched, by
 * {@link #expireSweep(long, int)}, by {@link #liveSize()}, or when met while making room. Until then it still counts
 * in {@link #size()} and {@link #usedBytes()}.
 * <p>
 * <b>Memory cap:</b> {@link #nativeBytesReserved()} (the index plus every slab chunk, used or not, spare chunks
 * included) never exceeds {@link StoreContext#maxMemoryBytes()} after a call returns, unless the cap was lowered
 * below it ({@link #maxMemoryBytes(long)}); only an index doubling holds the old slot array next to the new one for
 * its duration. {@link #usedBytes()} (index plus the block of
 * every entry) is at most that. A write whose block has no free block of its size class, or whose slot needs
 * the index to grow, makes room first: it releases empty spare chunks, then evicts by the policy until it fits
 * &mdash; a victim of the block's own size class when that class has chunks (its block is then reused), else
 * every entry of the chunk with the lowest share of live blocks (the chunk goes back to the system), or any
 * victim when an index slot is what is missing. A new chunk takes at most the room left under the cap. Free
 * blocks of other size classes are not room, so a write may evict while {@link #usedBytes()} is below the cap.
 * Running out of slab chunk ids is handled like running out of room.
 * <p>
 * <b>STORE_FULL:</b> under {@link EvictionPolicy#NONE} only expired entries are removed to make room, and a write
 * that still does not fit returns {@link #STORE_FULL} with nothing live changed. Under LRU and LFU an insert
 * always succeeds; an update moving a value to another size class returns {@link #STORE_FULL}, before evicting
 * anything, only when even with every other entry gone the index, the chunk of its old block and its new block
 * would pass the cap.
 */
public final class OffHeapStore implements AutoCloseable {
    /** A put or putIfAbsent stored a new key. */
    public static final int INSERTED = 1;

    /** A put or replace overwrote the value of a live key. */
    public static final int REPLACED = 2;

    /** No live entry for the key. */
    public static final int NOT_FOUND = -1;

    /** The write would pass the memory cap (or the bounded index) and the policy could not make room. */
    public static final int STORE_FULL = -2;

    /** Key or value longer than configured, or the entry alone would not fit under the memory cap. */
    public static final int TOO_LARGE = -3;

    /** putIfAbsent found a live entry for the key. */
    public static final int KEY_EXISTS = -4;

    /** replace found the key but its value differs from the expected bytes. */
    public static final int VALUE_MISMATCH = -5;

    /** get found the value but the non-expandable destination cannot hold it; nothing was copied. */
    public static final int BUFFER_TOO_SMALL = -6;

    /** The TTL is negative. */
    public static final int INVALID_TTL = -7;

    /** Cursor that starts a walk of {@link #forEachEntryFrom}: the first block of the first chunk. */
    public static final int WALK_START = 1 << SlabDescriptor.BLOCK_INDEX_BITS;

    /** Cursor {@link #forEachEntryFrom} returns when the walk is done. */
    public static final int WALK_DONE = NO_HANDLE;

    private static final int VALID = 0;
    private static final int REMOVED_BY_CALLER = 0;
    private static final int REMOVED_EXPIRED = 1;
    private static final int REMOVED_EVICTED = 2;

    private long maxMemoryBytes;
    private final int maxKeyLength;
    private final int maxValueLength;
    private final int initialCapacity;
    private final int maxCapacity;
    private final int evictionCounterOffset;
    private final EpochClock epochClock;
    private final NanoClock nanoClock;
    private final boolean evictsLiveEntries;
    private final StoreListener listener;
    private final NativeMemory memory;
    private final HashIndex index;
    private final SlabAllocator allocator;
    private final AccessTracker accessTracker;
    private final EvictionPool evictionPool;
    private final StoreCounters counters = new StoreCounters();
    private final UnsafeBuffer entry = new UnsafeBuffer(0L, 0);
    private final UnsafeBuffer candidate = new UnsafeBuffer(0L, 0);
    private final UnsafeBuffer fresh = new UnsafeBuffer(0L, 0);
    private final UnsafeBuffer removed = new UnsafeBuffer(0L, 0);
    private long entryBytes;
    private int ttlEntries;
    private long earliestExpireAtMs = Long.MAX_VALUE;
    private long nowMs;
    private long nowNs;
    private int sweepCursor;
    private boolean closed;
    private long prefetched;

    /**
     * Create a store and reserve its initial index.
     *
     * @param context settings, concluded here.
     * @throws IllegalArgumentException when a setting is invalid.
     */
    public OffHeapStore(final StoreContext context) {
        context.conclude();
        maxMemoryBytes = context.maxMemoryBytes();
        maxKeyLength = context.maxKeyLength();
        maxValueLength = context.maxValueLength();
        initialCapacity = context.initialCapacity();
        maxCapacity = context.maxCapacity();
        evictionCounterOffset = EvictionPolicy.LFU == context.evictionPolicy() ?
            CountersDescriptor.LFU_EVICTIONS_OFFSET : CountersDescriptor.LRU_EVICTIONS_OFFSET;
        epochClock = context.epochClock();
        nanoClock = context.nanoClock();
        evictsLiveEntries = EvictionPolicy.NONE != context.evictionPolicy();
        listener = context.listener();
        accessTracker = new AccessTracker(context.evictionPolicy(), nanoClock.nanoTime(), context.lfuLogFactor(),
            context.lfuDecayPeriodMs(), context.randomSeed());
        final long chunkLength = Math.min(context.chunkLength(), maxMemoryBytes / StoreContext.CHUNK_CAP_DIVISOR);
        memory = new NativeMemory(
            context.hugePages() && maxMemoryBytes >= StoreContext.HUGE_PAGES_MIN_MEMORY_BYTES);
        allocator = new SlabAllocator((int)chunkLength, context.maxChunkId(), memory);
        index = new HashIndex(initialCapacity, context.loadFactor(), memory);
        evictionPool = new EvictionPool(index, allocator, accessTracker, context.evictionSampleCount(),
            evictsLiveEntries);
        publishGauges();
    }

    /**
     * Copy the value of a live key into a buffer. A hit refreshes the entry for LRU/LFU.
     *
     * @param keyBuffer   holding the key.
     * @param keyOffset   of the key in keyBuffer.
     * @param keyLength   of the key in bytes.
     * @param dstBuffer   to copy the value into; an expandable buffer grows as needed.
     * @param dstOffset   in dstBuffer where the value goes.
     * @return the value length, {@link #NOT_FOUND} or {@link #BUFFER_TOO_SMALL}.
     */
    public int get(
        final DirectBuffer keyBuffer,
        final int keyOffset,
        final int keyLength,
        final MutableDirectBuffer dstBuffer,
        final int dstOffset) {
        if (readLookup(keyBuffer, keyOffset, keyLength) < 0) {
            return NOT_FOUND;
        }

        final int valueLength = entry.getInt(VALUE_LENGTH_OFFSET);
        if (!dstBuffer.isExpandable() && (long)dstOffset + valueLength > dstBuffer.capacity()) {
            return BUFFER_TOO_SMALL;
        }
        dstBuffer.putBytes(dstOffset, entry, valueOffset(keyLength), valueLength);
        return valueLength;
    }

    /**
     * Point a view at the value of a live key without copying. The view reads the store's native memory and is
     * valid only until the next call of any operation on this store; it must not be written through.
     *
     * @param keyBuffer holding the key.
     * @param keyOffset of the key in keyBuffer.
     * @param keyLength of the key in bytes.
     * @param valueView re-wrapped over the value with {@code wrap(address, length)}, e.g. an UnsafeBuffer.
     * @return the value length, or {@link #NOT_FOUND} (the view is then untouched).
     */
    public int getView(
        final DirectBuffer keyBuffer, final int keyOffset, final int keyLength, final DirectBuffer valueView) {
        if (readLookup(keyBuffer, keyOffset, keyLength) < 0) {
            return NOT_FOUND;
        }

        final int valueLength = entry.getInt(VALUE_LENGTH_OFFSET);
        valueView.wrap(entry.addressOffset() + valueOffset(keyLength), valueLength);
        return valueLength;
    }

    /**
     * Store a value for a key, replacing any live value and its TTL. The value must not be a view of this store.
     *
     * @param keyBuffer   holding the key.
     * @param keyOffset   of the key in keyBuffer.
     * @param keyLength   of the key in bytes.
     * @param valueBuffer holding the value.
     * @param valueOffset of the value in valueBuffer.
     * @param valueLength of the value in bytes.
     * @param ttlMs       time to live in ms from now, 0 for none.
     * @return {@link #INSERTED}, {@link #REPLACED}, {@link #STORE_FULL}, {@link #TOO_LARGE} or {@link #INVALID_TTL}.
     */
    public int put(
        final DirectBuffer keyBuffer,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer valueBuffer,
        final int valueOffset,
        final int valueLength,
        final long ttlMs) {
        return store(keyBuffer, keyOffset, keyLength, valueBuffer, valueOffset, valueLength, ttlMs, false);
    }

    /**
     * Store a value only when the key has no live entry.
     *
     * @param keyBuffer   holding the key.
     * @param keyOffset   of the key in keyBuffer.
     * @param keyLength   of the key in bytes.
     * @param valueBuffer holding the value.
     * @param valueOffset of the value in valueBuffer.
     * @param valueLength of the value in bytes.
     * @param ttlMs       time to live in ms from now, 0 for none.
     * @return {@link #INSERTED}, {@link #KEY_EXISTS}, {@link #STORE_FULL}, {@link #TOO_LARGE} or
     * {@link #INVALID_TTL}.
     */
    public int putIfAbsent(
        final DirectBuffer keyBuffer,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer valueBuffer,
        final int valueOffset,
        final int valueLength,
        final long ttlMs) {
        return store(keyBuffer, keyOffset, keyLength, valueBuffer, valueOffset, valueLength, ttlMs, true);
    }

    /**
     * Compare-and-set: store a new value (and TTL) only when the live value equals the expected bytes. Expected
     * and new value are two ranges of one buffer, as they sit in one request frame; they may overlap.
     *
     * @param keyBuffer      holding the key.
     * @param keyOffset      of the key in keyBuffer.
     * @param keyLength      of the key in bytes.
     * @param valueBuffer    holding the expected and the new value.
     * @param expectedOffset of the expected value in valueBuffer.
     * @param expectedLength of the expected value in bytes.
     * @param newValueOffset of the new value in valueBuffer.
     * @param newValueLength of the new value in bytes.
     * @param ttlMs          time to live of the new value in ms from now, 0 for none.
     * @return {@link #REPLACED}, {@link #NOT_FOUND}, {@link #VALUE_MISMATCH}, {@link #STORE_FULL},
     * {@link #TOO_LARGE} or {@link #INVALID_TTL}.
     */
    public int replace(
        final DirectBuffer keyBuffer,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer valueBuffer,
        final int expectedOffset,
        final int expectedLength,
        final int newValueOffset,
        final int newValueLength,
        final long ttlMs) {
        checkLength(expectedLength);
        final int invalid = validateWrite(keyLength, newValueLength, ttlMs);
        if (VALID != invalid) {
            return invalid;
        }

        readClocks();
        final int slotIndex = lookup(keyBuffer, keyOffset, keyLength);
        if (slotIndex < 0) {
            return NOT_FOUND;
        }
        if (entry.getInt(VALUE_LENGTH_OFFSET) != expectedLength ||
            !bytesEqual(entry, valueOffset(keyLength), valueBuffer, expectedOffset, expectedLength)) {
            return VALUE_MISMATCH;
        }
        return update(slotIndex, valueBuffer, newValueOffset, newValueLength, expireAtMs(ttlMs));
    }

    /**
     * Remove the entry of a key.
     *
     * @param keyBuffer holding the key.
     * @param keyOffset of the key in keyBuffer.
     * @param keyLength of the key in bytes.
     * @return true when a live entry was removed; false when there was none (an expired one is dropped).
     */
    public boolean remove(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
        ensureOpen();
        nowMs = epochClock.time();
        final int slotIndex = lookup(keyBuffer, keyOffset, keyLength);
        if (slotIndex < 0) {
            return false;
        }
        removeAt(slotIndex, REMOVED_BY_CALLER);
        return true;
    }

    /**
     * Start loading what a later call on this key reads, without waiting for it: the key's home index slot and the
     * first and last word of the entry there. Serving a batch, prefetch the next keys first so their cache misses
     * overlap. Changes and counts nothing.
     *
     * @param keyBuffer holding the key.
     * @param keyOffset of the key in keyBuffer.
     * @param keyLength of the key in bytes.
     */
    public void prefetch(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
        ensureOpen();
        checkLength(keyLength);
        final long slot = index.slot(index.homeSlot(KeyHasher.indexHash(keyBuffer, keyOffset, keyLength)));
        prefetched ^= EMPTY_SLOT == slot ? slot : allocator.touch(IndexDescriptor.handle(slot));
    }

    /**
     * Whether a key has a live entry; neither counts as a hit or miss nor refreshes the entry for LRU/LFU.
     *
     * @param keyBuffer holding the key.
     * @param keyOffset of the key in keyBuffer.
     * @param keyLength of the key in bytes.
     * @return true when a live entry exists.
     */
    public boolean containsKey(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
        ensureOpen();
        nowMs = epochClock.time();
        return lookup(keyBuffer, keyOffset, keyLength) >= 0;
    }

    /**
     * Visits every live entry once, in index order, without touching LRU/LFU state; entries whose TTL has run out
     * are skipped (not removed). Allocation-free; O(index capacity). The visitor must not call into this store.
     *
     * @param visitor receives each entry's views and absolute expiry.
     * @return the number of entries visited.
     */
    public int forEachEntry(final EntryVisitor visitor) {
        ensureOpen();
        final long nowMs = epochClock.time();
        int visited = 0;
        for (int slotIndex = 0, capacity = index.capacity(); slotIndex < capacity; slotIndex++) {
            final long slot = index.slot(slotIndex);
            if (EMPTY_SLOT != slot) {
                wrapBlock(candidate, IndexDescriptor.handle(slot));
                visited += visitLive(candidate, nowMs, visitor);
            }
        }
        return visited;
    }

    /**
     * Visits live entries in slab order, (chunk id, block index), from {@code cursor} on, a bounded step at a time,
     * so that a fuzzy snapshot can walk the store between writes. Start with {@link #WALK_START}, pass the returned
     * cursor to the next call, stop at {@link #WALK_DONE}. Entries whose TTL has run out are skipped (not removed);
     * LRU/LFU state is not touched. Allocation-free. The visitor must not call into this store.
     * <p>
     * <b>Why writes between steps cannot hide an entry:</b> an entry's block never moves while the entry is not
     * written: an update of the same size class rewrites the block in place, one of another class takes a new block
     * and frees the old; removal, eviction, expiry and index resizes move no block, and a chunk is released only
     * once none of its blocks is live. The cursor only grows, and every block position below
     * the allocator's highest chunk id is passed once. So an entry live when the walk started and not written,
     * removed or dropped since is visited exactly once. An entry written during the walk may be visited at its
     * old position, its new one, both or neither; a removed one may have been visited before it went. The walk
     * is therefore a fuzzy picture whose every deviation is a write made during the walk, which a replay of the
     * log from the walk's start repairs. Walking the index by slot instead would be unsafe: backward-shift
     * deletion moves a later entry of a cluster into an already visited slot, and a resize rehashes them all.
     * A {@link #clear()} releases every chunk and ends the walk.
     *
     * @param cursor    {@link #WALK_START} or a cursor this method returned.
     * @param maxBlocks most block positions (live or free) to look at, at least 1.
     * @param maxBytes  the step ends once the blocks visited hold this many bytes, at least 1.
     * @param visitor   receives each live entry's views and absolute expiry.
     * @return the cursor to continue from, or {@link #WALK_DONE} when every position has been passed.
     */
    public int forEachEntryFrom(final int cursor, final int maxBlocks, final long maxBytes,
        final EntryVisitor visitor) {
        ensureOpen();
        final long nowMs = epochClock.time();
        int chunkId = SlabDescriptor.chunkId(cursor);
        int blockIndex = SlabDescriptor.blockIndex(cursor);
        int scanned = 0;
        long bytes = 0;
        while (chunkId > 0 && chunkId < allocator.chunkIdLimit()) {
            if (scanned >= maxBlocks || bytes >= maxBytes) {
                return SlabDescriptor.handle(chunkId, blockIndex);
            }
            final int used = allocator.isReserved(chunkId) ? allocator.markLiveBlocks(chunkId) : 0;
            scanned++;
            while (blockIndex < used) {
                if (scanned >= maxBlocks || bytes >= maxBytes) {
                    return SlabDescriptor.handle(chunkId, blockIndex);
                }
                scanned++;
                if (allocator.isMarkedLive(blockIndex)) {
                    wrapBlock(candidate, SlabDescriptor.handle(chunkId, blockIndex));
                    bytes += candidate.capacity();
                    visitLive(candidate, nowMs, visitor);
                }
                blockIndex++;
            }
            chunkId++;
            blockIndex = 0;
        }
        return WALK_DONE;
    }

    /**
     * A cursor for {@link #forEachEntryFrom} at a block picked at random among the allocator's chunks and the blocks
     * of the chosen chunk, for sampling an entry (Redis RANDOMKEY): a walk from it finds the first live entry at or
     * after it. Not uniform over entries (a sparse chunk's entries are likelier), as Redis's RANDOMKEY is not.
     *
     * @param random random bits.
     * @return a cursor, {@link #WALK_START} when the store has no chunk.
     */
    public int randomWalkCursor(final long random) {
        ensureOpen();
        final int chunks = allocator.chunkIdLimit() - 1;
        if (chunks <= 0) {
            return WALK_START;
        }
        final int chunkId = 1 + (int)Long.remainderUnsigned(random, chunks);
        final int used = allocator.isReserved(chunkId) ? allocator.markLiveBlocks(chunkId) : 0;
        return SlabDescriptor.handle(chunkId, used == 0 ? 0 : (int)Long.remainderUnsigned(random >>> 32, used));
    }

    /**
     * Remove expired entries, scanning at most {@code maxSlotsToScan} index slots from where the last sweep
     * stopped, so a duty cycle can spread the work. O(1) while no entry with a TTL can have expired (the same
     * lower bound of the deadlines as {@link #liveSize()}), so a store without TTLs pays nothing per cycle.
     *
     * @param nowMs          epoch time to judge expiry by.
     * @param maxSlotsToScan bound on the work, in slots.
     * @return the number of entries expired.
     */
    public int expireSweep(final long nowMs, final int maxSlotsToScan) {
        ensureOpen();
        if (0 == ttlEntries || nowMs < earliestExpireAtMs) {
            // nothing can have expired: no entry has a TTL, or none is due yet (the bound is a lower bound)
            return 0;
        }
        int expired = 0;
        int slotIndex = sweepCursor & (index.capacity() - 1);
        for (int scanned = 0; scanned < maxSlotsToScan && index.size() > 0; scanned++) {
            final long slot = index.slot(slotIndex);
            if (EMPTY_SLOT != slot) {
                wrapBlock(candidate, IndexDescriptor.handle(slot));
                if (isExpired(candidate, nowMs)) {
                    removeAt(slotIndex, REMOVED_EXPIRED);
                    expired++;
                    continue;
                }
            }
            slotIndex = index.nextSlot(slotIndex);
        }
        sweepCursor = slotIndex;
        return expired;
    }

    /**
     * Remove every entry, give the slab chunks back and shrink the index to its initial capacity.
     */
    public void clear() {
        ensureOpen();
        allocator.clear();
        index.reset(initialCapacity);
        evictionPool.clear();
        entryBytes = 0;
        ttlEntries = 0;
        earliestExpireAtMs = Long.MAX_VALUE;
        sweepCursor = 0;
        publishGauges();
    }

    /**
     * Free all native memory; later calls other than getters throw IllegalStateException. Safe to repeat.
     */
    public void close() {
        if (!closed) {
            closed = true;
            allocator.close();
            index.close();
            memory.close();
            entryBytes = 0;
            publishGauges();
        }
    }

    /**
     * Entries held, including expired ones not yet removed.
     *
     * @return the entry count.
     */
    public int size() {
        return index.size();
    }

    /**
     * Live entries: what {@link #size()} returns once every expired entry is gone. O(1) while no entry with a TTL
     * can have expired: the store keeps a lower bound of the deadlines it holds, exact after each walk and lowered
     * by every write. Otherwise it walks the whole index once, removing the expired entries (each reported to the
     * listener) and making the bound exact again; that takes time proportional to {@link #indexCapacity()}.
     *
     * @return the number of live entries.
     */
    public int liveSize() {
        ensureOpen();
        nowMs = epochClock.time();
        if (0 == ttlEntries || nowMs < earliestExpireAtMs) {
            return index.size();
        }
        long earliest = Long.MAX_VALUE;
        int slotIndex = 0;
        while (slotIndex < index.capacity()) {
            final long slot = index.slot(slotIndex);
            if (EMPTY_SLOT != slot) {
                wrapBlock(candidate, IndexDescriptor.handle(slot));
                if (isExpired(candidate, nowMs)) {
                    // the removal shifts a later entry of the cluster into this slot: look at it again
                    removeAt(slotIndex, REMOVED_EXPIRED);
                    continue;
                }
                final long expireAtMs = candidate.getLong(EXPIRE_AT_MS_OFFSET);
                if (0 != expireAtMs) {
                    earliest = Math.min(earliest, expireAtMs);
                }
            }
            slotIndex++;
        }
        earliestExpireAtMs = earliest;
        return index.size();
    }

    /**
     * The memory cap.
     *
     * @return bytes.
     */
    public long maxMemoryBytes() {
        return maxMemoryBytes;
    }

    /**
     * Changes the memory cap; the chunk length chosen at construction stays. Store recovery raises it for the time
     * it replays a log, because replay does not rebuild the slab layout that made the entries fit the first time,
     * and sets it back afterwards, as Redis ignores maxmemory while it loads. A store left above the cap holds on to
     * what it has: a write that needs no new memory proceeds, one that does first makes room under the cap (evicting
     * under LRU and LFU, refusing with {@link #STORE_FULL} under NONE unless expired entries free enough).
     *
     * @param maxMemoryBytes the new cap, more than the initial index takes (as {@link StoreContext} requires).
     * @throws IllegalArgumentException when the cap is not more than that.
     */
    public void maxMemoryBytes(final long maxMemoryBytes) {
        ensureOpen();
        final long initialIndexBytes = (long)initialCapacity * IndexDescriptor.SLOT_LENGTH;
        if (maxMemoryBytes <= initialIndexBytes) {
            throw new IllegalArgumentException("maxMemoryBytes must exceed the initial index (" + initialIndexBytes +
                " bytes): " + maxMemoryBytes);
        }
        this.maxMemoryBytes = maxMemoryBytes;
    }

    /**
     * Bytes in use: index slots plus the block length of every entry; at most {@link #nativeBytesReserved()}.
     *
     * @return used bytes.
     */
    public long usedBytes() {
        return index.lengthInBytes() + entryBytes;
    }

    /**
     * Native bytes the store holds, bounded by the memory cap: index slots plus every slab chunk, used or not.
     *
     * @return reserved bytes.
     */
    public long nativeBytesReserved() {
        return index.lengthInBytes() + allocator.reservedBytes();
    }

    /**
     * Bytes in blocks the allocator has handed out and not had back (its own count, checked against
     * {@link #usedBytes()} by tests).
     *
     * @return allocator bytes in use.
     */
    public long allocatorBytesInUse() {
        return allocator.bytesInUse();
    }

    /**
     * Blocks the allocator has handed out and not had back.
     *
     * @return allocator blocks in use.
     */
    public long allocatorBlocksInUse() {
        return allocator.blocksInUse();
    }

    /**
     * Whether the store's memory is mapped for transparent huge pages and the kernel accepted the advice for every
     * range so far: false when {@link StoreContext#hugePages(boolean)} is off, the cap was below
     * {@link StoreContext#HUGE_PAGES_MIN_MEMORY_BYTES} at construction, or the system does not offer them (memory
     * then comes from malloc). Worth logging once at start; the kernel may still use base pages.
     *
     * @return true when the index and the chunks are advised for huge pages.
     */
    public boolean hugePagesAdvised() {
        return memory.hugePagesAdvised();
    }

    /**
     * Index slots.
     *
     * @return the index capacity.
     */
    public int indexCapacity() {
        return index.capacity();
    }

    /**
     * Statistics that any thread may read.
     *
     * @return the counters of this store.
     */
    public StoreCounters counters() {
        return counters;
    }

    /**
     * Whether an entry of this length would get a free block of its size class without reserving a chunk; lets
     * tests tell a justified STORE_FULL from a wrong one.
     *
     * @param entryLength header plus key plus value bytes.
     * @return true when its size class has a free block.
     */
    boolean hasFreeBlockFor(final int entryLength) {
        return allocator.hasFreeBlock(SizeClasses.classIndex(entryLength));
    }

    private int readLookup(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
        ensureOpen();
        readClocks();
        final int slotIndex = lookup(keyBuffer, keyOffset, keyLength);
        if (slotIndex < 0) {
            counters.increment(CountersDescriptor.MISSES_OFFSET);
            return NOT_FOUND;
        }
        final int access = entry.getInt(ACCESS_OFFSET);
        final int touched = accessTracker.touch(access, nowNs);
        if (touched != access) {
            entry.putInt(ACCESS_OFFSET, touched); // a read that changes nothing leaves the entry's line clean
        }
        counters.increment(CountersDescriptor.HITS_OFFSET);
        return slotIndex;
    }

    private int lookup(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
        checkLength(keyLength);
        if (keyLength > maxKeyLength) {
            return NOT_FOUND;
        }
        return findLive(KeyHasher.indexHash(keyBuffer, keyOffset, keyLength), keyBuffer, keyOffset, keyLength);
    }

    private int findLive(final int hash, final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
        int slotIndex = index.homeSlot(hash);
        long slot;
        while (EMPTY_SLOT != (slot = index.slot(slotIndex))) {
            if (IndexDescriptor.hash(slot) == hash) {
                wrapBlock(entry, IndexDescriptor.handle(slot));
                if (entry.getInt(KEY_LENGTH_OFFSET) == keyLength &&
                    bytesEqual(entry, KEY_OFFSET, keyBuffer, keyOffset, keyLength)) {
                    if (isExpired(entry, nowMs)) {
                        removeAt(slotIndex, REMOVED_EXPIRED);
                        return NOT_FOUND;
                    }
                    return slotIndex;
                }
            }
            slotIndex = index.nextSlot(slotIndex);
        }
        return NOT_FOUND;
    }

    private int insert(
        final int hash,
        final DirectBuffer keyBuffer,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer valueBuffer,
        final int valueOffset,
        final int valueLength,
        final long expireAtMs) {
        final int length = entryLength(keyLength, valueLength);
        if (!makeRoom(length, true, NO_HANDLE)) {
            return STORE_FULL;
        }

        final int handle = allocator.allocate(length, roomBytes());
        wrapBlock(fresh, handle);
        fresh.putInt(KEY_LENGTH_OFFSET, keyLength);
        fresh.putBytes(KEY_OFFSET, keyBuffer, keyOffset, keyLength);
        writeValue(fresh, keyLength, valueBuffer, valueOffset, valueLength, expireAtMs,
            accessTracker.initialAccess(nowNs));
        index.insert(index.freeSlot(hash), IndexDescriptor.slot(hash, handle));
        entryBytes += fresh.capacity();
        addDeadline(expireAtMs);
        publishGauges();
        return INSERTED;
    }

    private int update(
        final int slotIndex,
        final DirectBuffer valueBuffer,
        final int valueOffset,
        final int valueLength,
        final long expireAtMs) {
        final long slot = index.slot(slotIndex);
        final int oldHandle = IndexDescriptor.handle(slot);
        wrapBlock(entry, oldHandle);
        final int keyLength = entry.getInt(KEY_LENGTH_OFFSET);
        final int oldBlockLength = entry.capacity();
        final int newLength = entryLength(keyLength, valueLength);
        final int newBlockLength = SizeClasses.blockLength(newLength);
        final int access = accessTracker.touch(entry.getInt(ACCESS_OFFSET), nowNs);
        final long oldExpireAtMs = entry.getLong(EXPIRE_AT_MS_OFFSET);

        if (newBlockLength == oldBlockLength) {
            writeValue(entry, keyLength, valueBuffer, valueOffset, valueLength, expireAtMs, access);
            replaceDeadline(oldExpireAtMs, expireAtMs);
            return REPLACED;
        }

        final long leastReservedBytes = index.lengthInBytes() + allocator.chunkLengthOf(oldHandle) + newBlockLength;
        if (leastReservedBytes > maxMemoryBytes || !makeRoom(newLength, false, oldHandle)) {
            return STORE_FULL;
        }
        final int newHandle = allocator.allocate(newLength, roomBytes());

        wrapBlock(entry, oldHandle);
        wrapBlock(fresh, newHandle);
        fresh.putInt(KEY_LENGTH_OFFSET, keyLength);
        fresh.putBytes(KEY_OFFSET, entry, KEY_OFFSET, keyLength);
        writeValue(fresh, keyLength, valueBuffer, valueOffset, valueLength, expireAtMs, access);

        index.replace(index.slotOf(slot), IndexDescriptor.slot(IndexDescriptor.hash(slot), newHandle));
        allocator.free(oldHandle);
        entryBytes += newBlockLength - oldBlockLength;
        replaceDeadline(oldExpireAtMs, expireAtMs);
        publishGauges();
        return REPLACED;
    }

    /**
     * Make sure a block for {@code entryLength} bytes (and an index slot when {@code needsSlot}) can be had
     * without passing the cap: grow the index if it fits, else release spare chunks, else evict.
     */
    private boolean makeRoom(final int entryLength, final boolean needsSlot, final int excludedHandle) {
        final int classIndex = SizeClasses.classIndex(entryLength);
        final int blockLength = SizeClasses.classLength(classIndex);
        while (true) {
            final boolean indexFull = needsSlot && index.size() + 1 > index.resizeThreshold();
            final boolean canGrow = indexFull && index.capacity() < maxCapacity;
            final long growthBytes = canGrow ? index.lengthInBytes() : 0;
            final boolean slotMissing = indexFull && !canGrow;
            final boolean needsChunk = !allocator.hasFreeBlock(classIndex);
            final long chunkBytes = needsChunk ? blockLength : 0;
            final long newBytes = growthBytes + chunkBytes;
            // a store above a lowered cap still takes writes that reserve nothing
            if (!slotMissing && (!needsChunk || allocator.canReserveChunk()) &&
                (0 == newBytes || newBytes <= roomBytes())) {
                if (canGrow) {
                    index.resize(index.capacity() << 1);
                    publishGauges();
                }
                return true;
            }

            if (!slotMissing && allocator.releaseEmptyChunks() > 0) {
                publishGauges();
            } else if (!evict(indexFull, needsChunk ? classIndex : EvictionPool.ANY_CLASS, excludedHandle)) {
                return false;
            }
        }
    }

    private boolean evict(final boolean forSlot, final int requiredClass, final int excludedHandle) {
        if (forSlot || !evictsLiveEntries || EvictionPool.ANY_CLASS == requiredClass) {
            return evictOne(excludedHandle, EvictionPool.ANY_CLASS);
        }
        if (allocator.hasChunks(requiredClass)) {
            return evictOne(excludedHandle, requiredClass);
        }
        return reclaimChunk(excludedHandle);
    }

    private boolean evictOne(final int excludedHandle, final int requiredClass) {
        final int victimSlot = evictionPool.selectVictim(excludedHandle, requiredClass, nowMs, nowNs);
        if (EvictionPool.NO_VICTIM == victimSlot) {
            return false;
        }
        removeAt(victimSlot, evictionPool.victimExpired() ? REMOVED_EXPIRED : REMOVED_EVICTED);
        return true;
    }

    /**
     * Remove every entry of the chunk with the lowest share of live blocks, so the chunk goes back to the system
     * (or becomes its class's spare, released on the next round of {@link #makeRoom(int, boolean, int)}).
     */
    private boolean reclaimChunk(final int excludedHandle) {
        final int excludedChunkId =
            NO_HANDLE == excludedHandle ? SlabAllocator.NO_CHUNK : SlabDescriptor.chunkId(excludedHandle);
        final int chunkId = allocator.chunkToReclaim(excludedChunkId);
        if (SlabAllocator.NO_CHUNK == chunkId) {
            return false;
        }

        final int blockCount = allocator.markLiveBlocks(chunkId);
        for (int blockIndex = 0; blockIndex < blockCount; blockIndex++) {
            if (allocator.isMarkedLive(blockIndex)) {
                final int handle = SlabDescriptor.handle(chunkId, blockIndex);
                wrapBlock(candidate, handle);
                final int hash = KeyHasher.indexHash(candidate, KEY_OFFSET, candidate.getInt(KEY_LENGTH_OFFSET));
                final int slotIndex = index.slotOf(IndexDescriptor.slot(hash, handle));
                if (slotIndex < 0) {
                    throw new IllegalStateException("live block " + handle + " is not in the index");
                }
                removeAt(slotIndex, isExpired(candidate, nowMs) ? REMOVED_EXPIRED : REMOVED_EVICTED);
            }
        }
        return true;
    }

    private void removeAt(final int slotIndex, final int reason) {
        final int handle = IndexDescriptor.handle(index.slot(slotIndex));
        wrapBlock(removed, handle);
        if (REMOVED_EXPIRED == reason) {
            counters.increment(CountersDescriptor.EXPIRATIONS_OFFSET);
            listener.onExpired(removed, KEY_OFFSET, removed.getInt(KEY_LENGTH_OFFSET));
        } else if (REMOVED_EVICTED == reason) {
            counters.increment(evictionCounterOffset);
            listener.onEvicted(removed, KEY_OFFSET, removed.getInt(KEY_LENGTH_OFFSET));
        }

        entryBytes -= removed.capacity();
        if (0 != removed.getLong(EXPIRE_AT_MS_OFFSET)) {
            ttlEntries--;
        }
        index.removeAt(slotIndex);
        allocator.free(handle);
        publishGauges();
    }

    private static int visitLive(final UnsafeBuffer block, final long nowMs, final EntryVisitor visitor) {
        if (isExpired(block, nowMs)) {
            return 0;
        }
        final int keyLength = block.getInt(KEY_LENGTH_OFFSET);
        visitor.onEntry(block, KEY_OFFSET, keyLength, valueOffset(keyLength), block.getInt(VALUE_LENGTH_OFFSET),
            block.getLong(EXPIRE_AT_MS_OFFSET));
        return 1;
    }

    private void addDeadline(final long expireAtMs) {
        if (0 != expireAtMs) {
            ttlEntries++;
            earliestExpireAtMs = Math.min(earliestExpireAtMs, expireAtMs);
        }
    }

    private void replaceDeadline(final long oldExpireAtMs, final long expireAtMs) {
        if (0 != oldExpireAtMs) {
            ttlEntries--;
        }
        addDeadline(expireAtMs);
    }

    /** Put or putIfAbsent: inserts, or updates a live entry unless {@code onlyIfAbsent}. */
    private int store(
        final DirectBuffer keyBuffer, final int keyOffset, final int keyLength,
        final DirectBuffer valueBuffer, final int valueOffset, final int valueLength,
        final long ttlMs, final boolean onlyIfAbsent) {
        final int invalid = validateWrite(keyLength, valueLength, ttlMs);
        if (VALID != invalid) {
            return invalid;
        }

        readClocks();
        final int hash = KeyHasher.indexHash(keyBuffer, keyOffset, keyLength);
        final int slotIndex = findLive(hash, keyBuffer, keyOffset, keyLength);
        final long expireAtMs = expireAtMs(ttlMs);
        if (slotIndex >= 0) {
            return onlyIfAbsent ? KEY_EXISTS : update(slotIndex, valueBuffer, valueOffset, valueLength, expireAtMs);
        }
        return insert(hash, keyBuffer, keyOffset, keyLength, valueBuffer, valueOffset, valueLength, expireAtMs);
    }

    private int validateWrite(final int keyLength, final int valueLength, final long ttlMs) {
        ensureOpen();
        checkLength(keyLength);
        checkLength(valueLength);
        if (keyLength > maxKeyLength || valueLength > maxValueLength ||
            SizeClasses.blockLength(entryLength(keyLength, valueLength)) > maxMemoryBytes - index.lengthInBytes()) {
            return TOO_LARGE;
        }
        return ttlMs < 0 ? INVALID_TTL : VALID;
    }

    private void wrapBlock(final UnsafeBuffer view, final int handle) {
        view.wrap(allocator.address(handle), allocator.blockLength(handle));
    }

    private long roomBytes() {
        return maxMemoryBytes - nativeBytesReserved();
    }

    private void readClocks() {
        nowMs = epochClock.time();
        nowNs = evictsLiveEntries ? nanoClock.nanoTime() : 0;
    }

    private long expireAtMs(final long ttlMs) {
        if (0 == ttlMs) {
            return 0;
        }
        return ttlMs > Long.MAX_VALUE - nowMs ? Long.MAX_VALUE : nowMs + ttlMs;
    }

    private void publishGauges() {
        counters.publishGauges(index.size(), usedBytes(), nativeBytesReserved());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    private static void writeValue(
        final UnsafeBuffer block,
        final int keyLength,
        final DirectBuffer valueBuffer,
        final int valueOffset,
        final int valueLength,
        final long expireAtMs,
        final int access) {
        block.putLong(EXPIRE_AT_MS_OFFSET, expireAtMs);
        block.putInt(ACCESS_OFFSET, access);
        block.putInt(VALUE_LENGTH_OFFSET, valueLength);
        block.putBytes(valueOffset(keyLength), valueBuffer, valueOffset, valueLength);
    }

    private static boolean bytesEqual(
        final UnsafeBuffer block, final int blockOffset, final DirectBuffer other, final int otherOffset,
        final int length) {
        int i = 0;
        for (final int wordLimit = length - Long.BYTES; i <= wordLimit; i += Long.BYTES) {
            if (block.getLong(blockOffset + i) != other.getLong(otherOffset + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (block.getByte(blockOffset + i) != other.getByte(otherOffset + i)) {
                return false;
            }
        }
        return true;
    }

    private static void checkLength(final int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length: " + length);
        }
    }
}
