package io.loomcache.loadgen.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.loomcache.loadgen.workload.OpMix;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.HelloDecoder;
import io.loomcache.protocol.HelloResponseEncoder;
import io.loomcache.protocol.MapRequestDecoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseEncoder;
import io.loomcache.testkit.gen.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class LoomWireCodecTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);

    @Test
    void shouldEncodeMapGetThatTheServerDecoderAccepts() {
        final LoomWireCodec codec = new LoomWireCodec(100, ProtocolLimits.DEFAULTS);
        final int length = codec.encode(OpMix.GET, buffer, 8, 42, 0x1234_5678_9AL, codec.maxValueLength());
        final MapRequestDecoder decoder = new MapRequestDecoder(ProtocolLimits.DEFAULTS).wrap(buffer, 8, length);
        assertTrue(decoder.isValid(), "decode error " + decoder.decodeError());
        assertEquals(Opcodes.MAP_GET, decoder.opcode());
        assertEquals(0x1234_5678_9AL, decoder.correlationId());
        assertEquals(LoomWireCodec.MAP_ID, decoder.mapId());
        assertEquals("key:000000000042", decoder.keyAsString());
    }

    /** One request per operation of a mix, each a valid frame of its opcode with the key, TTL and values set. */
    @Test
    void shouldEncodeEveryOperationAsItsMapRequest() {
        final LoomWireCodec codec = new LoomWireCodec(10, 4_000, null, ProtocolLimits.DEFAULTS);
        final int[] opcodes = {Opcodes.MAP_GET, Opcodes.MAP_PUT, Opcodes.MAP_REMOVE, Opcodes.MAP_PUT_IF_ABSENT,
            Opcodes.MAP_PUT, Opcodes.MAP_REPLACE, Opcodes.MAP_GET_AND_PUT};
        int longest = 0;
        for (int op = 0; op < OpMix.COUNT; op++) {
            assertTrue(codec.supports(op));
            final int length = codec.encode(op, buffer, 0, 123, 5 + op, codec.maxValueLength());
            longest = Math.max(longest, length);
            final MapRequestDecoder decoder = new MapRequestDecoder(ProtocolLimits.DEFAULTS).wrap(buffer, 0, length);
            assertTrue(decoder.isValid(), OpMix.name(op) + ": decode error " + decoder.decodeError());
            assertEquals(opcodes[op], decoder.opcode(), OpMix.name(op));
            assertEquals(5 + op, decoder.correlationId());
            assertEquals("key:000000000123", decoder.keyAsString());
        }
        assertEquals(longest, codec.maxRequestLength());
        final int setex = codec.encode(OpMix.SETEX, buffer, 0, 1, 1, codec.maxValueLength());
        assertEquals(4_000, new MapRequestDecoder(ProtocolLimits.DEFAULTS).wrap(buffer, 0, setex).ttlMs());
        final int cas = codec.encode(OpMix.CAS, buffer, 0, 1, 1, codec.maxValueLength());
        final MapRequestDecoder replace = new MapRequestDecoder(ProtocolLimits.DEFAULTS).wrap(buffer, 0, cas);
        assertEquals("abcdefghij", replace.valueAsString());
        assertEquals(10, replace.expectedLength(), "compared against the value the generator writes");
    }

    /** A value shorter than the templates' is encoded in place: a valid frame holding that many pattern bytes. */
    @Test
    void shouldEncodeAShorterValueOfEveryWritingOperation() {
        final LoomWireCodec codec = new LoomWireCodec(100, 4_000, null, ProtocolLimits.DEFAULTS);
        for (final int op : new int[] {OpMix.SET, OpMix.SETNX, OpMix.SETEX, OpMix.CAS, OpMix.GETSET}) {
            final int length = codec.encode(op, buffer, 3, 77, 9, 7);
            assertTrue(length < codec.maxRequestLength());
            final MapRequestDecoder decoder = new MapRequestDecoder(ProtocolLimits.DEFAULTS).wrap(buffer, 3, length);
            assertTrue(decoder.isValid(), OpMix.name(op) + ": decode error " + decoder.decodeError());
            assertEquals(9, decoder.correlationId());
            assertEquals("key:000000000077", decoder.keyAsString());
            assertEquals("abcdefg", decoder.valueAsString(), OpMix.name(op));
        }
        final int setex = codec.encode(OpMix.SETEX, buffer, 0, 1, 1, 5);
        assertEquals(4_000, new MapRequestDecoder(ProtocolLimits.DEFAULTS).wrap(buffer, 0, setex).ttlMs());
        final int cas = codec.encode(OpMix.CAS, buffer, 0, 1, 1, 5);
        assertEquals(5, new MapRequestDecoder(ProtocolLimits.DEFAULTS).wrap(buffer, 0, cas).expectedLength());
    }

    @Test
    void shouldEncodeMapPutWithValueAndNoTtl() {
        final LoomWireCodec codec = new LoomWireCodec(30, ProtocolLimits.DEFAULTS);
        final int length = codec.encode(OpMix.SET, buffer, 0, 999_999_999_999L, 77, codec.maxValueLength());
        assertTrue(length <= codec.maxRequestLength());
        final MapRequestDecoder decoder = new MapRequestDecoder(ProtocolLimits.DEFAULTS).wrap(buffer, 0, length);
        assertTrue(decoder.isValid(), "decode error " + decoder.decodeError());
        assertEquals(Opcodes.MAP_PUT, decoder.opcode());
        assertEquals(77, decoder.correlationId());
        assertEquals(0, decoder.ttlMs());
        assertEquals("key:999999999999", decoder.keyAsString());
        assertEquals("abcdefghijklmnopqrstuvwxyzabcd", decoder.valueAsString());
    }

    @Test
    void shouldEncodeHelloForVersionOne() {
        final LoomWireCodec codec = new LoomWireCodec(10, ProtocolLimits.DEFAULTS);
        final int length = codec.encodeHandshake(buffer, 0, 0);
        final HelloDecoder hello = new HelloDecoder().wrap(buffer, 0, length);
        assertTrue(hello.isValid());
        assertEquals(FrameHeaderDescriptor.PROTOCOL_VERSION, hello.minVersion());
        assertEquals(LoomWireCodec.CLIENT_NAME, hello.clientNameAsString());
        assertFalse(codec.ordered());
    }

    @Test
    void shouldRefuseAValueSizeTheServerWouldReject() {
        assertThrows(IllegalArgumentException.class, () -> new LoomWireCodec(1000, new ProtocolLimits(512, 64, 2000)));
    }

    @Test
    void shouldReportEveryResponseKindWithItsCorrelationId() {
        final LoomWireCodec codec = new LoomWireCodec(10, ProtocolLimits.DEFAULTS);
        final int length = responses(buffer);
        final RecordingListener listener = new RecordingListener();
        assertEquals(length, codec.onBytes(buffer, 0, length, listener));
        assertEquals(expectedOutcomes(), listener.responses);
        assertEquals("STORE_FULL: store is full", codec.firstErrorMessage());
    }

    @Test
    void shouldReportTheSameResponsesWhateverTheReadBoundaries() {
        Property.forAll(1000, g -> anyReadBoundaries(g.ints(0, 400), g.ints(0, 400)));
    }

    private static void anyReadBoundaries(final int cut1, final int cut2) {
        final LoomWireCodec codec = new LoomWireCodec(10, ProtocolLimits.DEFAULTS);
        final UnsafeBuffer stream = new UnsafeBuffer(new byte[4096]);
        final int length = responses(stream);
        final int first = Math.min(Math.min(cut1, cut2), length);
        final int second = Math.min(Math.max(cut1, cut2), length);
        final RecordingListener listener = new RecordingListener();
        assertEquals(first, codec.onBytes(stream, 0, first, listener));
        assertEquals(second - first, codec.onBytes(stream, first, second - first, listener));
        assertEquals(length - second, codec.onBytes(stream, second, length - second, listener));
        assertEquals(expectedOutcomes(), listener.responses);
    }

    @Test
    void shouldReadResponsesOfANewerServerWithAFieldAppended() {
        final LoomWireCodec codec = new LoomWireCodec(10, ProtocolLimits.DEFAULTS);
        final byte[] value = "value".getBytes(StandardCharsets.US_ASCII);
        final int length = new ResponseEncoder().wrap(buffer, 0).value(12, new UnsafeBuffer(value), 0, value.length);
        buffer.putLong(length, -1L, FrameHeaderDescriptor.BYTE_ORDER);
        buffer.putInt(FrameHeaderDescriptor.BODY_LENGTH_OFFSET, length - FrameHeaderDescriptor.HEADER_LENGTH + 8,
            FrameHeaderDescriptor.BYTE_ORDER);
        final RecordingListener listener = new RecordingListener();
        assertEquals(length + 8, codec.onBytes(buffer, 0, length + 8, listener));
        assertEquals(List.of("12:" + Outcome.OK + ":0"), listener.responses);
    }

    @Test
    void shouldFailTheStreamOnAFrameOfAnotherVersion() {
        final LoomWireCodec codec = new LoomWireCodec(10, ProtocolLimits.DEFAULTS);
        final int length = new ResponseEncoder().wrap(buffer, 0).ok(1);
        buffer.putByte(FrameHeaderDescriptor.VERSION_OFFSET, (byte)9);
        assertEquals(-ErrorCode.UNSUPPORTED_VERSION, codec.onBytes(buffer, 0, length, new RecordingListener()));
    }

    private static int responses(final UnsafeBuffer out) {
        final ResponseEncoder encoder = new ResponseEncoder();
        final byte[] value = "value".getBytes(StandardCharsets.US_ASCII);
        final byte[] address = "10.0.0.2:7654".getBytes(StandardCharsets.US_ASCII);
        int offset = new HelloResponseEncoder().wrap(out, 0).correlationId(0).negotiatedVersion(1).nodeId(3)
            .maxFrameLength(1 << 20).partitionCount(271).frameLength();
        offset += encoder.wrap(out, offset).ok(11);
        offset += encoder.wrap(out, offset).value(12, new UnsafeBuffer(value), 0, value.length);
        offset += encoder.wrap(out, offset).notFound(13);
        offset += encoder.wrap(out, offset).serverBusy(14, 5);
        offset += encoder.wrap(out, offset).error(15, ErrorCode.STORE_FULL);
        offset += encoder.wrap(out, offset).error(16, ErrorCode.SERVER_BUSY);
        offset += encoder.wrap(out, offset).redirect(17, 3, 9, 2, new UnsafeBuffer(address), 0, address.length);
        offset += encoder.wrap(out, offset).longResult(18, 5);
        return offset;
    }

    private static List<String> expectedOutcomes() {
        final List<String> expected = new ArrayList<>();
        expected.add("0:" + Outcome.HANDSHAKE_OK + ":0");
        expected.add("11:" + Outcome.OK + ":0");
        expected.add("12:" + Outcome.OK + ":0");
        expected.add("13:" + Outcome.MISS + ":0");
        expected.add("14:" + Outcome.SERVER_BUSY + ":" + ErrorCode.SERVER_BUSY);
        expected.add("15:" + Outcome.ERROR + ":" + ErrorCode.STORE_FULL);
        expected.add("16:" + Outcome.SERVER_BUSY + ":" + ErrorCode.SERVER_BUSY);
        expected.add("17:" + Outcome.ERROR + ":" + Outcome.REDIRECT);
        expected.add("18:" + Outcome.ERROR + ":" + Outcome.UNEXPECTED_RESPONSE);
        return expected;
    }
}
