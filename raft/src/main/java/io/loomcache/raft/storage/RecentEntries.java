package io.loomcache.raft.storage;

import org.agrona.DirectBuffer;

import io.loomcache.wal.RecordHandler;

/**
 * Where the most recent entries of a {@link WalRaftLog} sit in the mapped WAL segments: a ring of term, type,
 * payload offset, length and segment buffer per index, so that the tail a leader re-reads to replicate costs one
 * array lookup instead of a walk through the segment. Holds a contiguous range of indexes
 * {@code [fromIndex, toIndex]} of at most {@code capacity} entries. As a {@link RecordHandler} it records the
 * entries a WAL read delivers. Owned by the log's thread; allocation-free after construction.
 */
final class RecentEntries implements RecordHandler {
    private final int mask;
    private final long[] terms;
    private final int[] types;
    private final int[] offsets;
    private final int[] lengths;
    private final DirectBuffer[] buffers;
    private long fromIndex = 1;
    private long toIndex;

    /**
     * @param capacity entries remembered, rounded up to a power of two.
     */
    RecentEntries(final int capacity) {
        final int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        mask = size - 1;
        terms = new long[size];
        types = new int[size];
        offsets = new int[size];
        lengths = new int[size];
        buffers = new DirectBuffer[size];
    }

    @Override
    public void onRecord(
        final int type, final long term, final long index, final DirectBuffer buffer, final int offset,
        final int payloadLength) {
        add(index, term, type, buffer, offset, payloadLength);
    }

    /**
     * Remembers an entry; one that does not follow {@code toIndex} starts a new range.
     */
    void add(final long index, final long term, final int type, final DirectBuffer buffer, final int offset,
        final int length) {
        if (index != toIndex + 1 || fromIndex > toIndex) {
            fromIndex = index;
        }
        final int slot = (int)index & mask;
        terms[slot] = term;
        types[slot] = type;
        offsets[slot] = offset;
        lengths[slot] = length;
        buffers[slot] = buffer;
        toIndex = index;
        if (toIndex - fromIndex > mask) {
            fromIndex = toIndex - mask;
        }
    }

    boolean contains(final long index) {
        return index >= fromIndex && index <= toIndex;
    }

    /** Forgets entries above {@code index}. */
    void truncateAfter(final long index) {
        if (index < toIndex) {
            toIndex = index;
        }
    }

    /** Forgets every entry; the next one added starts a new range. */
    void clear() {
        fromIndex = 1;
        toIndex = 0;
    }

    long term(final long index) {
        return terms[(int)index & mask];
    }

    int type(final long index) {
        return types[(int)index & mask];
    }

    int length(final long index) {
        return lengths[(int)index & mask];
    }

    int offset(final long index) {
        return offsets[(int)index & mask];
    }

    DirectBuffer buffer(final long index) {
        return buffers[(int)index & mask];
    }

    int capacity() {
        return mask + 1;
    }
}
