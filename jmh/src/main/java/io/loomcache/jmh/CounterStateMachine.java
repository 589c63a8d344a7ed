package io.loomcache.jmh;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

import io.loomcache.raft.StateMachine;

/**
 * The smallest useful replicated state for benchmarking Raft: counts applied commands and keeps the first 8 bytes
 * of the last one. A snapshot is the 8-byte count. Owned by the thread that drives its Raft member; allocates
 * nothing.
 */
final class CounterStateMachine implements StateMachine {
    private long applied;
    private long lastValue;

    @Override
    public void apply(final long index, final long term, final DirectBuffer buffer, final int offset,
        final int length) {
        applied++;
        if (length >= Long.BYTES) {
            lastValue = buffer.getLong(offset);
        }
    }

    @Override
    public int takeSnapshot(final ExpandableDirectByteBuffer out, final int offset) {
        out.putLong(offset, applied);
        return Long.BYTES;
    }

    @Override
    public void restore(final DirectBuffer buffer, final int offset, final int length) {
        applied = length >= Long.BYTES ? buffer.getLong(offset) : 0;
        lastValue = 0;
    }

    /** @return commands applied since the start (a snapshot restore carries the count over). */
    long applied() {
        return applied;
    }

    /** @return the first 8 bytes of the last applied command, 0 before any. */
    long lastValue() {
        return lastValue;
    }
}
