package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ResponseCodecTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final ResponseEncoder encoder = new ResponseEncoder();
    private final ResponseDecoder decoder = new ResponseDecoder(new ProtocolLimits(4096, 16, 32));

    @Test
    void shouldDistinguishNotFoundFromAnEmptyValue() {
        final int notFound = encoder.wrap(buffer, 0).notFound(5L);
        assertTrue(decoder.wrap(buffer, 0, notFound).isValid());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, decoder.opcode());
        assertEquals(HEADER_LENGTH, notFound);

        final int empty = encoder.wrap(buffer, 0).value(5L, buffer, 0, 0);
        assertTrue(decoder.wrap(buffer, 0, empty).isValid());
        assertEquals(Opcodes.RESPONSE_VALUE, decoder.opcode());
        assertEquals(0, decoder.valueLength());
    }

    @Test
    void shouldCarryErrorCodeWithItsStandardDescription() {
        final int length = encoder.wrap(buffer, 0).error(77L, ErrorCode.NOT_LEADER);
        decoder.wrap(buffer, 0, length);

        assertTrue(decoder.isValid());
        assertEquals(ErrorCode.NONE, decoder.decodeError());
        assertEquals(ErrorCode.NOT_LEADER, decoder.errorCode());
        assertEquals(ErrorCode.description(ErrorCode.NOT_LEADER), decoder.errorMessageAsString());
        assertEquals(77L, decoder.correlationId());
    }

    @Test
    void shouldDecodeRedirectBusyLongBooleanAndSequenceLost() {
        final UnsafeBuffer address = new UnsafeBuffer("10.0.0.2:7654".getBytes(StandardCharsets.US_ASCII));
        decoder.wrap(buffer, 0, encoder.wrap(buffer, 0).redirect(1L, 12L, 270, 3, address, 0, address.capacity()));
        assertEquals(12L, decoder.partitionTableVersion());
        assertEquals(270, decoder.partitionId());
        assertEquals(3, decoder.leaderNodeId());
        assertEquals("10.0.0.2:7654", decoder.addressAsString());

        decoder.wrap(buffer, 0, encoder.wrap(buffer, 0).serverBusy(2L, 250));
        assertEquals(250, decoder.retryAfterMs());
        assertEquals(0, decoder.partitionId());

        decoder.wrap(buffer, 0, encoder.wrap(buffer, 0).longResult(3L, -42L));
        assertEquals(-42L, decoder.longResult());
        assertEquals(0L, decoder.nextSequence());

        decoder.wrap(buffer, 0, encoder.wrap(buffer, 0).booleanResult(4L, true));
        assertTrue(decoder.booleanResult());

        decoder.wrap(buffer, 0, encoder.wrap(buffer, 0).sequenceLost(5L, 1000L));
        assertEquals(1000L, decoder.nextSequence());
        assertEquals(0L, decoder.longResult());
        assertTrue(decoder.isValid());
    }

    @Test
    void shouldRejectValueLongerThanMaxValueLength() {
        final int length = encoder.wrap(buffer, 0).value(1L, buffer, 100, 33);
        assertEquals(ErrorCode.VALUE_TOO_LONG, decoder.wrap(buffer, 0, length).decodeError());
    }

    @Test
    void shouldRejectValueLengthPointingOutsideTheFrame() {
        final int length = encoder.wrap(buffer, 0).value(1L, buffer, 100, 10);
        buffer.putInt(HEADER_LENGTH, 11, BYTE_ORDER);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, 0, length).decodeError());
    }

    @Test
    void shouldRejectBooleanOtherThanZeroOrOne() {
        final int length = encoder.wrap(buffer, 0).booleanResult(1L, true);
        buffer.putByte(HEADER_LENGTH, (byte)2);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, 0, length).decodeError());
    }

    @Test
    void shouldRejectErrorResponseWithoutAnError() {
        final byte[] frame = Frames.frame(Opcodes.RESPONSE_ERROR, 0, 1L, new byte[8]);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(new UnsafeBuffer(frame), 0, frame.length).decodeError());
    }

    @Test
    void shouldRejectNegativeRetryHintAndSkipBodyBytesAfterTheLayout() {
        final byte[] busy = Frames.frame(Opcodes.RESPONSE_SERVER_BUSY, 0, 1L, new byte[] {-1, -1, -1, -1});
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(new UnsafeBuffer(busy), 0, busy.length).decodeError());
        final int ok = encoder.wrap(buffer, 0).ok(1L);
        new FrameHeaderEncoder().wrap(buffer, 0).bodyLength(1);
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, 0, ok + 1).decodeError(), "a newer server's field");
        assertEquals(ok, decoder.encodedLength());
    }

    @Test
    void shouldRejectRequestsAndShortBodies() {
        final byte[] request = Frames.frame(Opcodes.MAP_SIZE, 0, 1L, new byte[4]);
        assertEquals(ErrorCode.UNKNOWN_OPCODE, decoder.wrap(new UnsafeBuffer(request), 0, request.length)
            .decodeError());
        final byte[] shortLong = Frames.frame(Opcodes.RESPONSE_LONG, 0, 1L, new byte[7]);
        assertEquals(ErrorCode.BODY_TOO_SHORT, decoder.wrap(new UnsafeBuffer(shortLong), 0, shortLong.length)
            .decodeError());
        assertFalse(decoder.isValid());
    }

    @Test
    void shouldRefuseToEncodeValueLongerThanThePeersMaxValueLengthAndWriteNothing() {
        final ResponseEncoder limited = new ResponseEncoder(new ProtocolLimits(4096, 16, 32));
        final UnsafeBuffer target = new UnsafeBuffer(new byte[128]);
        target.setMemory(0, target.capacity(), (byte)0x5A);

        assertEquals(-ErrorCode.VALUE_TOO_LONG, limited.wrap(target, 0).value(1L, buffer, 0, 33));
        assertEquals(-ErrorCode.INVALID_ARGUMENT, limited.wrap(target, 0).value(1L, buffer, 0, -1));
        for (int i = 0; i < target.capacity(); i++) {
            assertEquals((byte)0x5A, target.getByte(i));
        }
        final int length = limited.wrap(target, 0).value(1L, buffer, 0, 32);
        assertTrue(decoder.wrap(target, 0, length).isValid());
    }

    @Test
    void shouldRefuseToEncodeValueThatMakesTheFrameLongerThanMaxFrameLength() {
        final ProtocolLimits limits = new ProtocolLimits(64, 16, 1024);
        final ResponseEncoder limited = new ResponseEncoder(limits);
        final int fitting = 64 - HEADER_LENGTH - ResponseDescriptor.VALUE_MIN_BODY_LENGTH;

        assertEquals(-ErrorCode.FRAME_TOO_LONG, limited.wrap(buffer, 0).value(1L, buffer, 100, fitting + 1));
        final int length = limited.wrap(buffer, 0).value(1L, buffer, 100, fitting);
        assertEquals(64, length);
        final Frames.RecordingHandler frames = new Frames.RecordingHandler(64);
        assertEquals(1, frames.feed(new FrameDecoder(limits, frames), buffer, 0, length));
    }

    @Test
    void shouldTruncateAnErrorMessageToFitRatherThanFail() {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[2000]);
        message.setMemory(0, message.capacity(), (byte)'e');
        final ResponseDecoder lenient = new ResponseDecoder(ProtocolLimits.DEFAULTS);

        final int length = encoder.wrap(buffer, 0).error(1L, ErrorCode.TIMEOUT, message, 0, 2000);
        assertTrue(lenient.wrap(buffer, 0, length).isValid());
        assertEquals(ResponseDescriptor.MAX_ERROR_MESSAGE_LENGTH, lenient.errorMessageLength());

        final ResponseEncoder tiny = new ResponseEncoder(new ProtocolLimits(40, 16, 16));
        final int tinyLength = tiny.wrap(buffer, 0).error(1L, ErrorCode.TIMEOUT);
        assertEquals(40, tinyLength);
        assertTrue(lenient.wrap(buffer, 0, tinyLength).isValid());
        assertEquals(ErrorCode.description(ErrorCode.TIMEOUT).substring(0, 16), lenient.errorMessageAsString());
        assertEquals(-ErrorCode.FRAME_TOO_LONG,
            new ResponseEncoder(new ProtocolLimits(23, 0, 0)).wrap(buffer, 0).error(1L, ErrorCode.TIMEOUT));
    }

    @Test
    void shouldRefuseFieldsTheDecoderWouldRejectAsMalformed() {
        final UnsafeBuffer address = new UnsafeBuffer(new byte[ResponseDescriptor.MAX_ADDRESS_LENGTH + 1]);
        assertEquals(-ErrorCode.INVALID_ARGUMENT,
            encoder.wrap(buffer, 0).redirect(1L, 1L, 1, 1, address, 0, address.capacity()));
        assertEquals(-ErrorCode.INVALID_ARGUMENT, encoder.wrap(buffer, 0).error(1L, ErrorCode.NONE));
        assertEquals(-ErrorCode.INVALID_ARGUMENT, encoder.wrap(buffer, 0).error(1L, ErrorCode.TIMEOUT, buffer, 0, -1));
        assertEquals(-ErrorCode.INVALID_ARGUMENT, encoder.wrap(buffer, 0).serverBusy(1L, -1));
        final ResponseEncoder bare = new ResponseEncoder(new ProtocolLimits(HEADER_LENGTH, 0, 0));
        assertEquals(-ErrorCode.FRAME_TOO_LONG, bare.wrap(buffer, 0).booleanResult(1L, true));
        assertEquals(-ErrorCode.FRAME_TOO_LONG, bare.wrap(buffer, 0).longResult(1L, 1L));
        assertEquals(-ErrorCode.FRAME_TOO_LONG, bare.wrap(buffer, 0).sequenceLost(1L, 1L));
        assertEquals(-ErrorCode.FRAME_TOO_LONG, bare.wrap(buffer, 0).serverBusy(1L, 1));
        assertEquals(HEADER_LENGTH, bare.wrap(buffer, 0).ok(1L));
    }
}
