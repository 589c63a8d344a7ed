package io.loomcache.raft.storage;

/**
 * Where each entry of one group sits in a {@link SharedRaftLog}: the shared WAL's record index of every entry in
 * {@code (base, last]}, in a ring that doubles when full (the only allocation, and only past the largest span seen).
 * Positions grow with the entry index: an entry is always written after the entries before it that are kept.
 * Owned by the log's thread.
 */
final class PositionRing {
    private long[] positions;
    private int mask;
    private long base;
    private long last;

    PositionRing(final int initialCapacity) {
        final int size = Integer.highestOneBit(Math.max(2, initialCapacity - 1)) << 1;
        positions = new long[size];
        mask = size - 1;
    }

    /** Empties the ring: the next entry added is {@code base + 1}. */
    void reset(final long newBase) {
        base = newBase;
        last = newBase;
    }

    /** @return the index before the first entry held (the snapshot's index). */
    long base() {
        return base;
    }

    /** @return the last entry held, {@link #base()} when empty. */
    long last() {
        return last;
    }

    boolean isEmpty() {
        return last == base;
    }

    /** Adds entry {@code last() + 1} at WAL record {@code position}. */
    void add(final long position) {
        if (last - base == positions.length) {
            grow();
        }
        last++;
        positions[(int)last & mask] = position;
    }

    /** @return the WAL record of entry {@code index}, in {@code (base, last]}. */
    long position(final long index) {
        return positions[(int)index & mask];
    }

    /** Forgets the entries above {@code index} (not below the base). */
    void truncateAfter(final long index) {
        last = Math.max(base, Math.min(last, index));
    }

    /** Forgets the entries up to {@code index}; past the last one the ring restarts empty after it. */
    void dropUpTo(final long index) {
        if (index >= last) {
            reset(index);
        } else if (index > base) {
            base = index;
        }
    }

    /**
     * @param durablePosition the highest WAL record that is durable.
     * @return the highest entry whose record is at or below it, or {@link #base()}.
     */
    long lastAtOrBelow(final long durablePosition) {
        if (last == base || position(last) <= durablePosition) {
            return last;
        }
        long low = base;
        long high = last - 1;
        while (low < high) {
            final long mid = (low + high + 1) >>> 1;
            if (position(mid) <= durablePosition) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    private void grow() {
        final long[] next = new long[positions.length * 2];
        final int nextMask = next.length - 1;
        for (long index = base + 1; index <= last; index++) {
            next[(int)index & nextMask] = positions[(int)index & mask];
        }
        positions = next;
        mask = nextMask;
    }
}
