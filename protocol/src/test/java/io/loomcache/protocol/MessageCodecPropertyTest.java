package io.loomcache.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcache.testkit.gen.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MessageCodecPropertyTest {
    private static final ProtocolLimits LIMITS = new ProtocolLimits(8192, 256, 1024);

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8192]);
    private final Reencoder reencoder = new Reencoder(8192);

    static final int[] MAP_OPCODES = {
        Opcodes.MAP_PUT, Opcodes.MAP_GET, Opcodes.MAP_REMOVE, Opcodes.MAP_PUT_IF_ABSENT, Opcodes.MAP_REPLACE,
        Opcodes.MAP_CONTAINS_KEY, Opcodes.MAP_SIZE, Opcodes.MAP_CLEAR, Opcodes.MAP_EXPIRE, Opcodes.MAP_TTL,
        Opcodes.MAP_CLEAR_GROUP, Opcodes.MAP_INCREMENT, Opcodes.MAP_APPEND, Opcodes.MAP_GET_AND_PUT,
        Opcodes.MAP_GET_AND_REMOVE, Opcodes.MAP_PUT_IF_PRESENT, Opcodes.MAP_PERSIST, Opcodes.MAP_SET_RANGE,
        Opcodes.MAP_PUT_KEEP_TTL,
    };
    static final int[] RESPONSE_OPCODES = {
        Opcodes.RESPONSE_OK, Opcodes.RESPONSE_VALUE, Opcodes.RESPONSE_NOT_FOUND,
        Opcodes.RESPONSE_BOOLEAN, Opcodes.RESPONSE_LONG, Opcodes.RESPONSE_ERROR, Opcodes.RESPONSE_REDIRECT,
        Opcodes.RESPONSE_SERVER_BUSY, Opcodes.RESPONSE_SEQUENCE_LOST,
    };

    @Test
    void shouldDecodeEveryMapRequestToWhatWasEncoded() {
        Property.forAll(1000, g -> {
            final int opcode = g.choice(MAP_OPCODES);
            final long argument = MapRequestDescriptor.isSignedArgument(opcode) ? g.anyLong() :
                g.longs(0, Long.MAX_VALUE);
            mapRequest(opcode, g.anyLong(), g.anyInt(), argument, g.bytes(256), g.bytes(1024), g.bytes(1024),
                g.ints(0, 64));
        });
    }

    private void mapRequest(final int opcode, final long correlationId, final int mapId, final long argument,
        final byte[] key, final byte[] expected, final byte[] value, final int offset) {
        final int fields = MapRequestDescriptor.fields(opcode);
        final MapRequestEncoder encoder = new MapRequestEncoder().wrap(buffer, offset)
            .request(opcode, correlationId, mapId);
        final int length = encoder.argumentIfCarried(argument)
            .carriedFields(new UnsafeBuffer(key), 0, key.length, new UnsafeBuffer(expected), 0, expected.length,
                new UnsafeBuffer(value), 0, value.length);
        assertEquals(MapRequestDescriptor.frameLength(opcode, key.length, expected.length, value.length), length);

        final MapRequestDecoder decoder = new MapRequestDecoder(LIMITS).wrap(buffer, offset, length);
        assertEquals(ErrorCode.NONE, decoder.decodeError());
        assertEquals(opcode, decoder.opcode());
        assertEquals(correlationId, decoder.correlationId());
        assertEquals(mapId, decoder.mapId());
        assertEquals((fields & MapRequestDescriptor.FIELD_TTL) != 0 ? argument : 0, decoder.argument());
        assertEquals(MapRequestDescriptor.hasTtl(opcode) ? argument : 0, decoder.ttlMs());
        assertRange((fields & MapRequestDescriptor.FIELD_KEY) != 0 ? key : new byte[0],
            decoder.keyOffset(), decoder.keyLength());
        assertRange((fields & MapRequestDescriptor.FIELD_EXPECTED) != 0 ? expected : new byte[0],
            decoder.expectedOffset(), decoder.expectedLength());
        assertRange((fields & MapRequestDescriptor.FIELD_VALUE) != 0 ? value : new byte[0],
            decoder.valueOffset(), decoder.valueLength());
        assertArrayEquals(Frames.copy(buffer, offset, length), reencoder.reencode(decoder));
    }

    @Test
    void shouldDecodeHelloToWhatWasEncoded() {
        Property.forAll(1000, g -> hello(g.anyLong(), g.ints(1, 255), g.ints(0, 254), g.bytes(256)));
    }

    private void hello(final long correlationId, final int minVersion, final int extraVersions, final byte[] name) {
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

    @Test
    void shouldDecodeHelloResponseToWhatWasEncoded() {
        Property.forAll(1000, g -> helloResponse(g.anyLong(), g.ints(1, 255), g.anyInt(),
            g.ints(16, Integer.MAX_VALUE), g.ints(1, Integer.MAX_VALUE)));
    }

    private void helloResponse(final long correlationId, final int version, final int nodeId,
        final int maxFrameLength, final int partitionCount) {
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

    @Test
    void shouldDecodeEveryResponseKindToWhatWasEncoded() {
        Property.forAll(1000, g -> response(g.choice(RESPONSE_OPCODES), g.anyLong(), g.anyLong(), g.anyInt(),
            g.ints(1, Integer.MAX_VALUE), g.bool(), g.bytes(1024)));
    }

    private void response(final int opcode, final long correlationId, final long number, final int id,
        final int positive, final boolean flag, final byte[] data) {
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
