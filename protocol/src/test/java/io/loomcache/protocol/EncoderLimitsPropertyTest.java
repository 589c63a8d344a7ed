package io.loomcache.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcache.testkit.gen.Gen;
import io.loomcache.testkit.gen.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Encoders built with a peer's {@link ProtocolLimits} emit a frame exactly when that peer's {@link FrameDecoder}
 * and message decoder accept it, and otherwise return a negative {@link ErrorCode}: the reference is the same
 * message encoded under the generous default limits and fed to a peer with the small random limits.
 */
class EncoderLimitsPropertyTest {
    private static final byte UNTOUCHED = 0x5A;

    private final UnsafeBuffer source = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer reference = new UnsafeBuffer(new byte[2048]);
    private final UnsafeBuffer limited = new UnsafeBuffer(new byte[2048]);

    private static ProtocolLimits smallLimits(final Gen gen) {
        return new ProtocolLimits(gen.ints(16, 400), gen.ints(0, 120), gen.ints(0, 250));
    }

    @Test
    void shouldEncodeAMapRequestExactlyWhenThePeerAcceptsIt() {
        Property.forAll(1000, g -> mapRequest(smallLimits(g), g.choice(MessageCodecPropertyTest.MAP_OPCODES),
            g.ints(0, 300), g.ints(0, 300), g.ints(0, 300)));
    }

    private void mapRequest(final ProtocolLimits limits, final int opcode, final int keyLength,
        final int expectedLength, final int valueLength) {
        final int referenceLength = encodeMap(new MapRequestEncoder(), reference, opcode, keyLength,
            expectedLength, valueLength);
        final boolean accepted = peerAccepts(limits, reference, referenceLength);

        final int limitedLength = encodeMap(new MapRequestEncoder(limits), limited, opcode, keyLength,
            expectedLength, valueLength);
        assertEquals(accepted, limitedLength >= 0);
        assertEquals(accepted,
            MapRequestEncoder.check(limits, opcode, keyLength, expectedLength, valueLength) == ErrorCode.NONE);
        if (accepted) {
            assertArrayEquals(Frames.copy(reference, 0, referenceLength), Frames.copy(limited, 0, limitedLength));
        } else {
            assertTrue(ErrorCode.isDefined(-limitedLength));
        }
    }

    @Test
    void shouldEncodeAResponseOnlyWhenThePeerAcceptsItAndWriteNothingOtherwise() {
        Property.forAll(1000, g -> response(smallLimits(g), g.choice(MessageCodecPropertyTest.RESPONSE_OPCODES),
            g.ints(0, 300)));
    }

    private void response(final ProtocolLimits limits, final int opcode, final int dataLength) {
        final int referenceLength = encodeResponse(new ResponseEncoder(), reference, opcode, dataLength);
        final boolean accepted = referenceLength >= 0 && peerAccepts(limits, reference, referenceLength);

        limited.setMemory(0, limited.capacity(), UNTOUCHED);
        final int limitedLength = encodeResponse(new ResponseEncoder(limits), limited, opcode, dataLength);
        if (limitedLength >= 0) {
            assertTrue(peerAccepts(limits, limited, limitedLength));
        } else {
            assertTrue(ErrorCode.isDefined(-limitedLength));
            for (int i = 0; i < limited.capacity(); i++) {
                assertEquals(UNTOUCHED, limited.getByte(i));
            }
        }
        if (accepted) {
            assertArrayEquals(Frames.copy(reference, 0, referenceLength), Frames.copy(limited, 0, limitedLength));
        } else if (opcode != Opcodes.RESPONSE_ERROR) {
            assertTrue(limitedLength < 0);
        }
    }

    private int encodeMap(
        final MapRequestEncoder encoder,
        final UnsafeBuffer buffer,
        final int opcode,
        final int keyLength,
        final int expectedLength,
        final int valueLength) {
        encoder.wrap(buffer, 0).request(opcode, 9L, 4);
        return encoder.argumentIfCarried(100)
            .carriedFields(source, 0, keyLength, source, 0, expectedLength, source, 0, valueLength);
    }

    private int encodeResponse(
        final ResponseEncoder encoder, final UnsafeBuffer buffer, final int opcode, final int dataLength) {
        encoder.wrap(buffer, 0);
        return switch (opcode) {
            case Opcodes.RESPONSE_OK -> encoder.ok(9L);
            case Opcodes.RESPONSE_VALUE -> encoder.value(9L, source, 0, dataLength);
            case Opcodes.RESPONSE_NOT_FOUND -> encoder.notFound(9L);
            case Opcodes.RESPONSE_BOOLEAN -> encoder.booleanResult(9L, true);
            case Opcodes.RESPONSE_LONG -> encoder.longResult(9L, dataLength);
            case Opcodes.RESPONSE_ERROR -> encoder.error(9L, ErrorCode.TIMEOUT, source, 0, dataLength);
            case Opcodes.RESPONSE_REDIRECT -> encoder.redirect(9L, 1L, 2, 3, source, 0, dataLength);
            case Opcodes.RESPONSE_SERVER_BUSY -> encoder.serverBusy(9L, dataLength);
            default -> encoder.sequenceLost(9L, dataLength);
        };
    }

    /** Feeds one frame to a peer with these limits: its frame decoder must deliver it and its decoder accept it. */
    private static boolean peerAccepts(final ProtocolLimits limits, final UnsafeBuffer buffer, final int length) {
        final MapRequestDecoder mapDecoder = new MapRequestDecoder(limits);
        final ResponseDecoder responseDecoder = new ResponseDecoder(limits);
        final boolean[] valid = new boolean[1];
        final FrameDecoder frameDecoder = new FrameDecoder(limits, (frame, offset, frameLength) -> valid[0] =
            mapDecoder.wrap(frame, offset, frameLength).isValid()
                || responseDecoder.wrap(frame, offset, frameLength).isValid());
        return frameDecoder.onBytes(buffer, 0, length) == 1 && valid[0];
    }
}
