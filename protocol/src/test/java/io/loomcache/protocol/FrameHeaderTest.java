package io.loomcache.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FrameHeaderTest {
    @Test
    void shouldChainFieldsIntoSixteenByteHeader() {
        assertEquals(0, FrameHeaderDescriptor.BODY_LENGTH_OFFSET);
        assertEquals(4, FrameHeaderDescriptor.VERSION_OFFSET);
        assertEquals(5, FrameHeaderDescriptor.FLAGS_OFFSET);
        assertEquals(6, FrameHeaderDescriptor.OPCODE_OFFSET);
        assertEquals(8, FrameHeaderDescriptor.CORRELATION_ID_OFFSET);
        assertEquals(16, FrameHeaderDescriptor.HEADER_LENGTH);
        assertEquals(1, FrameHeaderDescriptor.PROTOCOL_VERSION);
    }

    @Test
    void shouldWriteEveryFieldLittleEndianAtItsOffset() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        new FrameHeaderEncoder().wrap(buffer, 2)
            .header(0x0201, FrameHeaderDescriptor.FLAG_NO_REPLY, 0x0102030405060708L, 0x0A0B0C0D);

        final byte[] expected = {
            0, 0,
            0x0D, 0x0C, 0x0B, 0x0A,
            1,
            1,
            0x01, 0x02,
            0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
            0, 0,
        };
        assertArrayEquals(expected, buffer.byteArray());
    }

    @Test
    void shouldReadBackWhatWasWrittenIncludingUnsignedValues() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        new FrameHeaderEncoder().wrap(buffer, 0).bodyLength(-7).version(255).flags(0x80).opcode(0xFFFF)
            .correlationId(Long.MIN_VALUE);

        final FrameHeaderDecoder decoder = new FrameHeaderDecoder().wrap(buffer, 0);
        assertEquals(-7, decoder.bodyLength());
        assertEquals(255, decoder.version());
        assertEquals(0x80, decoder.flags());
        assertEquals(0xFFFF, decoder.opcode());
        assertEquals(Long.MIN_VALUE, decoder.correlationId());
    }
}
