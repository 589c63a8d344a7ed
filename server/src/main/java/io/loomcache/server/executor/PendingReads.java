package io.loomcache.server.executor;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * The reads a leader waits to serve (ReadIndex), in arrival order, each with a copy of its request frame: records
 * of {sequence, connection, received time, frame length, frame} in one buffer that starts over whenever it empties
 * and moves its live records to the front when a record would not fit behind them, so it grows only with the bytes
 * of the reads waiting (at most the Raft read queue's 4096 of them), never with the reads served. Allocation only
 * when it grows. Owned by the executor.
 */
final class PendingReads {
    private static final int SEQ_OFFSET = 0;
    private static final int CONNECTION_OFFSET = 8;
    private static final int RECEIVED_OFFSET = 16;
    private static final int LENGTH_OFFSET = 24;
    private static final int FRAME_OFFSET = 32;

    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(64 * 1024);
    private int head;
    private int tail;

    boolean isEmpty() {
        return head == tail;
    }

    void add(final long seq, final long connectionId, final long receivedNs, final DirectBuffer frame,
        final int offset, final int length) {
        final int recordLength = BitUtil.align(FRAME_OFFSET + length, Long.BYTES);
        if (head > 0 && tail + recordLength > buffer.capacity()) {
            buffer.putBytes(0, buffer, head, tail - head);
            tail -= head;
            head = 0;
        }
        buffer.putLong(tail + SEQ_OFFSET, seq);
        buffer.putLong(tail + CONNECTION_OFFSET, connectionId);
        buffer.putLong(tail + RECEIVED_OFFSET, receivedNs);
        buffer.putInt(tail + LENGTH_OFFSET, length);
        buffer.putBytes(tail + FRAME_OFFSET, frame, offset, length);
        tail += recordLength;
    }

    /** @return the bytes the buffer holds, for tests. */
    int capacity() {
        return buffer.capacity();
    }

    DirectBuffer buffer() {
        return buffer;
    }

    long headSeq() {
        return buffer.getLong(head + SEQ_OFFSET);
    }

    long headConnection() {
        return buffer.getLong(head + CONNECTION_OFFSET);
    }

    long headReceivedNs() {
        return buffer.getLong(head + RECEIVED_OFFSET);
    }

    int headFrameOffset() {
        return head + FRAME_OFFSET;
    }

    int headFrameLength() {
        return buffer.getInt(head + LENGTH_OFFSET);
    }

    void pop() {
        head += BitUtil.align(FRAME_OFFSET + headFrameLength(), Long.BYTES);
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }
}
