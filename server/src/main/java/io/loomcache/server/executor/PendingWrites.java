package io.loomcache.server.executor;

/**
 * The writes a leader proposed and has not answered yet, in index order: a ring of primitive columns, no
 * allocation after construction. Owned by the executor.
 */
final class PendingWrites {
    private final long[] indexes;
    private final long[] terms;
    private final long[] connections;
    private final long[] receivedNs;
    private final long[] correlationIds;
    private final int[] opcodes;
    private final int[] noReplies;
    private final int mask;
    private long head;
    private long tail;

    PendingWrites(final int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacityPowerOfTwo);
        }
        indexes = new long[capacityPowerOfTwo];
        terms = new long[capacityPowerOfTwo];
        connections = new long[capacityPowerOfTwo];
        receivedNs = new long[capacityPowerOfTwo];
        correlationIds = new long[capacityPowerOfTwo];
        opcodes = new int[capacityPowerOfTwo];
        noReplies = new int[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    boolean isEmpty() {
        return head == tail;
    }

    boolean isFull() {
        return tail - head == indexes.length;
    }

    void add(final long index, final long term, final long connectionId, final long received,
        final long correlationId, final int opcode, final int noReply) {
        final int slot = (int)(tail & mask);
        indexes[slot] = index;
        terms[slot] = term;
        connections[slot] = connectionId;
        receivedNs[slot] = received;
        correlationIds[slot] = correlationId;
        opcodes[slot] = opcode;
        noReplies[slot] = noReply;
        tail++;
    }

    long headIndex() {
        return indexes[(int)(head & mask)];
    }

    long headTerm() {
        return terms[(int)(head & mask)];
    }

    long headConnection() {
        return connections[(int)(head & mask)];
    }

    long headReceivedNs() {
        return receivedNs[(int)(head & mask)];
    }

    long headCorrelationId() {
        return correlationIds[(int)(head & mask)];
    }

    int headOpcode() {
        return opcodes[(int)(head & mask)];
    }

    int headNoReply() {
        return noReplies[(int)(head & mask)];
    }

    void pop() {
        head++;
    }
}
