package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.FLAGS_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_LENGTH;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import io.loomcache.protocol.ErrorCode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Assertions shared by the Raft codec tests. */
final class RaftFrameChecks {
    private RaftFrameChecks() {
    }

    static RaftMessageDecoder[] allDecoders() {
        return new RaftMessageDecoder[] {
            new VoteRequestDecoder(), new VoteResponseDecoder(), new AppendEntriesDecoder(),
            new AppendEntriesResponseDecoder(), new InstallSnapshotDecoder(), new InstallSnapshotResponseDecoder(),
            new TimeoutNowDecoder(),
        };
    }

    static byte[] copy(final DirectBuffer buffer, final int offset, final int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    /** The decoder of the frame's own type accepts it and re-encodes it to the same bytes; every other says so. */
    static void assertOnlyOwnDecoderAccepts(
        final DirectBuffer buffer, final int offset, final int length, final RaftMessageDecoder own) {
        int accepted = 0;
        for (final RaftMessageDecoder decoder : allDecoders()) {
            final int result = decoder.wrap(buffer, offset, length);
            if (decoder.getClass() == own.getClass()) {
                assertEquals(ErrorCode.NONE, result);
                assertSameMessage(knownPart(decoder), new RaftReencoder(length).reencode(decoder));
                accepted++;
            } else {
                assertEquals(ErrorCode.UNKNOWN_OPCODE, result, decoder.getClass().getSimpleName());
            }
        }
        assertEquals(1, accepted);
    }

    /**
     * Wraps every decoder on a frame; a result is always a defined code, and a frame some decoder accepts
     * re-encodes from the decoded fields to the same opcode and body. Returns how many decoders accepted it.
     */
    static int decodeWithEveryDecoder(final DirectBuffer buffer, final int offset, final int length) {
        int accepted = 0;
        for (final RaftMessageDecoder decoder : allDecoders()) {
            final int result = decoder.wrap(buffer, offset, length);
            assertTrue(ErrorCode.isDefined(result), "undefined code " + result);
            assertEquals(result, decoder.decodeError());
            if (result == ErrorCode.NONE) {
                accepted++;
                assertSameMessage(knownPart(decoder), new RaftReencoder(length).reencode(decoder));
            }
            decoder.appendTo(new StringBuilder());
        }
        assertTrue(accepted <= 1, "accepted by " + accepted + " decoders");
        return accepted;
    }

    /**
     * The part of a valid decoder's frame it read: the header with the body length cut to the known fields, then
     * those fields (a newer peer's trailing fields dropped).
     */
    static byte[] knownPart(final RaftMessageDecoder decoder) {
        final byte[] bytes = copy(decoder.buffer(), decoder.frameOffset(), decoder.encodedLength());
        new UnsafeBuffer(bytes).putInt(BODY_LENGTH_OFFSET, bytes.length - HEADER_LENGTH, BYTE_ORDER);
        return bytes;
    }

    /** Same length, opcode and body; flags and correlation id are not part of a Raft message. */
    static void assertSameMessage(final byte[] expected, final byte[] actual) {
        assertEquals(expected.length, actual.length);
        assertArrayEquals(Arrays.copyOfRange(expected, 0, FLAGS_OFFSET),
            Arrays.copyOfRange(actual, 0, FLAGS_OFFSET));
        assertArrayEquals(Arrays.copyOfRange(expected, OPCODE_OFFSET, OPCODE_OFFSET + OPCODE_LENGTH),
            Arrays.copyOfRange(actual, OPCODE_OFFSET, OPCODE_OFFSET + OPCODE_LENGTH));
        assertArrayEquals(Arrays.copyOfRange(expected, HEADER_LENGTH, expected.length),
            Arrays.copyOfRange(actual, HEADER_LENGTH, actual.length));
    }
}
