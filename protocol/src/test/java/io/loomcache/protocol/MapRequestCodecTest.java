package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MapRequestCodecTest {
    private static final ProtocolLimits LIMITS = new ProtocolLimits(4096, 8, 16);
    private static final int KEY_PREFIX = HEADER_LENGTH + 4 + 8;

    private final MapRequestEncoder encoder = new MapRequestEncoder();
    private final MapRequestDecoder decoder = new MapRequestDecoder(LIMITS);

    private static UnsafeBuffer bytes(final String text) {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A MAP_PUT of key "key" and value "value" with TTL 5000 ms in a buffer of exactly its length. */
    private UnsafeBuffer putFrame() {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[256]);
        final int length = encoder.wrap(scratch, 0).request(Opcodes.MAP_PUT, 42L, 7).ttlMs(5000)
            .key(bytes("key"), 0, 3).value(bytes("value"), 0, 5).frameLength();
        return new UnsafeBuffer(Frames.copy(scratch, 0, length));
    }

    @Test
    void shouldDecodePutFieldsAsViewsIntoTheFrame() {
        final UnsafeBuffer frame = putFrame();
        decoder.wrap(frame, 0, frame.capacity());

        assertTrue(decoder.isValid());
        assertEquals(Opcodes.MAP_PUT, decoder.opcode());
        assertEquals(42L, decoder.correlationId());
        assertEquals(7, decoder.mapId());
        assertEquals(5000, decoder.ttlMs());
        assertEquals(KEY_PREFIX + 4, decoder.keyOffset());
        assertEquals("key", decoder.keyAsString());
        assertEquals("value", decoder.valueAsString());
        assertEquals(0, decoder.expectedLength());
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[8]);
        assertEquals(5, decoder.getValue(copy, 1));
        assertEquals("value", copy.getStringWithoutLengthUtf8(1, 5));
        assertEquals(HEADER_LENGTH + 4 + 8 + 4 + 3 + 4 + 5, frame.capacity());
        assertEquals(frame.capacity(), MapRequestDescriptor.frameLength(Opcodes.MAP_PUT, 3, 99, 5));
    }

    @Test
    void shouldDecodeReplaceWithKeyExpectedAndNewValue() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final int length = encoder.wrap(buffer, 10).request(Opcodes.MAP_REPLACE, 1L, 2).key(bytes("k"), 0, 1)
            .expected(bytes("old"), 0, 3).value(bytes("new!"), 0, 4).frameLength();
        decoder.wrap(buffer, 10, length);

        assertTrue(decoder.isValid());
        assertEquals("k", decoder.keyAsString());
        assertEquals("old", buffer.getStringWithoutLengthUtf8(decoder.expectedOffset(), decoder.expectedLength()));
        assertEquals("new!", decoder.valueAsString());
        assertEquals(0, decoder.ttlMs());
    }

    @Test
    void shouldRejectKeyLengthPointingOutsideTheFrame() {
        final UnsafeBuffer frame = putFrame();
        frame.putInt(KEY_PREFIX, 100, BYTE_ORDER);
        final MapRequestDecoder lenient = new MapRequestDecoder(ProtocolLimits.DEFAULTS);
        assertEquals(ErrorCode.MALFORMED_FRAME, lenient.wrap(frame, 0, frame.capacity()).decodeError());
    }

    @Test
    void shouldRejectValueLengthPointingOutsideTheFrame() {
        final UnsafeBuffer frame = putFrame();
        frame.putInt(KEY_PREFIX + 4 + 3, 6, BYTE_ORDER);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(frame, 0, frame.capacity()).decodeError());
    }

    @Test
    void shouldRejectNegativeKeyLength() {
        final UnsafeBuffer frame = putFrame();
        frame.putInt(KEY_PREFIX, -1, BYTE_ORDER);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(frame, 0, frame.capacity()).decodeError());
    }

    @Test
    void shouldRejectKeyLongerThanMaxKeyLength() {
        final UnsafeBuffer frame = putFrame();
        frame.putInt(KEY_PREFIX, LIMITS.maxKeyLength() + 1, BYTE_ORDER);
        assertEquals(ErrorCode.KEY_TOO_LONG, decoder.wrap(frame, 0, frame.capacity()).decodeError());
    }

    @Test
    void shouldRejectValueLongerThanMaxValueLength() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final int length = encoder.wrap(buffer, 0).request(Opcodes.MAP_PUT, 1L, 1).ttlMs(0).key(bytes("k"), 0, 1)
            .value(new UnsafeBuffer(new byte[17]), 0, 17).frameLength();
        assertEquals(ErrorCode.VALUE_TOO_LONG, decoder.wrap(buffer, 0, length).decodeError());
    }

    @Test
    void shouldRejectExpectedValueLongerThanMaxValueLength() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final int length = encoder.wrap(buffer, 0).request(Opcodes.MAP_REPLACE, 1L, 1).key(bytes("k"), 0, 1)
            .expected(new UnsafeBuffer(new byte[17]), 0, 17).value(bytes("v"), 0, 1).frameLength();
        assertEquals(ErrorCode.VALUE_TOO_LONG, decoder.wrap(buffer, 0, length).decodeError());
    }

    @Test
    void shouldSkipTrailingBytesAfterTheLastFieldButNotLetALengthRunIntoThem() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = encoder.wrap(buffer, 0).request(Opcodes.MAP_GET, 1L, 1).key(bytes("k"), 0, 1)
            .frameLength();
        new FrameHeaderEncoder().wrap(buffer, 0).bodyLength(length - HEADER_LENGTH + 1);
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, 0, length + 1).decodeError(), "a newer client's field");
        assertEquals("k", decoder.keyAsString());
        assertEquals(length, decoder.encodedLength());
        buffer.putInt(length - 5, 3, BYTE_ORDER);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, 0, length + 1).decodeError());
    }

    @Test
    void shouldRejectNegativeTtl() {
        final UnsafeBuffer frame = putFrame();
        frame.putLong(HEADER_LENGTH + MapRequestDescriptor.TTL_MS_OFFSET, -1L, BYTE_ORDER);
        assertEquals(ErrorCode.INVALID_ARGUMENT, decoder.wrap(frame, 0, frame.capacity()).decodeError());
    }

    @Test
    void shouldRoundTripIncrementWithANegativeDeltaInTheTtlSlot() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        for (final long delta : new long[] {-5L, Long.MIN_VALUE, 0L, Long.MAX_VALUE}) {
            final int length = encoder.wrap(buffer, 3).request(Opcodes.MAP_INCREMENT, 9L, 1).argument(delta)
                .key(bytes("counter"), 0, 7).frameLength();
            assertEquals(MapRequestDescriptor.frameLength(Opcodes.MAP_INCREMENT, 7, 0, 0), length);
            decoder.wrap(buffer, 3, length);
            assertEquals(ErrorCode.NONE, decoder.decodeError(), "delta " + delta);
            assertEquals(Opcodes.MAP_INCREMENT, decoder.opcode());
            assertEquals(delta, decoder.argument());
            assertEquals(0, decoder.ttlMs(), "a delta is not a TTL");
            assertEquals("counter", decoder.keyAsString());
            assertEquals(delta, buffer.getLong(3 + HEADER_LENGTH + MapRequestDescriptor.TTL_MS_OFFSET, BYTE_ORDER));
        }
    }

    @Test
    void shouldRoundTripSetRangeOffsetAndRejectANegativeOne() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = encoder.wrap(buffer, 0).request(Opcodes.MAP_SET_RANGE, 9L, 1).argument(6)
            .key(bytes("k"), 0, 1).value(bytes("abc"), 0, 3).frameLength();
        decoder.wrap(buffer, 0, length);
        assertTrue(decoder.isValid());
        assertEquals(6, decoder.argument());
        assertEquals(0, decoder.ttlMs());
        assertEquals("abc", decoder.valueAsString());

        buffer.putLong(HEADER_LENGTH + MapRequestDescriptor.TTL_MS_OFFSET, -1L, BYTE_ORDER);
        assertEquals(ErrorCode.INVALID_ARGUMENT, decoder.wrap(buffer, 0, length).decodeError());
        assertEquals(-ErrorCode.INVALID_ARGUMENT, encoder.wrap(buffer, 0).request(Opcodes.MAP_SET_RANGE, 9L, 1)
            .argument(-1).key(bytes("k"), 0, 1).value(bytes("abc"), 0, 3).frameLength());
        assertEquals(-ErrorCode.INVALID_ARGUMENT, encoder.wrap(buffer, 0).request(Opcodes.MAP_GET_AND_PUT, 9L, 1)
            .argument(-1).key(bytes("k"), 0, 1).value(bytes("abc"), 0, 3).frameLength());
    }

    @Test
    void shouldEncodeTheRedisReadModifyWritesWithTheFieldsTheirDescriptorNames() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final UnsafeBuffer key = bytes("key");
        final UnsafeBuffer value = bytes("value");
        final int[] withTtl = {Opcodes.MAP_GET_AND_PUT, Opcodes.MAP_PUT_IF_PRESENT};
        for (final int opcode : withTtl) {
            final int length = encoder.wrap(buffer, 0).request(opcode, 1L, 0).ttlMs(2_000).key(key, 0, 3)
                .value(value, 0, 5).frameLength();
            assertTrue(decoder.wrap(buffer, 0, length).isValid(), Opcodes.name(opcode));
            assertEquals(2_000, decoder.ttlMs());
            assertEquals(2_000, decoder.argument());
            assertEquals("value", decoder.valueAsString());
        }
        for (final int opcode : new int[] {Opcodes.MAP_APPEND, Opcodes.MAP_PUT_KEEP_TTL}) {
            final int length = encoder.wrap(buffer, 0).request(opcode, 1L, 0).ttlMsIfCarried(7).key(key, 0, 3)
                .value(value, 0, 5).frameLength();
            assertTrue(decoder.wrap(buffer, 0, length).isValid(), Opcodes.name(opcode));
            assertEquals(HEADER_LENGTH + 4 + 4 + 3 + 4 + 5, length);
            assertEquals("key", decoder.keyAsString());
            assertEquals("value", decoder.valueAsString());
        }
        for (final int opcode : new int[] {Opcodes.MAP_GET_AND_REMOVE, Opcodes.MAP_PERSIST}) {
            final int length = encoder.wrap(buffer, 0).request(opcode, 1L, 0).key(key, 0, 3).frameLength();
            assertTrue(decoder.wrap(buffer, 0, length).isValid(), Opcodes.name(opcode));
            assertEquals(HEADER_LENGTH + 4 + 4 + 3, length);
        }
    }

    @Test
    void shouldRefuseATtlWhereTheSlotIsAnArgument() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        assertThrows(IllegalStateException.class,
            () -> encoder.wrap(buffer, 0).request(Opcodes.MAP_INCREMENT, 1L, 1).ttlMs(1));
        assertThrows(IllegalStateException.class,
            () -> encoder.wrap(buffer, 0).request(Opcodes.MAP_SET_RANGE, 1L, 1).ttlMsIfCarried(1).key(bytes("k"), 0,
                1));
        assertThrows(IllegalStateException.class,
            () -> encoder.wrap(buffer, 0).request(Opcodes.MAP_GET, 1L, 1).argument(1));
    }

    @Test
    void shouldRejectBodyShorterThanTheOpcodeMinimum() {
        final byte[] frame = Frames.frame(Opcodes.MAP_PUT, 0, 1L, new byte[19]);
        assertEquals(ErrorCode.BODY_TOO_SHORT, decoder.wrap(new UnsafeBuffer(frame), 0, frame.length).decodeError());
    }

    @Test
    void shouldRejectOpcodesThatAreNotMapRequests() {
        final byte[] frame = Frames.frame(Opcodes.QUEUE_POLL, 0, 1L, new byte[20]);
        assertEquals(ErrorCode.UNKNOWN_OPCODE, decoder.wrap(new UnsafeBuffer(frame), 0, frame.length).decodeError());
    }

    @Test
    void shouldRejectWrongVersionReservedFlagsAndInconsistentLengths() {
        final UnsafeBuffer frame = putFrame();
        final FrameHeaderEncoder header = new FrameHeaderEncoder().wrap(frame, 0);
        header.version(2);
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, decoder.wrap(frame, 0, frame.capacity()).decodeError());
        header.version(1).flags(0x40);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(frame, 0, frame.capacity()).decodeError());
        header.flags(0);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(frame, 0, frame.capacity() - 1).decodeError());
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(frame, 1, frame.capacity()).decodeError());
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(frame, 0, 15).decodeError());
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(frame, -1, 16).decodeError());
        assertFalse(decoder.isValid());
        assertTrue(decoder.appendTo(new StringBuilder()).toString().contains("MALFORMED_FRAME"));
    }

    @Test
    void shouldExposeEmptyFieldsAfterAnInvalidWrapInsteadOfStaleViews() {
        final UnsafeBuffer frame = putFrame();
        assertTrue(decoder.wrap(frame, 0, frame.capacity()).isValid());
        final UnsafeBuffer tiny = new UnsafeBuffer(new byte[4]);

        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(tiny, 0, 4).decodeError());
        assertEquals(0, decoder.getValue(new UnsafeBuffer(new byte[0]), 0));
        assertEquals(0, decoder.keyLength());
        assertEquals(0, decoder.opcode());
        assertEquals("", decoder.keyAsString());
    }

    @Test
    void shouldThrowOnEncoderMisuseBecauseItIsAProgrammingError() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        assertThrows(IllegalArgumentException.class, () -> encoder.wrap(buffer, 0).request(Opcodes.PING, 1L, 1));
        assertThrows(IllegalStateException.class,
            () -> encoder.wrap(buffer, 0).request(Opcodes.MAP_PUT, 1L, 1).key(bytes("k"), 0, 1));
        assertThrows(IllegalStateException.class,
            () -> encoder.wrap(buffer, 0).request(Opcodes.MAP_GET, 1L, 1).frameLength());
        assertThrows(IllegalStateException.class,
            () -> encoder.wrap(buffer, 0).request(Opcodes.MAP_SIZE, 1L, 1).ttlMs(1));
        assertThrows(IllegalArgumentException.class,
            () -> encoder.wrap(buffer, 0).request(Opcodes.MAP_PUT, 1L, 1).ttlMs(-1));
    }

    @Test
    void shouldLatchKeyTooLongAndReportItFromFrameLength() {
        final MapRequestEncoder limited = new MapRequestEncoder(LIMITS);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final int length = limited.wrap(buffer, 0).request(Opcodes.MAP_PUT, 1L, 1).ttlMs(0)
            .key(new UnsafeBuffer(new byte[9]), 0, 9).value(bytes("v"), 0, 1).frameLength();

        assertEquals(-ErrorCode.KEY_TOO_LONG, length);
        assertEquals(ErrorCode.KEY_TOO_LONG, MapRequestEncoder.check(LIMITS, Opcodes.MAP_PUT, 9, 0, 1));
        assertEquals(0, buffer.getInt(KEY_PREFIX, BYTE_ORDER));
        final int valid = limited.wrap(buffer, 0).request(Opcodes.MAP_PUT, 1L, 1).ttlMs(0)
            .key(new UnsafeBuffer(new byte[8]), 0, 8).value(bytes("v"), 0, 1).frameLength();
        assertTrue(decoder.wrap(buffer, 0, valid).isValid());
    }

    @Test
    void shouldLatchValueOrExpectedLongerThanMaxValueLength() {
        final MapRequestEncoder limited = new MapRequestEncoder(LIMITS);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final UnsafeBuffer big = new UnsafeBuffer(new byte[17]);

        assertEquals(-ErrorCode.VALUE_TOO_LONG, limited.wrap(buffer, 0).request(Opcodes.MAP_PUT, 1L, 1).ttlMs(0)
            .key(bytes("k"), 0, 1).value(big, 0, 17).frameLength());
        assertEquals(-ErrorCode.VALUE_TOO_LONG, limited.wrap(buffer, 0).request(Opcodes.MAP_REPLACE, 1L, 1)
            .key(bytes("k"), 0, 1).expected(big, 0, 17).value(bytes("v"), 0, 1).frameLength());
        assertEquals(-ErrorCode.INVALID_ARGUMENT, limited.wrap(buffer, 0).request(Opcodes.MAP_GET, 1L, 1)
            .key(bytes("k"), 0, -1).frameLength());
        assertEquals(ErrorCode.VALUE_TOO_LONG, MapRequestEncoder.check(LIMITS, Opcodes.MAP_REPLACE, 1, 17, 1));

        final int length = limited.wrap(buffer, 0).request(Opcodes.MAP_PUT, 1L, 1).ttlMs(0)
            .key(bytes("k"), 0, 1).value(big, 0, 16).frameLength();
        assertTrue(decoder.wrap(buffer, 0, length).isValid());
        assertEquals(ErrorCode.NONE, MapRequestEncoder.check(LIMITS, Opcodes.MAP_PUT, 1, 0, 16));
    }

    @Test
    void shouldLatchFrameTooLongWhenTheFieldsTogetherExceedMaxFrameLength() {
        final ProtocolLimits limits = new ProtocolLimits(64, 64, 64);
        final MapRequestEncoder limited = new MapRequestEncoder(limits);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final UnsafeBuffer twenty = new UnsafeBuffer(new byte[20]);
        final int fittingValue = 64 - (HEADER_LENGTH + 4 + 8 + 4 + 20 + 4);

        assertEquals(-ErrorCode.FRAME_TOO_LONG, limited.wrap(buffer, 0).request(Opcodes.MAP_PUT, 1L, 1).ttlMs(0)
            .key(twenty, 0, 20).value(twenty, 0, fittingValue + 1).frameLength());
        assertEquals(ErrorCode.FRAME_TOO_LONG,
            MapRequestEncoder.check(limits, Opcodes.MAP_PUT, 20, 0, fittingValue + 1));
        assertEquals(-ErrorCode.FRAME_TOO_LONG, new MapRequestEncoder(new ProtocolLimits(19, 0, 0))
            .wrap(buffer, 0).request(Opcodes.MAP_SIZE, 1L, 1).frameLength());

        final int length = limited.wrap(buffer, 0).request(Opcodes.MAP_PUT, 1L, 1).ttlMs(0)
            .key(twenty, 0, 20).value(twenty, 0, fittingValue).frameLength();
        assertEquals(64, length);
        final Frames.RecordingHandler frames = new Frames.RecordingHandler(64);
        assertEquals(1, frames.feed(new FrameDecoder(limits, frames), buffer, 0, length));
        assertEquals(ErrorCode.UNKNOWN_OPCODE, MapRequestEncoder.check(limits, Opcodes.PING, 0, 0, 0));
    }
}
