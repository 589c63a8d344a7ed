package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.FLAGS_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.FrameHeaderDescriptor.VERSION_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcache.protocol.CommandTable;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderDecoder;
import io.loomcache.protocol.Opcodes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Field positions against the offsets of issue 4 (literal numbers on purpose), and the edge cases of validation. */
class RaftCodecTest {
    private static final int BODY = HEADER_LENGTH;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);

    @Test
    void shouldExposeTheLayoutConstantsTheRaftModuleRoutesWith() {
        assertEquals(0, RaftMessageDescriptor.GROUP_ID_OFFSET);
        assertEquals(1, RaftMessageDescriptor.FLAG_LEADERSHIP_TRANSFER);
        assertEquals(16 + 52, RaftMessageDescriptor.APPEND_ENTRIES_HEADER_LENGTH);
        assertEquals(16, RaftMessageDescriptor.ENTRY_HEADER_LENGTH);
        assertEquals(16 + 64, RaftMessageDescriptor.INSTALL_SNAPSHOT_HEADER_LENGTH);
        assertEquals(16 + 52 + 2 * 16 + 10, RaftMessageDescriptor.appendEntriesFrameLength(2, 10));
    }

    @Test
    void shouldRegisterTheBodyLengthOfEveryRaftMessageInTheCommandTable() {
        final int[][] minimums = {
            {Opcodes.VOTE_REQUEST, 36}, {Opcodes.PRE_VOTE_REQUEST, 36}, {Opcodes.VOTE_RESPONSE, 20},
            {Opcodes.PRE_VOTE_RESPONSE, 20}, {Opcodes.APPEND_ENTRIES, 52}, {Opcodes.APPEND_ENTRIES_RESPONSE, 44},
            {Opcodes.INSTALL_SNAPSHOT, 64}, {Opcodes.INSTALL_SNAPSHOT_RESPONSE, 44}, {Opcodes.TIMEOUT_NOW, 16},
        };
        for (final int[] row : minimums) {
            assertEquals(row[1], CommandTable.minBodyLength(row[0]), Opcodes.name(row[0]));
            assertEquals(ErrorCode.BODY_TOO_SHORT, CommandTable.check(row[0], row[1] - 1));
            assertEquals(ErrorCode.NONE, CommandTable.check(row[0], row[1]));
        }
        assertEquals(-1, RaftMessageDescriptor.minBodyLength(Opcodes.MAP_PUT));
    }

    @Test
    void shouldWriteVoteRequestFieldsAtTheirOffsets() {
        final int length = new VoteRequestEncoder().wrap(buffer, 0).opcode(Opcodes.PRE_VOTE_REQUEST).groupId(7)
            .senderId(3).term(11L).lastLogIndex(100L).lastLogTerm(9L)
            .voteFlags(RaftMessageDescriptor.FLAG_LEADERSHIP_TRANSFER).frameLength();
        assertHeader(Opcodes.PRE_VOTE_REQUEST, 36, length);
        assertPrefixAt(7, 3, 11L);
        assertEquals(100L, buffer.getLong(BODY + 16, BYTE_ORDER));
        assertEquals(9L, buffer.getLong(BODY + 24, BYTE_ORDER));
        assertEquals(1, buffer.getInt(BODY + 32, BYTE_ORDER));
    }

    @Test
    void shouldWriteVoteResponseFieldsAtTheirOffsets() {
        final int length = new VoteResponseEncoder().wrap(buffer, 0).opcode(Opcodes.VOTE_RESPONSE).groupId(7)
            .senderId(3).term(11L).granted(true).frameLength();
        assertHeader(Opcodes.VOTE_RESPONSE, 20, length);
        assertPrefixAt(7, 3, 11L);
        assertEquals(1, buffer.getInt(BODY + 16, BYTE_ORDER));
    }

    @Test
    void shouldWriteAppendEntriesFieldsAndPackedEntriesAtTheirOffsets() {
        final AppendEntriesEncoder encoder = new AppendEntriesEncoder().wrap(buffer, 0)
            .groupId(7).senderId(3).term(11L).prevLogIndex(41L).prevLogTerm(10L).leaderCommit(40L).seq(5L);
        assertHeader(Opcodes.APPEND_ENTRIES, 52, encoder.frameLength());
        encoder.appendEntry(11L, 2, new UnsafeBuffer(new byte[] {1, 2, 3}), 0, 3);
        final int payload = encoder.claimEntry(11L, 4, 0);
        assertEquals(16 + 52 + 16 + 3 + 16, payload);
        assertHeader(Opcodes.APPEND_ENTRIES, 52 + 16 + 3 + 16, encoder.frameLength());
        assertPrefixAt(7, 3, 11L);
        assertEquals(41L, buffer.getLong(BODY + 16, BYTE_ORDER));
        assertEquals(10L, buffer.getLong(BODY + 24, BYTE_ORDER));
        assertEquals(40L, buffer.getLong(BODY + 32, BYTE_ORDER));
        assertEquals(5L, buffer.getLong(BODY + 40, BYTE_ORDER));
        assertEquals(2, buffer.getInt(BODY + 48, BYTE_ORDER));
        assertEquals(11L, buffer.getLong(BODY + 52, BYTE_ORDER));
        assertEquals(2, buffer.getInt(BODY + 60, BYTE_ORDER));
        assertEquals(3, buffer.getInt(BODY + 64, BYTE_ORDER));
        assertEquals(3, buffer.getByte(BODY + 68 + 2));
        assertEquals(4, buffer.getInt(BODY + 71 + 8, BYTE_ORDER));
        assertEquals(0, buffer.getInt(BODY + 71 + 12, BYTE_ORDER));
        assertEquals(2, encoder.entryCount());

        final AppendEntriesDecoder decoder = new AppendEntriesDecoder();
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, 0, encoder.frameLength()));
        assertTrue(decoder.nextEntry());
        assertEquals(42L, decoder.entryIndex());
        assertTrue(decoder.nextEntry());
        assertEquals(43L, decoder.entryIndex());
        assertEquals(0, decoder.entryLength());
        assertEquals(payload, decoder.entryPayloadOffset());
        assertFalse(decoder.nextEntry());
    }

    @Test
    void shouldWriteResponseAndSnapshotFieldsAtTheirOffsets() {
        assertHeader(Opcodes.APPEND_ENTRIES_RESPONSE, 44, new AppendEntriesResponseEncoder().wrap(buffer, 0).groupId(7)
            .senderId(3).term(11L).matchIndex(20L).lastLogIndex(25L).seq(6L).success(true).frameLength());
        assertPrefixAt(7, 3, 11L);
        assertLongsAt(20L, 25L, 6L);
        assertEquals(1, buffer.getInt(BODY + 40, BYTE_ORDER));

        assertHeader(Opcodes.INSTALL_SNAPSHOT_RESPONSE, 44, new InstallSnapshotResponseEncoder().wrap(buffer, 0)
            .groupId(7).senderId(3).term(11L).lastIncludedIndex(30L).nextOffset(4096L).seq(8L).success(false)
            .frameLength());
        assertPrefixAt(7, 3, 11L);
        assertLongsAt(30L, 4096L, 8L);
        assertEquals(0, buffer.getInt(BODY + 40, BYTE_ORDER));

        assertHeader(Opcodes.TIMEOUT_NOW, 16, new TimeoutNowEncoder().wrap(buffer, 0).groupId(7).senderId(3).term(11L)
            .frameLength());
        assertPrefixAt(7, 3, 11L);

        final int chunk = new InstallSnapshotEncoder().wrap(buffer, 0)
            .groupId(7).senderId(3).term(11L).lastIncludedIndex(30L).lastIncludedTerm(10L).totalLength(9000L)
            .chunkOffset(4096L).seq(8L).done(true).claimChunk(5);
        assertEquals(16 + 64, chunk);
        assertHeader(Opcodes.INSTALL_SNAPSHOT, 64 + 5, 16 + 64 + 5);
        assertPrefixAt(7, 3, 11L);
        assertLongsAt(30L, 10L, 9000L);
        assertEquals(4096L, buffer.getLong(BODY + 40, BYTE_ORDER));
        assertEquals(8L, buffer.getLong(BODY + 48, BYTE_ORDER));
        assertEquals(1, buffer.getInt(BODY + 56, BYTE_ORDER));
        assertEquals(5, buffer.getInt(BODY + 60, BYTE_ORDER));
    }

    @Test
    void shouldDecodeAFrameEndingAtTheBuffersEndAndRefuseOneRunningABytePastIt() {
        final UnsafeBuffer source = new UnsafeBuffer(new byte[64]);
        final int length = new TimeoutNowEncoder().wrap(source, 0).groupId(5).senderId(2).term(9L).frameLength();
        final byte[] exact = new byte[length + 7];
        source.getBytes(0, exact, 7, length);
        final TimeoutNowDecoder decoder = new TimeoutNowDecoder();
        assertEquals(ErrorCode.NONE, decoder.wrap(new UnsafeBuffer(exact), 7, length));
        assertEquals(9L, decoder.term());
        final byte[] shortByOne = new byte[length + 6];
        source.getBytes(0, shortByOne, 7, length - 1);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(new UnsafeBuffer(shortByOne), 7, length));
    }

    @Test
    void shouldReadTheGroupIdOfAnyRaftFrameWithoutADecoder() {
        new TimeoutNowEncoder().wrap(buffer, 100).groupId(-42).senderId(1).term(1L).frameLength();
        assertEquals(-42, RaftMessageDescriptor.groupId(buffer, 100));
        new AppendEntriesEncoder().wrap(buffer, 200).groupId(77).senderId(1).term(1L).prevLogIndex(0L).prevLogTerm(0L)
            .leaderCommit(0L).seq(0L);
        assertEquals(77, RaftMessageDescriptor.groupId(buffer, 200));
    }

    @Test
    void shouldRejectAHeaderThatIsNotARaftFrameOfTheDecodersType() {
        final int length = new VoteResponseEncoder().wrap(buffer, 0).opcode(Opcodes.VOTE_RESPONSE).groupId(1)
            .senderId(2).term(3L).granted(true).frameLength();
        final VoteResponseDecoder decoder = new VoteResponseDecoder();
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, 0, length));
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, 0, length + 1));
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, -1, length));
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, buffer.capacity() - length + 1, length));
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, 0, HEADER_LENGTH - 1));
        assertEquals(ErrorCode.UNKNOWN_OPCODE, new VoteRequestDecoder().wrap(buffer, 0, length));

        buffer.putByte(FLAGS_OFFSET, (byte)0x80);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, 0, length));
        buffer.putByte(FLAGS_OFFSET, (byte)0);
        buffer.putByte(VERSION_OFFSET, (byte)2);
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, decoder.wrap(buffer, 0, length));
        assertFalse(decoder.isValid());
        assertTrue(decoder.appendTo(new StringBuilder()).toString().contains("UNSUPPORTED_VERSION"));
    }

    @Test
    void shouldRejectFixedSizeBodiesThatAreShortOrHoldUndefinedValuesAndSkipANewerPeersFields() {
        final int length = new VoteRequestEncoder().wrap(buffer, 0).opcode(Opcodes.VOTE_REQUEST).groupId(1).senderId(2)
            .term(3L).lastLogIndex(4L).lastLogTerm(5L).voteFlags(0).frameLength();
        final VoteRequestDecoder decoder = new VoteRequestDecoder();
        buffer.putInt(0, 35, BYTE_ORDER);
        assertEquals(ErrorCode.BODY_TOO_SHORT, decoder.wrap(buffer, 0, length - 1));
        buffer.putInt(0, 37, BYTE_ORDER);
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, 0, length + 1), "a newer peer's field");
        assertEquals(length, decoder.encodedLength());
        buffer.putInt(0, 36, BYTE_ORDER);
        buffer.putInt(BODY + 32, 2, BYTE_ORDER);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, 0, length));

        new AppendEntriesResponseEncoder().wrap(buffer, 0).groupId(1).senderId(2).term(3L).matchIndex(4L)
            .lastLogIndex(5L).seq(6L).success(false).frameLength();
        buffer.putInt(BODY + 40, 2, BYTE_ORDER);
        assertEquals(ErrorCode.MALFORMED_FRAME, new AppendEntriesResponseDecoder().wrap(buffer, 0, 16 + 44));
    }

    @Test
    void shouldRejectNegativeSnapshotPositions() {
        final InstallSnapshotEncoder encoder = new InstallSnapshotEncoder().wrap(buffer, 0);
        final InstallSnapshotDecoder decoder = new InstallSnapshotDecoder();
        encoder.groupId(1).senderId(2).term(3L).lastIncludedIndex(4L).lastIncludedTerm(5L).totalLength(-1L)
            .chunkOffset(0L).seq(6L).done(false).claimChunk(0);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, 0, 16 + 64));
        encoder.groupId(1).senderId(2).term(3L).lastIncludedIndex(4L).lastIncludedTerm(5L).totalLength(0L)
            .chunkOffset(-1L).seq(6L).done(false).claimChunk(0);
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, 0, 16 + 64));
        encoder.groupId(1).senderId(2).term(3L).lastIncludedIndex(4L).lastIncludedTerm(5L).totalLength(0L)
            .chunkOffset(0L).seq(6L).done(true).claimChunk(0);
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, 0, 16 + 64));
        assertTrue(decoder.done());
    }

    @Test
    void shouldYieldNoEntryAfterAFailedWrapOrForAHeartbeat() {
        final AppendEntriesEncoder encoder = new AppendEntriesEncoder().wrap(buffer, 0)
            .groupId(1).senderId(2).term(3L).prevLogIndex(4L).prevLogTerm(5L).leaderCommit(6L).seq(7L);
        encoder.claimEntry(3L, 1, 8);
        final AppendEntriesDecoder decoder = new AppendEntriesDecoder();
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, 0, encoder.frameLength()));
        assertEquals(1, decoder.entryCount());
        assertEquals(ErrorCode.MALFORMED_FRAME, decoder.wrap(buffer, 0, encoder.frameLength() - 1));
        assertEquals(0, decoder.entryCount());
        assertFalse(decoder.nextEntry());

        new AppendEntriesEncoder().wrap(buffer, 0).groupId(1).senderId(2).term(3L).prevLogIndex(4L).prevLogTerm(5L)
            .leaderCommit(6L).seq(7L);
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, 0, 16 + 52));
        assertEquals(0, decoder.entryCount());
        assertFalse(decoder.nextEntry());
        assertTrue(decoder.appendTo(new StringBuilder()).toString().contains("entryCount=0"));
    }

    @Test
    void shouldRefuseProgrammingErrorsInEncoderArguments() {
        assertThrows(IllegalArgumentException.class, () -> new VoteRequestEncoder().wrap(buffer, 0)
            .opcode(Opcodes.VOTE_RESPONSE).groupId(1).senderId(2).term(3L).lastLogIndex(4L).lastLogTerm(5L).voteFlags(0)
            .frameLength());
        assertThrows(IllegalArgumentException.class, () -> new VoteResponseEncoder().wrap(buffer, 0)
            .opcode(Opcodes.VOTE_REQUEST).groupId(1).senderId(2).term(3L).granted(true).frameLength());
        final AppendEntriesEncoder append = new AppendEntriesEncoder().wrap(buffer, 0).groupId(1).senderId(2).term(3L)
            .prevLogIndex(4L).prevLogTerm(5L).leaderCommit(6L).seq(7L);
        assertThrows(IllegalArgumentException.class, () -> append.claimEntry(1L, 1, -1));
        assertEquals(0, append.entryCount());
        assertThrows(IllegalArgumentException.class, () -> new InstallSnapshotEncoder().wrap(buffer, 0)
            .groupId(1).senderId(2).term(3L).lastIncludedIndex(4L).lastIncludedTerm(5L).totalLength(6L).chunkOffset(7L)
            .seq(8L).done(false).claimChunk(-1));
    }

    private void assertHeader(final int opcode, final int bodyLength, final int frameLength) {
        final FrameHeaderDecoder header = new FrameHeaderDecoder().wrap(buffer, 0);
        assertEquals(HEADER_LENGTH + bodyLength, frameLength);
        assertEquals(bodyLength, header.bodyLength());
        assertEquals(1, header.version());
        assertEquals(0, header.flags());
        assertEquals(opcode, header.opcode());
        assertEquals(0L, header.correlationId());
    }

    private void assertPrefixAt(final int groupId, final int senderId, final long term) {
        assertEquals(groupId, buffer.getInt(BODY, BYTE_ORDER));
        assertEquals(senderId, buffer.getInt(BODY + 4, BYTE_ORDER));
        assertEquals(term, buffer.getLong(BODY + 8, BYTE_ORDER));
    }

    private void assertLongsAt(final long at16, final long at24, final long at32) {
        assertEquals(at16, buffer.getLong(BODY + 16, BYTE_ORDER));
        assertEquals(at24, buffer.getLong(BODY + 24, BYTE_ORDER));
        assertEquals(at32, buffer.getLong(BODY + 32, BYTE_ORDER));
    }
}
