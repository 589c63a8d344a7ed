package io.loomcache.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Encoding every map request and every response, cutting the stream with the {@link FrameDecoder} and decoding each
 * frame allocates nothing once warm (measured as {@link FrameStreamAllocationTest} says).
 */
class AllocationFreeTest extends FrameStreamAllocationTest {
    private static final ProtocolLimits LIMITS = new ProtocolLimits(4096, 64, 512);
    private static final int MAP_ID = 3;
    private static final int FRAMES_PER_ROUND = 10 + 11;

    private final UnsafeBuffer key = new UnsafeBuffer(new byte[24]);
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[200]);
    private final MapRequestEncoder requestEncoder = new MapRequestEncoder(LIMITS);
    private final ResponseEncoder responseEncoder = new ResponseEncoder(LIMITS);
    private final DecodingHandler handler = new DecodingHandler();

    @Test
    void shouldNotAllocateWhenEncodingCuttingAndDecodingEveryMapRequestAndResponse() {
        final long rounds = assertAllocationFree(LIMITS, handler, FRAMES_PER_ROUND);
        assertEquals(rounds * FRAMES_PER_ROUND, handler.frames);
        assertEquals(0, handler.invalid);
        assertTrue(handler.checksum != 0);
    }

    /** Encodes the ten map requests then the eleven responses (two kinds of error) back to back. */
    @Override
    protected int encodeRound(final int round) {
        final long id = round;
        final int keyLength = 1 + round % key.capacity();
        final int valueLength = round % value.capacity();
        int position = 0;
        position += encode(requestEncoder.wrap(stream, position).request(Opcodes.MAP_PUT, id, MAP_ID)
            .ttlMs(round).key(key, 0, keyLength).value(value, 0, valueLength));
        position += encode(requestEncoder.wrap(stream, position).request(Opcodes.MAP_GET, id, MAP_ID)
            .key(key, 0, keyLength));
        position += encode(requestEncoder.wrap(stream, position).request(Opcodes.MAP_REMOVE, id, MAP_ID)
            .key(key, 0, keyLength));
        position += encode(requestEncoder.wrap(stream, position).request(Opcodes.MAP_PUT_IF_ABSENT, id, MAP_ID)
            .ttlMs(0).key(key, 0, keyLength).value(value, 0, valueLength));
        position += encode(requestEncoder.wrap(stream, position).request(Opcodes.MAP_REPLACE, id, MAP_ID)
            .key(key, 0, keyLength).expected(value, 0, valueLength / 2).value(value, 0, valueLength));
        position += encode(requestEncoder.wrap(stream, position).request(Opcodes.MAP_CONTAINS_KEY, id, MAP_ID)
            .key(key, 0, keyLength));
        position += encode(requestEncoder.wrap(stream, position).request(Opcodes.MAP_SIZE, id, MAP_ID));
        position += encode(requestEncoder.wrap(stream, position).request(Opcodes.MAP_CLEAR, id, MAP_ID)
            .flags(FrameHeaderDescriptor.FLAG_NO_REPLY));
        position += encode(requestEncoder.wrap(stream, position).request(Opcodes.MAP_EXPIRE, id, MAP_ID)
            .ttlMs(1000).key(key, 0, keyLength));
        position += encode(requestEncoder.wrap(stream, position).request(Opcodes.MAP_TTL, id, MAP_ID)
            .key(key, 0, keyLength));
        position += check(responseEncoder.wrap(stream, position).ok(id));
        position += check(responseEncoder.wrap(stream, position).value(id, value, 0, valueLength));
        position += check(responseEncoder.wrap(stream, position).notFound(id));
        position += check(responseEncoder.wrap(stream, position).booleanResult(id, (round & 1) == 0));
        position += check(responseEncoder.wrap(stream, position).longResult(id, -round));
        position += check(responseEncoder.wrap(stream, position).error(id, ErrorCode.NOT_LEADER));
        position += check(responseEncoder.wrap(stream, position).error(id, ErrorCode.INTERNAL_ERROR, key, 0, 9));
        position += check(responseEncoder.wrap(stream, position).redirect(id, round, 7, 2, key, 0, keyLength));
        position += check(responseEncoder.wrap(stream, position).serverBusy(id, round));
        position += check(responseEncoder.wrap(stream, position).sequenceLost(id, round + 1L));
        position += check(responseEncoder.wrap(stream, position).value(id, value, 0, 0));
        if (responseEncoder.wrap(stream, position).value(id, stream, 0, LIMITS.maxValueLength() + 1) >= 0) {
            throw new AssertionError("value above maxValueLength was encoded");
        }
        return position;
    }

    private static int encode(final MapRequestEncoder encoder) {
        return check(encoder.frameLength());
    }

    private static int check(final int frameLength) {
        if (frameLength < 0) {
            throw new AssertionError("encoding failed: " + ErrorCode.name(-frameLength));
        }
        return frameLength;
    }

    /** Decodes every frame with the flyweight of its category and folds its fields into a checksum. */
    private static final class DecodingHandler implements FrameHandler {
        private final FrameHeaderDecoder header = new FrameHeaderDecoder();
        private final MapRequestDecoder mapDecoder = new MapRequestDecoder(LIMITS);
        private final ResponseDecoder responseDecoder = new ResponseDecoder(LIMITS);
        private long frames;
        private long invalid;
        private long checksum;

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length) {
            frames++;
            final int opcode = header.wrap(buffer, offset).opcode();
            if (MapRequestDescriptor.isMapOpcode(opcode)) {
                if (!mapDecoder.wrap(buffer, offset, length).isValid()) {
                    invalid++;
                }
                checksum += mapDecoder.mapId() + mapDecoder.ttlMs() + mapDecoder.keyLength()
                    + mapDecoder.expectedLength() + mapDecoder.valueLength() + mapDecoder.correlationId();
            } else if (CommandTable.category(opcode) == OpcodeCategory.RESPONSE) {
                if (!responseDecoder.wrap(buffer, offset, length).isValid()) {
                    invalid++;
                }
                checksum += responseDecoder.valueLength() + responseDecoder.longResult()
                    + responseDecoder.errorCode() + responseDecoder.errorMessageLength()
                    + responseDecoder.partitionTableVersion() + responseDecoder.addressLength()
                    + responseDecoder.retryAfterMs() + responseDecoder.nextSequence()
                    + (responseDecoder.booleanResult() ? 1 : 0);
            } else {
                invalid++;
            }
        }
    }
}
