package io.loomcache.checker;

import java.util.Arrays;

/**
 * Open-addressing hash set of search configurations (a bitset of linearized operations plus the register value),
 * Lowe's memo: each configuration is explored once. Records live back to back in one {@code long[]} pool
 * ({@code wordsPerSet} bitset words, then the value) so adding allocates only when the pool or table grows.
 * Single-threaded.
 */
final class VisitedSet {
    private static final int INITIAL_TABLE_LENGTH = 1024;

    private final int wordsPerSet;
    private final int recordLength;
    private long[] pool;
    private int[] table;
    private int size;

    VisitedSet(final int wordsPerSet) {
        this.wordsPerSet = wordsPerSet;
        this.recordLength = wordsPerSet + 1;
        this.pool = new long[recordLength * INITIAL_TABLE_LENGTH / 2];
        this.table = new int[INITIAL_TABLE_LENGTH];
    }

    /**
     * Adds a configuration.
     *
     * @return true when it was not present before.
     */
    boolean add(final long[] bits, final long value) {
        final int mask = table.length - 1;
        int slot = hash(bits, value) & mask;
        while (table[slot] != 0) {
            if (matches(table[slot] - 1, bits, value)) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        final int record = size;
        final int base = record * recordLength;
        if (base + recordLength > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(pool.length * 2, base + recordLength));
        }
        System.arraycopy(bits, 0, pool, base, wordsPerSet);
        pool[base + wordsPerSet] = value;
        table[slot] = record + 1;
        size = record + 1;
        if (size * 2 > table.length) {
            rehash(table.length * 2);
        }
        return true;
    }

    int size() {
        return size;
    }

    private boolean matches(final int record, final long[] bits, final long value) {
        final int base = record * recordLength;
        if (pool[base + wordsPerSet] != value) {
            return false;
        }
        for (int i = 0; i < wordsPerSet; i++) {
            if (pool[base + i] != bits[i]) {
                return false;
            }
        }
        return true;
    }

    private void rehash(final int tableLength) {
        final int[] newTable = new int[tableLength];
        final int mask = tableLength - 1;
        for (int record = 0; record < size; record++) {
            final int base = record * recordLength;
            int slot = hash(pool, base, wordsPerSet, pool[base + wordsPerSet]) & mask;
            while (newTable[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            newTable[slot] = record + 1;
        }
        table = newTable;
    }

    private int hash(final long[] bits, final long value) {
        return hash(bits, 0, wordsPerSet, value);
    }

    private static int hash(final long[] words, final int offset, final int length, final long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < length; i++) {
            h = (h ^ words[offset + i]) * 0xC2B2AE3D27D4EB4FL;
            h ^= h >>> 29;
        }
        h ^= h >>> 32;
        return (int) h;
    }
}
