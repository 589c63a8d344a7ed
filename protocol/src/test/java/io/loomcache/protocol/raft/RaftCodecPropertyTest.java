package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.gen.Gen;
import io.loomcache.testkit.gen.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RaftCodecPropertyTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128 * 1024]);

    record Entry(long term, int type, byte[] payload, boolean claim) {
    }

    private static Entry entry(final Gen g) {
        return new Entry(g.anyLong(), g.anyInt(), g.bytes(300), g.bool());
    }

    @Test
    void shouldDecodeVoteRequestToWhatWasEncoded() {
        Property.forAll(1000, g -> voteRequest(g.bool(), g.anyInt(), g.anyInt(), g.anyLong(), g.anyLong(),
            g.anyLong(), g.ints(0, RaftMessageDescriptor.KNOWN_VOTE_FLAGS), g.ints(0, 64)));
    }

    private void voteRequest(final boolean preVote, final int groupId, final int senderId, final long term,
        final long lastLogIndex, final long lastLogTerm, final int flags, final int offset) {
        final int opcode = preVote ? Opcodes.PRE_VOTE_REQUEST : Opcodes.VOTE_REQUEST;
        final int length = new VoteRequestEncoder().wrap(buffer, offset)
            .opcode(opcode).groupId(groupId).senderId(senderId).term(term).lastLogIndex(lastLogIndex)
            .lastLogTerm(lastLogTerm).voteFlags(flags).frameLength();
        assertEquals(HEADER_LENGTH + 36, length);

        final VoteRequestDecoder decoder = new VoteRequestDecoder();
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, offset, length));
        assertEquals(opcode, decoder.opcode());
        assertEquals(preVote, decoder.isPreVote());
        assertPrefix(decoder, groupId, senderId, term);
        assertEquals(lastLogIndex, decoder.lastLogIndex());
        assertEquals(lastLogTerm, decoder.lastLogTerm());
        assertEquals(flags, decoder.voteFlags());
        RaftFrameChecks.assertOnlyOwnDecoderAccepts(buffer, offset, length, decoder);
    }

    @Test
    void shouldDecodeVoteResponseToWhatWasEncoded() {
        Property.forAll(1000, g -> voteResponse(g.bool(), g.anyInt(), g.anyInt(), g.anyLong(), g.bool(),
            g.ints(0, 64)));
    }

    private void voteResponse(final boolean preVote, final int groupId, final int senderId, final long term,
        final boolean granted, final int offset) {
        final int opcode = preVote ? Opcodes.PRE_VOTE_RESPONSE : Opcodes.VOTE_RESPONSE;
        final int length = new VoteResponseEncoder().wrap(buffer, offset)
            .opcode(opcode).groupId(groupId).senderId(senderId).term(term).granted(granted).frameLength();
        assertEquals(HEADER_LENGTH + 20, length);

        final VoteResponseDecoder decoder = new VoteResponseDecoder();
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, offset, length));
        assertEquals(opcode, decoder.opcode());
        assertEquals(preVote, decoder.isPreVote());
        assertPrefix(decoder, groupId, senderId, term);
        assertEquals(granted, decoder.granted());
        RaftFrameChecks.assertOnlyOwnDecoderAccepts(buffer, offset, length, decoder);
    }

    @Test
    void shouldDecodeAppendEntriesAndEveryEntryToWhatWasEncoded() {
        Property.forAll(1000, g -> appendEntries(g.anyInt(), g.anyInt(), g.anyLong(), g.longs(-1, Long.MAX_VALUE / 2),
            g.anyLong(), g.anyLong(), g.anyLong(), g.list(0, 24, RaftCodecPropertyTest::entry), g.ints(0, 64)));
    }

    private void appendEntries(final int groupId, final int senderId, final long term, final long prevLogIndex,
        final long prevLogTerm, final long leaderCommit, final long seq, final List<Entry> entries, final int offset) {
        final AppendEntriesEncoder encoder = new AppendEntriesEncoder().wrap(buffer, offset)
            .groupId(groupId).senderId(senderId).term(term).prevLogIndex(prevLogIndex).prevLogTerm(prevLogTerm)
            .leaderCommit(leaderCommit).seq(seq);
        long payloadBytes = 0;
        for (final Entry entry : entries) {
            final int payloadLength = entry.payload().length;
            if (entry.claim()) {
                buffer.putBytes(encoder.claimEntry(entry.term(), entry.type(), payloadLength), entry.payload());
            } else {
                encoder.appendEntry(entry.term(), entry.type(), new UnsafeBuffer(entry.payload()), 0, payloadLength);
            }
            payloadBytes += payloadLength;
        }
        final int length = encoder.frameLength();
        assertEquals(entries.size(), encoder.entryCount());
        assertEquals(RaftMessageDescriptor.appendEntriesFrameLength(entries.size(), payloadBytes), length);

        final AppendEntriesDecoder decoder = new AppendEntriesDecoder();
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, offset, length));
        assertPrefix(decoder, groupId, senderId, term);
        assertEquals(prevLogIndex, decoder.prevLogIndex());
        assertEquals(prevLogTerm, decoder.prevLogTerm());
        assertEquals(leaderCommit, decoder.leaderCommit());
        assertEquals(seq, decoder.seq());
        assertEquals(entries.size(), decoder.entryCount());
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < entries.size(); i++) {
                final Entry entry = entries.get(i);
                assertTrue(decoder.nextEntry());
                assertEquals(prevLogIndex + 1 + i, decoder.entryIndex());
                assertEquals(entry.term(), decoder.entryTerm());
                assertEquals(entry.type(), decoder.entryType());
                assertEquals(entry.payload().length, decoder.entryLength());
                assertArrayEquals(entry.payload(), RaftFrameChecks.copy(
                    decoder.buffer(), decoder.entryPayloadOffset(), decoder.entryLength()));
            }
            assertFalse(decoder.nextEntry());
            assertFalse(decoder.nextEntry());
            decoder.rewind();
        }
        RaftFrameChecks.assertOnlyOwnDecoderAccepts(buffer, offset, length, decoder);
    }

    @Test
    void shouldDecodeAppendEntriesResponseToWhatWasEncoded() {
        Property.forAll(1000, g -> appendEntriesResponse(g.anyInt(), g.anyInt(), g.anyLong(), g.anyLong(),
            g.anyLong(), g.anyLong(), g.bool(), g.ints(0, 64)));
    }

    private void appendEntriesResponse(final int groupId, final int senderId, final long term, final long matchIndex,
        final long lastLogIndex, final long seq, final boolean success, final int offset) {
        final int length = new AppendEntriesResponseEncoder().wrap(buffer, offset)
            .groupId(groupId).senderId(senderId).term(term).matchIndex(matchIndex).lastLogIndex(lastLogIndex).seq(seq)
            .success(success).frameLength();
        assertEquals(HEADER_LENGTH + 44, length);

        final AppendEntriesResponseDecoder decoder = new AppendEntriesResponseDecoder();
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, offset, length));
        assertPrefix(decoder, groupId, senderId, term);
        assertEquals(matchIndex, decoder.matchIndex());
        assertEquals(lastLogIndex, decoder.lastLogIndex());
        assertEquals(seq, decoder.seq());
        assertEquals(success, decoder.success());
        RaftFrameChecks.assertOnlyOwnDecoderAccepts(buffer, offset, length, decoder);
    }

    record SnapshotFields(int groupId, int senderId, long term, long lastIncludedIndex, long lastIncludedTerm,
        long totalLength, long chunkOffset, long seq) {
    }

    private static SnapshotFields snapshotFields(final Gen g) {
        return new SnapshotFields(g.anyInt(), g.anyInt(), g.anyLong(), g.anyLong(), g.anyLong(),
            g.longs(0, Long.MAX_VALUE), g.longs(0, Long.MAX_VALUE), g.anyLong());
    }

    @Test
    void shouldDecodeInstallSnapshotChunkToWhatWasEncoded() {
        Property.forAll(1000, g -> installSnapshot(snapshotFields(g), g.bool(), g.bytes(4096), g.bool(),
            g.ints(0, 64)));
    }

    private void installSnapshot(final SnapshotFields f, final boolean done, final byte[] chunk, final boolean claim,
        final int offset) {
        final InstallSnapshotEncoder encoder = new InstallSnapshotEncoder().wrap(buffer, offset).groupId(f.groupId())
            .senderId(f.senderId()).term(f.term()).lastIncludedIndex(f.lastIncludedIndex())
            .lastIncludedTerm(f.lastIncludedTerm()).totalLength(f.totalLength()).chunkOffset(f.chunkOffset())
            .seq(f.seq()).done(done);
        final int length;
        if (claim) {
            buffer.putBytes(encoder.claimChunk(chunk.length), chunk);
            length = RaftMessageDescriptor.installSnapshotFrameLength(chunk.length);
        } else {
            length = encoder.chunk(new UnsafeBuffer(chunk), 0, chunk.length).frameLength();
        }
        assertEquals(HEADER_LENGTH + 64 + chunk.length, length);

        final InstallSnapshotDecoder decoder = new InstallSnapshotDecoder();
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, offset, length));
        assertPrefix(decoder, f.groupId(), f.senderId(), f.term());
        assertEquals(f.lastIncludedIndex(), decoder.lastIncludedIndex());
        assertEquals(f.lastIncludedTerm(), decoder.lastIncludedTerm());
        assertEquals(f.totalLength(), decoder.totalLength());
        assertEquals(f.chunkOffset(), decoder.chunkOffset());
        assertEquals(f.seq(), decoder.seq());
        assertEquals(done, decoder.done());
        assertEquals(chunk.length, decoder.chunkLength());
        assertArrayEquals(chunk, RaftFrameChecks.copy(decoder.buffer(), decoder.chunkPayloadOffset(), chunk.length));
        RaftFrameChecks.assertOnlyOwnDecoderAccepts(buffer, offset, length, decoder);
    }

    @Test
    void shouldDecodeInstallSnapshotResponseToWhatWasEncoded() {
        Property.forAll(1000, g -> installSnapshotResponse(g.anyInt(), g.anyInt(), g.anyLong(), g.anyLong(),
            g.anyLong(), g.anyLong(), g.bool(), g.ints(0, 64)));
    }

    private void installSnapshotResponse(final int groupId, final int senderId, final long term,
        final long lastIncludedIndex, final long nextOffset, final long seq, final boolean success, final int offset) {
        final int length = new InstallSnapshotResponseEncoder().wrap(buffer, offset)
            .groupId(groupId).senderId(senderId).term(term).lastIncludedIndex(lastIncludedIndex).nextOffset(nextOffset)
            .seq(seq).success(success).frameLength();
        assertEquals(HEADER_LENGTH + 44, length);

        final InstallSnapshotResponseDecoder decoder = new InstallSnapshotResponseDecoder();
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, offset, length));
        assertPrefix(decoder, groupId, senderId, term);
        assertEquals(lastIncludedIndex, decoder.lastIncludedIndex());
        assertEquals(nextOffset, decoder.nextOffset());
        assertEquals(seq, decoder.seq());
        assertEquals(success, decoder.success());
        RaftFrameChecks.assertOnlyOwnDecoderAccepts(buffer, offset, length, decoder);
    }

    @Test
    void shouldDecodeTimeoutNowToWhatWasEncoded() {
        Property.forAll(1000, g -> timeoutNow(g.anyInt(), g.anyInt(), g.anyLong(), g.ints(0, 64)));
    }

    private void timeoutNow(final int groupId, final int senderId, final long term, final int offset) {
        final int length = new TimeoutNowEncoder().wrap(buffer, offset).groupId(groupId).senderId(senderId)
            .term(term).frameLength();
        assertEquals(HEADER_LENGTH + 16, length);

        final TimeoutNowDecoder decoder = new TimeoutNowDecoder();
        assertEquals(ErrorCode.NONE, decoder.wrap(buffer, offset, length));
        assertPrefix(decoder, groupId, senderId, term);
        RaftFrameChecks.assertOnlyOwnDecoderAccepts(buffer, offset, length, decoder);
    }

    private void assertPrefix(
        final RaftMessageDecoder decoder, final int groupId, final int senderId, final long term) {
        assertEquals(groupId, decoder.groupId());
        assertEquals(groupId, RaftMessageDescriptor.groupId(decoder.buffer(), decoder.frameOffset()));
        assertEquals(senderId, decoder.senderId());
        assertEquals(term, decoder.term());
    }
}
