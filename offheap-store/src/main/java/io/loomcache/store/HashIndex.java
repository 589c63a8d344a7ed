package io.loomcache.store;

import org.agrona.concurrent.UnsafeBuffer;

import static io.loomcache.store.IndexDescriptor.EMPTY_SLOT;
import static io.loomcache.store.IndexDescriptor.SLOT_LENGTH;
import static io.loomcache.store.IndexDescriptor.SLOT_SHIFT;

/**
 * Open-addressing hash index in native memory: a power-of-two array of slot words (see {@link IndexDescriptor}),
 * linear probing, backward-shift deletion (no tombstones) and resize by rehash from the hashes held in the slots.
 * Key comparison is the caller's job: the index only knows hashes and handles.
 * <p>
 * The index is never full: {@link #resizeThreshold()} is below the capacity, so every probe meets an empty slot.
 * Single-threaded: owned by the store's thread.
 */
final class HashIndex implements AutoCloseable {
    private final float loadFactor;
    private final NativeMemory memory;
    private final UnsafeBuffer slots = new UnsafeBuffer(0L, 0);
    private final UnsafeBuffer previousSlots = new UnsafeBuffer(0L, 0);
    private long address;
    private int capacity;
    private int mask;
    private int size;
    private int resizeThreshold;

    /**
     * Create an empty index.
     *
     * @param capacity   initial slot count, a power of two from {@link IndexDescriptor#MIN_CAPACITY}.
     * @param loadFactor fraction of slots that may be occupied, below 1.
     */
    HashIndex(final int capacity, final float loadFactor) {
        this(capacity, loadFactor, new NativeMemory());
    }

    /**
     * Create an empty index whose slot arrays come from {@code memory}.
     *
     * @param capacity   initial slot count, a power of two from {@link IndexDescriptor#MIN_CAPACITY}.
     * @param loadFactor fraction of slots that may be occupied, below 1.
     * @param memory     source of the slot arrays, owned by the caller and closed after this index.
     */
    HashIndex(final int capacity, final float loadFactor, final NativeMemory memory) {
        this.loadFactor = loadFactor;
        this.memory = memory;
        allocate(capacity);
    }

    /**
     * Slot count.
     *
     * @return the capacity, a power of two.
     */
    int capacity() {
        return capacity;
    }

    /**
     * Occupied slot count.
     *
     * @return number of entries indexed.
     */
    int size() {
        return size;
    }

    /**
     * Most entries the index holds before it should grow.
     *
     * @return the size limit at this capacity.
     */
    int resizeThreshold() {
        return resizeThreshold;
    }

    /**
     * Native bytes of the slot array.
     *
     * @return capacity times the slot length.
     */
    long lengthInBytes() {
        return (long)capacity << SLOT_SHIFT;
    }

    /**
     * Home slot of a hash.
     *
     * @param hash of a key.
     * @return slot index where probing starts.
     */
    int homeSlot(final int hash) {
        return hash & mask;
    }

    /**
     * Slot after {@code slotIndex}, wrapping at the end.
     *
     * @param slotIndex current slot.
     * @return the next slot index.
     */
    int nextSlot(final int slotIndex) {
        return (slotIndex + 1) & mask;
    }

    /**
     * Word held by a slot.
     *
     * @param slotIndex 0 to capacity - 1.
     * @return the slot word, {@link IndexDescriptor#EMPTY_SLOT} when free.
     */
    long slot(final int slotIndex) {
        return slots.getLong(slotIndex << SLOT_SHIFT);
    }

    /**
     * First free slot on the probe sequence of {@code hash}; call only when the key is known to be absent.
     *
     * @param hash of the key to insert.
     * @return a free slot index.
     */
    int freeSlot(final int hash) {
        int slotIndex = hash & mask;
        while (EMPTY_SLOT != slot(slotIndex)) {
            slotIndex = (slotIndex + 1) & mask;
        }
        return slotIndex;
    }

    /**
     * Occupy a free slot; the caller keeps the size under {@link #resizeThreshold()} by resizing first.
     *
     * @param slotIndex from {@link #freeSlot(int)}.
     * @param slot      word to store, never empty.
     */
    void insert(final int slotIndex, final long slot) {
        slots.putLong(slotIndex << SLOT_SHIFT, slot);
        size++;
    }

