package io.loomcache.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.junit.jupiter.api.Test;

class ConnectionDrainTest {
    private static final int RING_LENGTH = 1024;
    private static final int FRAME_LENGTH = 100;
    private static final int RECORD_LENGTH = 112;

    /** A connection whose transport does nothing, with its ring: the test plays the writer by calling drainRing. */
    private static DetachedConnection connection() {
        final DetachedConnection connection = new DetachedConnection(RING_LENGTH, 1024 * 1024);
        assertTrue(connection.ensureRing());
        return connection;
    }

    @Test
    void shouldDrainFramesWrittenAfterTheRingWrappedBehindAPaddingRecordInOneCall() {
        assertEquals(RECORD_LENGTH, RecordDescriptor.HEADER_LENGTH + FRAME_LENGTH + 4,
            "record length of a frame, aligned to 8");
        final DetachedConnection connection = connection();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME_LENGTH]);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[64 * 1024]);
        final int framesBeforeEnd = RING_LENGTH / RECORD_LENGTH;
        for (int i = 0; i < framesBeforeEnd; i++) {
            frame.putInt(0, i);
            assertTrue(connection.deliver(frame, 0, FRAME_LENGTH));
        }
        assertEquals(framesBeforeEnd * FRAME_LENGTH, connection.drainRing(out, 0, out.capacity()));
        assertTrue(connection.isOutboundEmpty());

        frame.putInt(0, 1_000);
        assertTrue(connection.deliver(frame, 0, FRAME_LENGTH));
        frame.putInt(0, 1_001);
        assertTrue(connection.deliver(frame, 0, FRAME_LENGTH));

        assertEquals(2 * FRAME_LENGTH, connection.drainRing(out, 0, out.capacity()),
            "frames behind the padding at the ring's end must come out of the same drain");
        assertEquals(1_000, out.getInt(0));
        assertEquals(1_001, out.getInt(FRAME_LENGTH));
        assertTrue(connection.isOutboundEmpty());
        assertEquals(0, connection.wakeUps());
    }

    @Test
    void shouldStopDrainingAtTheCapacityAndKeepTheRestForTheNextDrain() {
        final DetachedConnection connection = connection();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME_LENGTH]);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[64 * 1024]);
        for (int i = 0; i < 5; i++) {
            frame.putInt(0, i);
            assertTrue(connection.deliver(frame, 0, FRAME_LENGTH));
        }
        assertEquals(2 * FRAME_LENGTH, connection.drainRing(out, 0, 2 * FRAME_LENGTH + FRAME_LENGTH / 2));
        assertEquals(1, out.getInt(FRAME_LENGTH));
        assertEquals(3 * FRAME_LENGTH, connection.drainRing(out, 0, out.capacity()));
        assertEquals(2, out.getInt(0));
        assertEquals(4, out.getInt(2 * FRAME_LENGTH));
        assertTrue(connection.isOutboundEmpty());
    }
}
