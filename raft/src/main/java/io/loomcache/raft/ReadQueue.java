package io.loomcache.raft;

/**
 * Pending linearizable reads of a leader, in arrival order (§6.4): each waits until a quorum acknowledged a
 * message sent after it was queued (its sequence), then until the state machine applied its read index. A ring of
 * primitive arrays: queuing and serving allocate nothing.
 */
final class ReadQueue {
    private final long[] correlationIds;
    private final long[] readIndexes;
    private final long[] seqs;
    private final int mask;
    private long head;
    private long tail;

    ReadQueue(final int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacityPowerOfTwo);
        }
        correlationIds = new long[capacityPowerOfTwo];
        readIndexes = new long[capacityPowerOfTwo];
        seqs = new long[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    boolean offer(final long correlationId, final long readIndex, final long seq) {
        if (tail - head == correlationIds.length) {
            return false;
        }
        final int slot = (int)(tail & mask);
        correlationIds[slot] = correlationId;
        readIndexes[slot] = readIndex;
        seqs[slot] = seq;
        tail++;
        return true;
    }

    int size() {
        return (int)(tail - head);
    }

    /**
     * Serves, in order, the reads whose sequence a quorum acknowledged and whose read index is applied.
     */
    int serve(final long quorumAckedSeq, final long lastApplied, final RaftListener listener) {
        int served = 0;
        while (head < tail) {
            final int slot = (int)(head & mask);
            if (seqs[slot] > quorumAckedSeq || readIndexes[slot] > lastApplied) {
                break;
            }
            head++;
            served++;
            listener.onReadReady(correlationIds[slot], readIndexes[slot]);
        }
        return served;
    }

    int rejectAll(final RaftListener listener) {
        int rejected = 0;
        while (head < tail) {
            final int slot = (int)(head & mask);
            head++;
            rejected++;
            listener.onReadRejected(correlationIds[slot]);
        }
        return rejected;
    }
}
