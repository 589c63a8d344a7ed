package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final int MAX_FRAME_LENGTH = 1024;
    private static final ProtocolLimits LIMITS = new ProtocolLimits(MAX_FRAME_LENGTH, 64, 256);

    private final Frames.RecordingHandler handler = new Frames.RecordingHandler(MAX_FRAME_LENGTH);
    private final FrameDecoder decoder = new FrameDecoder(LIMITS, handler, 32);

    private int feed(final byte[] bytes) {
        return handler.feed(decoder, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static byte[] header(final int bodyLength, final int version, final int flags, final int opcode) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADER_LENGTH]);
        new FrameHeaderEncoder().wrap(buffer, 0).bodyLength(bodyLength).version(version).flags(flags).opcode(opcode)
            .correlationId(1L);
        return buffer.byteArray();
    }

    private void assertFailsWith(final int errorCode, final byte[] bytes) {
        assertEquals(-errorCode, feed(bytes));
        assertTrue(decoder.isFailed());
        assertEquals(errorCode, decoder.decodeError());
        assertTrue(handler.frames.isEmpty());
    }

    @Test
    void shouldHandContiguousFramesOverInPlaceWithoutCopying() {
        final byte[] ping = Frames.frame(Opcodes.PING, 0, 7L, new byte[0]);
        final UnsafeBuffer src = new UnsafeBuffer(Frames.concat(List.of(ping, ping)));
        final DirectBuffer[] seen = new DirectBuffer[2];
        final int[] offsets = new int[2];
        final int[] count = new int[1];
        final FrameDecoder inPlace = new FrameDecoder(LIMITS, (buffer, offset, length) -> {
            seen[count[0]] = buffer;
            offsets[count[0]++] = offset;
        });

        assertEquals(2, inPlace.onBytes(src, 0, src.capacity()));
        assertSame(src, seen[0]);
        assertSame(src, seen[1]);
        assertEquals(HEADER_LENGTH, offsets[1]);
        assertEquals(0, inPlace.bufferedLength());
    }

    @Test
    void shouldWaitForATruncatedBodyAndNeverReadPastTheBytesGiven() {
        final byte[] frame = Frames.frame(Opcodes.MAP_SIZE, 0, 3L, new byte[] {1, 2, 3, 4, 5});
        final byte[] head = Arrays.copyOf(frame, frame.length - 2);

        assertEquals(0, feed(head));
        assertEquals(head.length, decoder.bufferedLength());
        assertTrue(handler.frames.isEmpty());
        assertEquals(1, feed(new byte[] {frame[frame.length - 2], frame[frame.length - 1]}));
        assertArrayEquals(frame, handler.frames.get(0));
        assertEquals(0, decoder.bufferedLength());
        assertFalse(decoder.isFailed());
    }

    @Test
    void shouldAssembleAFrameSplitInsideItsHeader() {
        final byte[] frame = Frames.frame(Opcodes.PING, FrameHeaderDescriptor.FLAG_NO_REPLY, -1L, new byte[3]);
        assertEquals(0, feed(Arrays.copyOfRange(frame, 0, 5)));
        assertEquals(0, feed(Arrays.copyOfRange(frame, 5, 17)));
        assertEquals(1, feed(Arrays.copyOfRange(frame, 17, frame.length)));
        assertArrayEquals(frame, handler.frames.get(0));
    }

    @Test
    void shouldGrowTheAssemblyBufferOnlyAsBodyBytesArriveAndShrinkOnceTheFrameIsDelivered() {
        final byte[] frame = Frames.frame(Opcodes.PING, 0, 1L, new byte[MAX_FRAME_LENGTH - HEADER_LENGTH]);
        assertEquals(32, decoder.bufferCapacity());
        assertEquals(0, feed(Arrays.copyOf(frame, HEADER_LENGTH)));
        assertEquals(32, decoder.bufferCapacity(), "a header alone must not grow the buffer to the frame it announces");
        assertEquals(0, feed(Arrays.copyOfRange(frame, HEADER_LENGTH, 100)));
        assertEquals(100, decoder.bufferCapacity());
        assertEquals(0, feed(Arrays.copyOfRange(frame, 100, 300)));
        assertEquals(300, decoder.bufferCapacity());
        assertEquals(0, feed(Arrays.copyOfRange(frame, 300, 320)));
        assertEquals(600, decoder.bufferCapacity());
        assertEquals(1, feed(Arrays.copyOfRange(frame, 320, frame.length)));
        assertArrayEquals(frame, handler.frames.get(0));
        assertEquals(32, decoder.bufferCapacity());
        assertFalse(decoder.inFrame());
    }

    @Test
    void shouldGiveEveryGrownBufferBackToItsSourceWhenDeliveredReleasedOrFailed() {
        final CountingBuffers buffers = new CountingBuffers(Integer.MAX_VALUE);
        final FrameDecoder counted = new FrameDecoder(LIMITS, handler, 32, buffers);
        final byte[] frame = Frames.frame(Opcodes.PING, 0, 1L, new byte[500]);
        counted.onBytes(new UnsafeBuffer(frame), 0, 200);
        counted.onBytes(new UnsafeBuffer(frame), 200, 200);
        assertEquals(400, buffers.outstandingBytes);
        counted.onBytes(new UnsafeBuffer(frame), 400, frame.length - 400);
        assertEquals(0, buffers.outstandingBytes);

        counted.onBytes(new UnsafeBuffer(frame), 0, 200);
        assertEquals(200, buffers.outstandingBytes);
        counted.release();
        assertEquals(0, buffers.outstandingBytes);
        assertFalse(counted.inFrame());

        counted.onBytes(new UnsafeBuffer(frame), 0, 200);
        assertEquals(-ErrorCode.UNKNOWN_OPCODE, counted.onBytes(new UnsafeBuffer(Frames.concat(List.of(
            Arrays.copyOfRange(frame, 200, frame.length), header(0, 1, 0, 0x7FFF)))), 0, frame.length - 200 + 16));
        assertEquals(0, buffers.outstandingBytes);
    }

    @Test
    void shouldRefuseAFrameItCannotGetMemoryForSkipItsBodyAndDecodeTheNextFrame() {
        final CountingBuffers buffers = new CountingBuffers(0);
        final List<Long> refused = new ArrayList<>();
        final List<Integer> refusedLengths = new ArrayList<>();
        final FrameDecoder budgeted = budgeted(buffers, refused, refusedLengths);
        final byte[] big = Frames.frame(Opcodes.PING, 0, 41L, new byte[600 - HEADER_LENGTH]);
        final byte[] ping = Frames.frame(Opcodes.PING, 0, 42L, new byte[0]);
        final UnsafeBuffer stream = new UnsafeBuffer(Frames.concat(List.of(big, ping, big, ping)));
        int delivered = 0;
        for (int position = 0; position < stream.capacity(); position += 7) {
            delivered += budgeted.onBytes(stream, position, Math.min(7, stream.capacity() - position));
        }
        assertEquals(List.of(41L, 41L), refused);
        assertEquals(List.of(600, 600), refusedLengths);
        assertEquals(2, delivered);
        assertEquals(2, handler.frames.size());
        assertArrayEquals(ping, handler.frames.get(1));
        assertFalse(budgeted.isFailed());
        assertFalse(budgeted.inFrame());
        assertEquals(0, buffers.outstandingBytes);
    }

    @Test
    void shouldRefuseInPlaceWhenTheFirstChunkAlreadyNeedsMoreThanTheBaseBuffer() {
        final List<Long> refused = new ArrayList<>();
        final FrameDecoder budgeted = budgeted(new CountingBuffers(0), refused, new ArrayList<>());
        final byte[] big = Frames.frame(Opcodes.PING, 0, 1L, new byte[300]);
        final byte[] ping = Frames.frame(Opcodes.PING, 0, 2L, new byte[0]);
        final UnsafeBuffer stream = new UnsafeBuffer(Frames.concat(List.of(big, ping)));
        assertEquals(0, budgeted.onBytes(stream, 0, 100));
        assertEquals(1, refused.size());
        assertTrue(budgeted.inFrame());
        assertEquals(1, budgeted.onBytes(stream, 100, stream.capacity() - 100));
        assertArrayEquals(ping, handler.frames.get(0));
    }

    /** A decoder over the given buffers that hands frames to the handler and notes each refused frame. */
    private FrameDecoder budgeted(
        final AssemblyBuffers buffers, final List<Long> refusedIds, final List<Integer> refusedLengths) {
        return new FrameDecoder(LIMITS, new FrameHandler() {
            @Override
            public void onFrame(final DirectBuffer buffer, final int offset, final int length) {
                handler.onFrame(buffer, offset, length);
            }

            @Override
            public void onFrameRefused(final DirectBuffer header, final int offset, final int frameLength) {
                refusedIds.add(new FrameHeaderDecoder().wrap(header, offset).correlationId());
                refusedLengths.add(frameLength);
            }
        }, 32, buffers);
    }

    /** Hands out exact-size heap buffers while fewer than {@code budget} bytes are out; tracks what is out. */
    private static final class CountingBuffers implements AssemblyBuffers {
        private final long budget;
        private long outstandingBytes;

        CountingBuffers(final long budget) {
            this.budget = budget;
        }

        @Override
        public UnsafeBuffer acquire(final int minCapacity) {
            if (outstandingBytes + minCapacity > budget) {
                return null;
            }
            outstandingBytes += minCapacity;
            return new UnsafeBuffer(new byte[minCapacity]);
        }

        @Override
        public void release(final UnsafeBuffer buffer) {
            outstandingBytes -= buffer.capacity();
        }
    }

    @Test
    void shouldRejectFrameLongerThanMaxFrameLength() {
        assertFailsWith(ErrorCode.FRAME_TOO_LONG, header(MAX_FRAME_LENGTH - HEADER_LENGTH + 1, 1, 0, Opcodes.PING));
    }

    @Test
    void shouldRejectBodyLengthThatOverflowsWhenAddedToTheHeader() {
        assertFailsWith(ErrorCode.FRAME_TOO_LONG, header(Integer.MAX_VALUE - 8, 1, 0, Opcodes.PING));
    }

    @Test
    void shouldRejectNegativeBodyLength() {
        assertFailsWith(ErrorCode.MALFORMED_FRAME, header(-1, 1, 0, Opcodes.PING));
    }

    @Test
    void shouldRejectWrongVersion() {
        assertFailsWith(ErrorCode.UNSUPPORTED_VERSION, header(0, 2, 0, Opcodes.PING));
    }

    @Test
    void shouldRejectUnknownOpcode() {
        assertFailsWith(ErrorCode.UNKNOWN_OPCODE, header(0, 1, 0, 0x7FFF));
    }

    @Test
    void shouldRejectReservedFlagBits() {
        assertFailsWith(ErrorCode.MALFORMED_FRAME, header(0, 1, 0x04, Opcodes.PING));
    }

    @Test
    void shouldRejectBodyShorterThanTheCommandTableMinimum() {
        assertFailsWith(ErrorCode.BODY_TOO_SHORT, header(7, 1, 0, Opcodes.MAP_GET));
    }

    @Test
    void shouldRejectABadHeaderAsSoonAsItsSixteenBytesArriveWithoutWaitingForTheBody() {
        final byte[] bad = header(MAX_FRAME_LENGTH, 1, 0, Opcodes.PING);
        assertEquals(0, feed(Arrays.copyOf(bad, 10)));
        assertEquals(-ErrorCode.FRAME_TOO_LONG, feed(Arrays.copyOfRange(bad, 10, 16)));
    }

    @Test
    void shouldDeliverGoodFramesBeforeABadOneThenStayFailedUntilReset() {
        final byte[] ping = Frames.frame(Opcodes.PING, 0, 1L, new byte[0]);
        assertEquals(-ErrorCode.UNKNOWN_OPCODE, feed(Frames.concat(List.of(ping, header(0, 1, 0, 0)))));
        assertEquals(1, handler.frames.size());
        assertEquals(-ErrorCode.UNKNOWN_OPCODE, feed(ping));
        assertEquals(1, handler.frames.size());

        decoder.reset();
        assertEquals(1, feed(ping));
        assertFalse(decoder.isFailed());
    }

    @Test
    void shouldReturnInternalErrorInsteadOfThrowingWhenTheHandlerThrows() {
        final IllegalStateException bug = new IllegalStateException("handler bug");
        final int[] calls = new int[1];
        final FrameDecoder failing = new FrameDecoder(LIMITS, (buffer, offset, length) -> {
            if (++calls[0] == 2) {
                throw bug;
            }
        });
        final byte[] ping = Frames.frame(Opcodes.PING, 0, 1L, new byte[0]);
        final UnsafeBuffer three = new UnsafeBuffer(Frames.concat(List.of(ping, ping, ping)));

        assertEquals(-ErrorCode.INTERNAL_ERROR, failing.onBytes(three, 0, three.capacity()));
        assertEquals(2, calls[0]);
        assertTrue(failing.isFailed());
        assertEquals(ErrorCode.INTERNAL_ERROR, failing.decodeError());
        assertSame(bug, failing.handlerException());
        assertEquals(-ErrorCode.INTERNAL_ERROR, failing.onBytes(three, 0, three.capacity()));
        assertEquals(2, calls[0]);

        failing.reset();
        assertNull(failing.handlerException());
        assertEquals(1, failing.onBytes(three, 0, ping.length));
        assertEquals(3, calls[0]);
    }

    @Test
    void shouldReturnInternalErrorWhenTheHandlerThrowsOnAnAssembledFrame() {
        final FrameDecoder failing = new FrameDecoder(LIMITS, (buffer, offset, length) -> {
            throw new IndexOutOfBoundsException("handler bug");
        }, 32);
        final byte[] frame = Frames.frame(Opcodes.PING, 0, 1L, new byte[40]);

        assertEquals(0, failing.onBytes(new UnsafeBuffer(frame), 0, 20));
        assertEquals(-ErrorCode.INTERNAL_ERROR, failing.onBytes(new UnsafeBuffer(frame), 20, frame.length - 20));
        assertEquals(ErrorCode.INTERNAL_ERROR, failing.decodeError());
        assertEquals(0, failing.bufferedLength());
        assertTrue(failing.handlerException() instanceof IndexOutOfBoundsException);
    }

    @Test
    void shouldLetAnErrorFromTheHandlerPropagateButStillFailTheDecoder() {
        final FrameDecoder failing = new FrameDecoder(LIMITS, (buffer, offset, length) -> {
            throw new AssertionError("not a RuntimeException");
        });
        final byte[] ping = Frames.frame(Opcodes.PING, 0, 1L, new byte[0]);
        assertThrows(AssertionError.class, () -> failing.onBytes(new UnsafeBuffer(ping), 0, ping.length));
        assertEquals(ErrorCode.INTERNAL_ERROR, failing.decodeError());
        assertNull(failing.handlerException());
    }
}