    /**
     * Overwrite an occupied slot with a word of the same hash (e.g. the entry moved to another block).
     *
     * @param slotIndex of an occupied slot.
     * @param slot      new word.
     */
    void replace(final int slotIndex, final long slot) {
        slots.putLong(slotIndex << SLOT_SHIFT, slot);
    }

    /**
     * Slot holding exactly the given word (same hash and handle), found along the probe sequence of its hash.
     *
     * @param slot word to look for, never empty.
     * @return the slot index, or -1 when no slot holds that word.
     */
    int slotOf(final long slot) {
        int slotIndex = IndexDescriptor.hash(slot) & mask;
        long current;
        while (EMPTY_SLOT != (current = slot(slotIndex))) {
            if (current == slot) {
                return slotIndex;
            }
            slotIndex = (slotIndex + 1) & mask;
        }
        return -1;
    }

    /**
     * Free an occupied slot by shifting back later members of its cluster (Knuth's Algorithm R), so lookups
     * never need tombstones. A slot at or after {@code slotIndex} in the cluster may now hold another entry.
     *
     * @param slotIndex of an occupied slot.
     */
    void removeAt(final int slotIndex) {
        int hole = slotIndex;
        int probe = slotIndex;
        while (true) {
            probe = (probe + 1) & mask;
            final long slot = slot(probe);
            if (EMPTY_SLOT == slot) {
                break;
            }

            final int home = IndexDescriptor.hash(slot) & mask;
            final boolean homeInsideGap = hole <= probe ? hole < home && home <= probe : hole < home || home <= probe;
            if (!homeInsideGap) {
                slots.putLong(hole << SLOT_SHIFT, slot);
                hole = probe;
            }
        }
        slots.putLong(hole << SLOT_SHIFT, EMPTY_SLOT);
        size--;
    }

    /**
     * First occupied slot at or after {@code fromSlot}, wrapping once around.
     *
     * @param fromSlot any int; only its low bits are used.
     * @return an occupied slot index, or -1 when the index is empty.
     */
    int occupiedSlotFrom(final int fromSlot) {
        if (0 == size) {
            return -1;
        }

        int slotIndex = fromSlot & mask;
        while (EMPTY_SLOT == slot(slotIndex)) {
            slotIndex = (slotIndex + 1) & mask;
        }
        return slotIndex;
    }

    /**
     * Move every slot word into a new array of {@code newCapacity} slots and free the old one.
     *
     * @param newCapacity power of two, large enough to keep the size under the new threshold.
     */
    void resize(final int newCapacity) {
        final long oldAddress = address;
        final int oldCapacity = capacity;
        previousSlots.wrap(oldAddress, oldCapacity << SLOT_SHIFT);
        final int oldSize = size;

        allocate(newCapacity);
        for (int i = 0; i < oldCapacity; i++) {
            final long slot = previousSlots.getLong(i << SLOT_SHIFT);
            if (EMPTY_SLOT != slot) {
                slots.putLong(freeSlot(IndexDescriptor.hash(slot)) << SLOT_SHIFT, slot);
            }
        }
        size = oldSize;
        previousSlots.wrap(0L, 0);
        memory.free(oldAddress, (long)oldCapacity << SLOT_SHIFT);
    }

    /**
     * Drop every slot and start again empty at {@code newCapacity} slots.
     *
     * @param newCapacity power of two from {@link IndexDescriptor#MIN_CAPACITY}.
     */
    void reset(final int newCapacity) {
        memory.free(address, lengthInBytes());
        allocate(newCapacity);
    }

    /**
     * Free the slot array; safe to repeat.
     */
    public void close() {
        if (0 != address) {
            memory.free(address, lengthInBytes());
            address = 0;
            capacity = 0;
            size = 0;
            slots.wrap(0L, 0);
        }
    }

    private void allocate(final int newCapacity) {
        address = memory.allocateZeroed((long)newCapacity * SLOT_LENGTH);
        capacity = newCapacity;
        mask = newCapacity - 1;
        size = 0;
        resizeThreshold = Math.min(newCapacity - 1, (int)(newCapacity * (double)loadFactor));
        slots.wrap(address, newCapacity << SLOT_SHIFT);
    }
}
