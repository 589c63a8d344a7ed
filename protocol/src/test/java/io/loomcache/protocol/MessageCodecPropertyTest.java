package io.loomcache.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

class MessageCodecPropertyTest {
    private static final ProtocolLimits LIMITS = new ProtocolLimits(8192, 256, 1024);

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8192]);
    private final Reencoder reencoder = new Reencoder(8192);

    @Provide
    Arbitrary<Integer> mapOpcodes() {
        return Arbitraries.of(Opcodes.MAP_PUT, Opcodes.MAP_GET, Opcodes.MAP_REMOVE, Opcodes.MAP_PUT_IF_ABSENT,
            Opcodes.MAP_REPLACE, Opcodes.MAP_CONTAINS_KEY, Opcodes.MAP_SIZE, Opcodes.MAP_CLEAR, Opcodes.MAP_EXPIRE,
            Opcodes.MAP_TTL);
    }

    @Property
    void shouldDecodeEveryMapRequestToWhatWasEncoded(
        @ForAll("mapOpcodes") final int opcode,
        @ForAll final long correlationId,
        @ForAll final int mapId,
        @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) final long ttlMs,
        @ForAll @Size(max = 256) final byte[] key,
        @ForAll @Size(max = 1024) final byte[] expected,
        @ForAll @Size(max = 1024) final byte[] value,
        @ForAll @IntRange(max = 64) final int offset) {
        final int fields = MapRequestDescriptor.fields(opcode);
        final MapRequestEncoder encoder = new MapRequestEncoder().wrap(buffer, offset)
            .request(opcode, correlationId, mapId);
        if ((fields & MapRequestDescriptor.FIELD_TTL) != 0) {
            encoder.ttlMs(ttlMs);
        }
        if ((fields & MapRequestDescriptor.FIELD_KEY) != 0) {
            encoder.key(new UnsafeBuffer(key), 0, key.length);
        }
        if ((fields & MapRequestDescriptor.FIELD_EXPECTED) != 0) {
            encoder.expected(new UnsafeBuffer(expected), 0, expected.length);
        }
        if ((fields & MapRequestDescriptor.FIELD_VALUE) != 0) {
            encoder.value(new UnsafeBuffer(value), 0, value.length);
        }
        final int length = encoder.frameLength();
        assertEquals(MapRequestDescriptor.frameLength(opcode, key.length, expected.length, value.length), length);

        final MapRequestDecoder decoder = new MapRequestDecoder(LIMITS).wrap(buffer, offset, length);
        assertEquals(ErrorCode.NONE, decoder.decodeError());
        assertEquals(opcode, decoder.opcode());
        assertEquals(correlationId, decoder.correlationId());
        assertEquals(mapId, decoder.mapId());
        assertEquals((fields & MapRequestDescriptor.FIELD_TTL) != 0 ? ttlMs : 0, decoder.ttlMs());
        assertRange((fields & MapRequestDescriptor.FIELD_KEY) != 0 ? key : new byte[0],
            decoder.keyOffset(), decoder.keyLength());
        assertRange((fields & MapRequestDescriptor.FIELD_EXPECTED) != 0 ? expected : new byte[0],
            decoder.expectedOffset(), decoder.expectedLength());
        assertRange((fields & MapRequestDescriptor.FIELD_VALUE) != 0 ? value : new byte[0],
            decoder.valueOffset(), decoder.valueLength());
        assertArrayEquals(Frames.copy(buffer, offset, length), reencoder.reencode(decoder));
    }

    @Property
    void shouldDecodeHelloToWhatWasEncoded(
        @ForAll final long correlationId,
        @ForAll @IntRange(min = 1, max = 255) final int minVersion,
        @ForAll @IntRange(min = 0, max = 254) final int extraVersions,
        @ForAll @Size(max = 256) final byte[] name) {
        final int maxVersion = Math.min(255, minVersion + extraVersions);
        final int length = new HelloEncoder().wrap(buffer, 3).correlationId(correlationId).minVersion(minVersion)
            .maxVersion(maxVersion).clientName(new UnsafeBuffer(name), 0, name.length);

        final HelloDecoder decoder = new HelloDecoder().wrap(buffer, 3, length);
        assertTrue(decoder.isValid());
        assertEquals(correlationId, decoder.correlationId());
        assertEquals(minVersion, decoder.minVersion());
        assertEquals(maxVersion, decoder.maxVersion());
        assertRange(name, decoder.clientNameOffset(), decoder.clientNameLength());
        assertArrayEquals(Frames.copy(buffer, 3, length), reencoder.reencode(decoder));
    }

    @Property
    void shouldDecodeHelloResponseToWhatWasEncoded(
        @ForAll final long correlationId,
        @ForAll @IntRange(min = 1, max = 255) final int version,
        @ForAll final int nodeId,
        @ForAll @IntRange(min = 16) final int maxFrameLength,
        @ForAll @IntRange(min = 1) final int partitionCount) {
        final int length = new HelloResponseEncoder().wrap(buffer, 0).correlationId(correlationId)
            .negotiatedVersion(version).nodeId(nodeId).maxFrameLength(maxFrameLength).partitionCount(partitionCount)
            .frameLength();

        final HelloResponseDecoder decoder = new HelloResponseDecoder().wrap(buffer, 0, length);
        assertTrue(decoder.isValid());
        assertEquals(version, decoder.negotiatedVersion());
        assertEquals(nodeId, decoder.nodeId());
        assertEquals(maxFrameLength, decoder.maxFrameLength());
        assertEquals(partitionCount, decoder.partitionCount());
        assertArrayEquals(Frames.copy(buffer, 0, length), reencoder.reencode(decoder));
    }

    @Provide
    Arbitrary<Integer> responseOpcodes() {
        return Arbitraries.of(Opcodes.RESPONSE_OK, Opcodes.RESPONSE_VALUE, Opcodes.RESPONSE_NOT_FOUND,
            Opcodes.RESPONSE_BOOLEAN, Opcodes.RESPONSE_LONG, Opcodes.RESPONSE_ERROR, Opcodes.RESPONSE_REDIRECT,
            Opcodes.RESPONSE_SERVER_BUSY, Opcodes.RESPONSE_SEQUENCE_LOST);
    }

    @Property
    void shouldDecodeEveryResponseKindToWhatWasEncoded(
        @ForAll("responseOpcodes") final int opcode,
        @ForAll final long correlationId,
        @ForAll final long number,
        @ForAll final int id,
        @ForAll @IntRange(min = 1) final int positive,
        @ForAll final boolean flag,
        @ForAll @Size(max = 1024) final byte[] data) {
        final ResponseEncoder encoder = new ResponseEncoder().wrap(buffer, 0);
        final UnsafeBuffer src = new UnsafeBuffer(data);
        final int errorLength = Math.min(data.length, ResponseDescriptor.MAX_ERROR_MESSAGE_LENGTH);
        final int addressLength = Math.min(data.length, ResponseDescriptor.MAX_ADDRESS_LENGTH);
        final int length = switch (opcode) {
            case Opcodes.RESPONSE_OK -> encoder.ok(correlationId);
            case Opcodes.RESPONSE_NOT_FOUND -> encoder.notFound(correlationId);
            case Opcodes.RESPONSE_VALUE -> encoder.value(correlationId, src, 0, data.length);
            case Opcodes.RESPONSE_BOOLEAN -> encoder.booleanResult(correlationId, flag);
            case Opcodes.RESPONSE_LONG -> encoder.longResult(correlationId, number);
            case Opcodes.RESPONSE_ERROR -> encoder.error(correlationId, positive, src, 0, errorLength);
            case Opcodes.RESPONSE_REDIRECT -> encoder.redirect(correlationId, number, id, positive, src, 0,
                addressLength);
            case Opcodes.RESPONSE_SERVER_BUSY -> encoder.serverBusy(correlationId, positive);
            default -> encoder.sequenceLost(correlationId, number);
        };

        final ResponseDecoder decoder = new ResponseDecoder(LIMITS).wrap(buffer, 0, length);
        assertEquals(ErrorCode.NONE, decoder.decodeError());
        assertEquals(opcode, decoder.opcode());
        assertEquals(correlationId, decoder.correlationId());
        switch (opcode) {
            case Opcodes.RESPONSE_VALUE -> assertRange(data, decoder.valueOffset(), decoder.valueLength());
            case Opcodes.RESPONSE_BOOLEAN -> assertEquals(flag, decoder.booleanResult());
            case Opcodes.RESPONSE_LONG -> assertEquals(number, decoder.longResult());
            case Opcodes.RESPONSE_ERROR -> {
                assertEquals(positive, decoder.errorCode());
                assertEquals(errorLength, decoder.errorMessageLength());
            }
            case Opcodes.RESPONSE_REDIRECT -> {
                assertEquals(number, decoder.partitionTableVersion());
                assertEquals(id, decoder.partitionId());
                assertEquals(positive, decoder.leaderNodeId());
                assertEquals(addressLength, decoder.addressLength());
            }
            case Opcodes.RESPONSE_SERVER_BUSY -> assertEquals(positive, decoder.retryAfterMs());
            case Opcodes.RESPONSE_SEQUENCE_LOST -> assertEquals(number, decoder.nextSequence());
            default -> assertEquals(0, decoder.bodyLength());
        }
        assertArrayEquals(Frames.copy(buffer, 0, length), reencoder.reencode(decoder));
    }

    private void assertRange(final byte[] expected, final int offset, final int length) {
        assertEquals(expected.length, length);
        assertArrayEquals(expected, Frames.copy(buffer, offset, length));
    }
}
