package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class PendingReadsTest {
    @Test
    void shouldStayBoundedWhileReadsKeepWaitingAndComeOutInOrder() {
        final PendingReads reads = new PendingReads();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[200]);
        long next = 0;
        long served = 0;
        // never empty: two reads wait at all times, a million go through
        for (int i = 0; i < 1_000_000; i++) {
            frame.putLong(0, next);
            reads.add(next, 7, 11, frame, 0, 100 + (int)(next % 100));
            next++;
            if (next > 2) {
                assertEquals(served, reads.headSeq());
                assertEquals(served, reads.buffer().getLong(reads.headFrameOffset()));
                assertEquals(100 + (int)(served % 100), reads.headFrameLength());
                reads.pop();
                served++;
            }
        }
        assertTrue(reads.capacity() <= 128 * 1024, "capacity " + reads.capacity());
    }
}
