package io.loomcache.store;

/**
 * Layout of one slot of the open-addressing hash index: a 64-bit little-endian word in native memory.
 * <pre>
 *   63                 32 31                                      0
 *  +---------------------+----------------------------------------+
 *  |   entry handle      |      key hash (low 32 bits)            |
 *  +---------------------+----------------------------------------+
 * </pre>
 * A slot whose word is {@link #EMPTY_SLOT} is free; a handle is never 0 (see {@link SlabDescriptor}), so an
 * occupied slot is never 0. The hash gives the home slot ({@code hash & (capacity - 1)}) for resize and
 * backward-shift deletion without touching the entry, and filters probes before any key comparison.
 */
public final class IndexDescriptor {
    /**
     * Length of a slot in bytes.
     */
    public static final int SLOT_LENGTH = Long.BYTES;

    /**
     * log2 of {@link #SLOT_LENGTH}: slot index to byte offset.
     */
    public static final int SLOT_SHIFT = 3;

    /**
     * Bit position of the key hash in the slot word.
     */
    public static final int HASH_SHIFT = 0;

    /**
     * Bit position of the entry handle in the slot word.
     */
    public static final int HANDLE_SHIFT = HASH_SHIFT + Integer.SIZE;

    /**
     * Word of an unoccupied slot.
     */
    public static final long EMPTY_SLOT = 0L;

    /**
     * Smallest index capacity in slots.
     */
    public static final int MIN_CAPACITY = 16;

    /**
     * Largest index capacity in slots (the index is one buffer of at most 1 GiB).
     */
    public static final int MAX_CAPACITY = 1 << 27;

    private IndexDescriptor() {
    }

    /**
     * Compose a slot word.
     *
     * @param hash   of the key (32 bits).
     * @param handle of the entry, never 0.
     * @return the slot word.
     */
    public static long slot(final int hash, final int handle) {
        return ((long)handle << HANDLE_SHIFT) | ((hash & 0xFFFF_FFFFL) << HASH_SHIFT);
    }

    /**
     * Key hash held by a slot word.
     *
     * @param slot word.
     * @return the 32-bit hash.
     */
    public static int hash(final long slot) {
        return (int)(slot >>> HASH_SHIFT);
    }

    /**
     * Entry handle held by a slot word.
     *
     * @param slot word.
     * @return the handle, 0 for an empty slot.
     */
    public static int handle(final long slot) {
        return (int)(slot >>> HANDLE_SHIFT);
    }
}
