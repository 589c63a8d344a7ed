package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class HelloCodecTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final HelloDecoder decoder = new HelloDecoder();

    private int encodeHello(final int minVersion, final int maxVersion, final int nameLength) {
        final UnsafeBuffer name = new UnsafeBuffer("loadgen-1".repeat(40).getBytes(StandardCharsets.UTF_8));
        return new HelloEncoder().wrap(buffer, 0).correlationId(9L).minVersion(minVersion).maxVersion(maxVersion)
            .clientName(name, 0, nameLength);
    }

    @Test
    void shouldDecodeHelloAndNegotiateTheHighestCommonVersion() {
        final int length = encodeHello(1, 3, 9);
        decoder.wrap(buffer, 0, length);

        assertTrue(decoder.isValid());
        assertEquals(9L, decoder.correlationId());
        assertEquals("loadgen-1", decoder.clientNameAsString());
        assertEquals(2, decoder.negotiate(1, 2));
        assertEquals(3, decoder.negotiate(2, 7));
        assertEquals(HelloDecoder.NO_COMMON_VERSION, decoder.negotiate(4, 5));
        assertEquals(HelloDecoder.NO_COMMON_VERSION, HelloDecoder.negotiate(2, 3, 1, 1));
    }

    @Test
    void shouldRejectEmptyOrZeroVersionRanges() {
        assertEquals(ErrorCode.INVALID_ARGUMENT, decoder.wrap(buffer, 0, encodeHello(3, 2, 1)).decodeError());
        assertEquals(ErrorCode.INVALID_ARGUMENT, decoder.wrap(buffer, 0, encodeHello(0, 2, 1)).decodeError());
    }

    @Test
    void shouldRejectClientNameLongerThanTheMaximum() {
        final int max = HelloDescriptor.MAX_CLIENT_NAME_LENGTH;
        assertTrue(decoder.wrap(buffer, 0, encodeHello(1, 1, max)).isValid());
        assertEquals(ErrorCode.INVALID_ARGUMENT, decoder.wrap(buffer, 0, encodeHello(1, 1, max + 1)).decodeError());
    }

    @Test
    void shouldRejectClientNameLengthPointingOutsideTheFrame() {
        final int length = encodeHello(1, 1, 4);
        buffer.putInt(HEADER_LENGTH + HelloDescriptor.CLIENT_NAME_OFFSET, 5, BYTE_ORDER);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, 0, length).decodeError());
    }

    @Test
    void shouldRoundTripHelloResponseAndRejectImpossibleLimits() {
        final int length = helloResponse(65536, 271);
        final HelloResponseDecoder response = new HelloResponseDecoder().wrap(buffer, 0, length);

        assertTrue(response.isValid());
        assertEquals(1, response.negotiatedVersion());
        assertEquals(3, response.nodeId());
        assertEquals(65536, response.maxFrameLength());
        assertEquals(271, response.partitionCount());
        helloResponse(65536, 0);
        assertEquals(ErrorCode.INVALID_ARGUMENT, response.wrap(buffer, 0, length).decodeError());
        helloResponse(15, 1);
        assertEquals(ErrorCode.INVALID_ARGUMENT, response.wrap(buffer, 0, length).decodeError());
        helloResponse(65536, 1);
        new FrameHeaderEncoder().wrap(buffer, 0).bodyLength(HelloResponseDescriptor.BODY_LENGTH + 1);
        assertEquals(ErrorCode.NONE, response.wrap(buffer, 0, length + 1).decodeError(), "a newer server's field");
        assertEquals(length, response.encodedLength());
    }

    private int helloResponse(final int maxFrameLength, final int partitionCount) {
        return new HelloResponseEncoder().wrap(buffer, 0).correlationId(9L).negotiatedVersion(1).nodeId(3)
            .maxFrameLength(maxFrameLength).partitionCount(partitionCount).frameLength();
    }
}
