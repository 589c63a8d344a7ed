package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.FrameHeaderDescriptor.MAX_VERSION;
import static io.loomcache.protocol.FrameHeaderDescriptor.MIN_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.function.IntUnaryOperator;

import io.loomcache.protocol.raft.AppendEntriesDecoder;
import io.loomcache.protocol.raft.AppendEntriesEncoder;
import io.loomcache.protocol.raft.AppendEntriesResponseDecoder;
import io.loomcache.protocol.raft.AppendEntriesResponseEncoder;
import io.loomcache.protocol.raft.InstallSnapshotDecoder;
import io.loomcache.protocol.raft.InstallSnapshotEncoder;
import io.loomcache.protocol.raft.InstallSnapshotResponseDecoder;
import io.loomcache.protocol.raft.InstallSnapshotResponseEncoder;
import io.loomcache.protocol.raft.RaftMessageDecoder;
import io.loomcache.protocol.raft.TimeoutNowDecoder;
import io.loomcache.protocol.raft.TimeoutNowEncoder;
import io.loomcache.protocol.raft.VoteRequestDecoder;
import io.loomcache.protocol.raft.VoteRequestEncoder;
import io.loomcache.protocol.raft.VoteResponseDecoder;
import io.loomcache.protocol.raft.VoteResponseEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Rolling upgrades over real bytes: a frame from a newer peer (a field appended after the last one this code knows,
 * body length grown to match) is cut by the real {@link FrameDecoder} and read by the real decoders, the extra field
 * skipped; a frame from the oldest peer (the version-1 layout, every message's minimum) is read; versions outside
 * MIN..MAX are refused.
 */
class WireEvolutionTest {
    private static final long APPENDED_FIELD = 0x7E57_F1E1_D000_0002L;
    private static final ProtocolLimits LIMITS = Frames.SMALL_LIMITS;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final DirectBuffer key = bytes("key");
    private final DirectBuffer value = bytes("value");

    private static DirectBuffer bytes(final String text) {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    /** What a newer encoder sends: this code's frame at offset 0 with an int64 field appended. */
    private int newer(final int length) {
        buffer.putLong(length, APPENDED_FIELD, BYTE_ORDER);
        buffer.putInt(BODY_LENGTH_OFFSET, length - HEADER_LENGTH + Long.BYTES, BYTE_ORDER);
        return length + Long.BYTES;
    }

    /** Cuts the newer frame with a real FrameDecoder, then decodes it and checks what was read. */
    private void assertNewerFrameReads(final int knownLength, final MessageDecoder decoder,
        final IntUnaryOperator wrap) {
        final int length = newer(knownLength);
        final int[] delivered = new int[1];
        final FrameDecoder frames = new FrameDecoder(LIMITS, (frame, offset, frameLength) -> {
            assertEquals(ErrorCode.NONE, wrap.applyAsInt(frameLength), () -> decoder.appendTo(new StringBuilder())
                .toString());
            delivered[0]++;
        });
        assertEquals(1, frames.onBytes(buffer, 0, length));
        assertEquals(1, delivered[0]);
        assertEquals(length, decoder.frameLength());
        assertEquals(knownLength, decoder.encodedLength(), "the appended field is skipped");
    }

    private void assertNewerFrameReads(final int knownLength, final MessageDecoder decoder) {
        assertNewerFrameReads(knownLength, decoder, length -> wrap(decoder, length));
    }

    private int wrap(final MessageDecoder decoder, final int length) {
        return switch (decoder) {
            case MapRequestDecoder d -> d.wrap(buffer, 0, length).decodeError();
            case HelloDecoder d -> d.wrap(buffer, 0, length).decodeError();
            case HelloResponseDecoder d -> d.wrap(buffer, 0, length).decodeError();
            case ResponseDecoder d -> d.wrap(buffer, 0, length).decodeError();
            case RaftMessageDecoder d -> d.wrap(buffer, 0, length);
            default -> throw new AssertionError(decoder.getClass().getName());
        };
    }

    @Test
    void shouldReadEveryClientRequestFromANewerClient() {
        final MapRequestDecoder decoder = new MapRequestDecoder(LIMITS);
        final MapRequestEncoder encoder = new MapRequestEncoder(LIMITS);
        assertNewerFrameReads(encoder.wrap(buffer, 0).request(Opcodes.MAP_PUT, 7L, 0).ttlMs(5_000L)
            .key(key, 0, 3).value(value, 0, 5).frameLength(), decoder);
        assertEquals(7L, decoder.correlationId());
        assertEquals(5_000L, decoder.ttlMs());
        assertEquals("key", decoder.keyAsString());
        assertEquals("value", decoder.valueAsString());
        assertNewerFrameReads(encoder.wrap(buffer, 0).request(Opcodes.MAP_REPLACE, 8L, 0).key(key, 0, 3)
            .expected(value, 0, 2).value(value, 0, 5).frameLength(), decoder);
        assertEquals(2, decoder.expectedLength());
        assertEquals("value", decoder.valueAsString());
        assertNewerFrameReads(encoder.wrap(buffer, 0).request(Opcodes.MAP_SIZE, 9L, 0).frameLength(), decoder);
        assertEquals(Opcodes.MAP_SIZE, decoder.opcode());
    }

    @Test
    void shouldReadHelloFromANewerClientAndHelloResponseFromANewerServer() {
        final HelloDecoder hello = new HelloDecoder();
        assertNewerFrameReads(new HelloEncoder().wrap(buffer, 0).correlationId(1L).minVersion(1).maxVersion(3)
            .clientName(key, 0, 3), hello);
        assertEquals(3, hello.maxVersion());
        assertEquals("key", hello.clientNameAsString());
        assertEquals(MAX_VERSION, hello.negotiate(MIN_VERSION, MAX_VERSION));

        final HelloResponseDecoder response = new HelloResponseDecoder();
        assertNewerFrameReads(new HelloResponseEncoder().wrap(buffer, 0).correlationId(1L).negotiatedVersion(1)
            .nodeId(4).maxFrameLength(4096).partitionCount(271).frameLength(), response);
        assertEquals(1, response.negotiatedVersion());
        assertEquals(271, response.partitionCount());
    }

    @Test
    void shouldReadEveryResponseFromANewerServer() {
        final ResponseDecoder decoder = new ResponseDecoder(LIMITS);
        final ResponseEncoder encoder = new ResponseEncoder(LIMITS);
        assertNewerFrameReads(encoder.wrap(buffer, 0).ok(1L), decoder);
        assertNewerFrameReads(encoder.wrap(buffer, 0).notFound(1L), decoder);
        assertNewerFrameReads(encoder.wrap(buffer, 0).value(1L, value, 0, 5), decoder);
        assertEquals("value", decoder.valueAsString());
        assertNewerFrameReads(encoder.wrap(buffer, 0).booleanResult(1L, true), decoder);
        assertTrue(decoder.booleanResult());
        assertNewerFrameReads(encoder.wrap(buffer, 0).longResult(1L, -3L), decoder);
        assertEquals(-3L, decoder.longResult());
        assertNewerFrameReads(encoder.wrap(buffer, 0).error(1L, ErrorCode.NOT_LEADER), decoder);
        assertEquals(ErrorCode.NOT_LEADER, decoder.errorCode());
        assertNewerFrameReads(encoder.wrap(buffer, 0).redirect(1L, 12L, 5, 3, key, 0, 3), decoder);
        assertEquals("key", decoder.addressAsString());
        assertNewerFrameReads(encoder.wrap(buffer, 0).serverBusy(1L, 10), decoder);
        assertEquals(10, decoder.retryAfterMs());
        assertNewerFrameReads(encoder.wrap(buffer, 0).sequenceLost(1L, 99L), decoder);
        assertEquals(99L, decoder.nextSequence());
    }

    @Test
    void shouldReadEveryRaftMessageFromANewerPeer() {
        final VoteRequestDecoder voteRequest = new VoteRequestDecoder();
        assertNewerFrameReads(new VoteRequestEncoder().wrap(buffer, 0).opcode(Opcodes.PRE_VOTE_REQUEST).groupId(1)
            .senderId(2).term(3L).lastLogIndex(4L).lastLogTerm(5L).frameLength(), voteRequest);
        assertEquals(5L, voteRequest.lastLogTerm());
        final VoteResponseDecoder voteResponse = new VoteResponseDecoder();
        assertNewerFrameReads(new VoteResponseEncoder().wrap(buffer, 0).groupId(1).senderId(2).term(3L).granted(true)
            .frameLength(), voteResponse);
        assertTrue(voteResponse.granted());
        final AppendEntriesDecoder append = new AppendEntriesDecoder();
        assertNewerFrameReads(new AppendEntriesEncoder().wrap(buffer, 0).groupId(1).senderId(2).term(3L)
            .prevLogIndex(4L).seq(6L).appendEntry(3L, 1, value, 0, 5).frameLength(), append);
        assertTrue(append.nextEntry());
        assertEquals(5, append.entryLength());
        final AppendEntriesResponseDecoder appendResponse = new AppendEntriesResponseDecoder();
        assertNewerFrameReads(new AppendEntriesResponseEncoder().wrap(buffer, 0).groupId(1).senderId(2).term(3L)
            .matchIndex(4L).lastLogIndex(5L).seq(6L).success(true).frameLength(), appendResponse);
        assertEquals(6L, appendResponse.seq());
        final InstallSnapshotDecoder snapshot = new InstallSnapshotDecoder();
        assertNewerFrameReads(new InstallSnapshotEncoder().wrap(buffer, 0).groupId(1).senderId(2).term(3L)
            .totalLength(100L).chunkOffset(10L).done(true).chunk(value, 0, 5).frameLength(), snapshot);
        assertEquals(5, snapshot.chunkLength());
        final InstallSnapshotResponseDecoder snapshotResponse = new InstallSnapshotResponseDecoder();
        assertNewerFrameReads(new InstallSnapshotResponseEncoder().wrap(buffer, 0).groupId(1).senderId(2).term(3L)
            .nextOffset(15L).frameLength(), snapshotResponse);
        assertEquals(15L, snapshotResponse.nextOffset());
        final TimeoutNowDecoder timeoutNow = new TimeoutNowDecoder();
        assertNewerFrameReads(new TimeoutNowEncoder().wrap(buffer, 0).groupId(1).senderId(2).term(3L).frameLength(),
            timeoutNow);
        assertEquals(3L, timeoutNow.term());
    }

    /**
     * The oldest peer writes the version-1 layout, which is every opcode's minimum and never shrinks: it reads with
     * fields it did not write (empty var-data, no entries) as their null value, and one byte less is refused. No
     * message has grown past version 1 yet, so no later field has a null value to read.
     */
    @Test
    void shouldReadTheVersionOneLayoutOfEveryDecodedOpcodeAndRefuseLess() {
        final MessageDecoder[] decoders = {
            new MapRequestDecoder(LIMITS), new HelloDecoder(), new HelloResponseDecoder(), new ResponseDecoder(LIMITS),
            new VoteRequestDecoder(), new VoteResponseDecoder(), new AppendEntriesDecoder(),
            new AppendEntriesResponseDecoder(), new InstallSnapshotDecoder(), new InstallSnapshotResponseDecoder(),
            new TimeoutNowDecoder(),
        };
        int checked = 0;
        for (int i = 0; i < CommandTable.size(); i++) {
            final int opcode = CommandTable.opcodeAt(i);
            for (final MessageDecoder decoder : decoders) {
                final int minimum = CommandTable.minBodyLength(opcode);
                final byte[] body = oldestBody(opcode, minimum);
                buffer.putBytes(0, Frames.frame(opcode, 0, 1L, body));
                if (wrap(decoder, HEADER_LENGTH + minimum) == ErrorCode.UNKNOWN_OPCODE) {
                    continue;
                }
                assertEquals(ErrorCode.NONE, decoder.decodeError(), Opcodes.name(opcode));
                assertEquals(HEADER_LENGTH + minimum, decoder.encodedLength());
                if (minimum > 0) {
                    buffer.putBytes(0, Frames.frame(opcode, 0, 1L, new byte[minimum - 1]));
                    assertEquals(ErrorCode.BODY_TOO_SHORT, wrap(decoder, HEADER_LENGTH + minimum - 1));
                }
                checked++;
            }
        }
        assertEquals(47, checked, "27 map requests, HELLO, HELLO_RESPONSE, 9 responses, 9 Raft messages");
    }

    /** A zeroed body of the minimum length, with the few fields a zero is invalid in set to their smallest value. */
    private static byte[] oldestBody(final int opcode, final int minimum) {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[minimum]);
        switch (opcode) {
            case Opcodes.HELLO -> body.putShort(HelloDescriptor.MIN_VERSION_OFFSET, (short)0x0101, BYTE_ORDER);
            case Opcodes.HELLO_RESPONSE -> {
                body.putInt(HelloResponseDescriptor.MAX_FRAME_LENGTH_OFFSET, HEADER_LENGTH, BYTE_ORDER);
                body.putInt(HelloResponseDescriptor.PARTITION_COUNT_OFFSET, 1, BYTE_ORDER);
                body.putByte(HelloResponseDescriptor.VERSION_OFFSET, (byte)1);
            }
            case Opcodes.RESPONSE_ERROR -> body.putInt(ResponseDescriptor.ERROR_CODE_OFFSET, 1, BYTE_ORDER);
            default -> {
            }
        }
        return body.byteArray();
    }

    @Test
    void shouldAcceptEveryVersionInTheSupportedRangeAndRefuseTheOthers() {
        final ResponseDecoder decoder = new ResponseDecoder(LIMITS);
        final int length = new ResponseEncoder(LIMITS).wrap(buffer, 0).ok(1L);
        final FrameHeaderEncoder header = new FrameHeaderEncoder().wrap(buffer, 0);
        for (int version = 0; version <= 0xFF; version++) {
            header.version(version);
            final boolean supported = version >= MIN_VERSION && version <= MAX_VERSION;
            final int expected = supported ? ErrorCode.NONE : ErrorCode.UNSUPPORTED_VERSION;
            assertEquals(expected, decoder.wrap(buffer, 0, length).decodeError(), "version " + version);
            assertEquals(supported ? ErrorCode.UNKNOWN_OPCODE : ErrorCode.UNSUPPORTED_VERSION,
                new VoteResponseDecoder().wrap(buffer, 0, length), "the Raft decoders run the same header check");
            final FrameDecoder frames = new FrameDecoder(LIMITS, (frame, offset, frameLength) -> { });
            assertEquals(supported ? 1 : -ErrorCode.UNSUPPORTED_VERSION, frames.onBytes(buffer, 0, length));
        }
    }
}
