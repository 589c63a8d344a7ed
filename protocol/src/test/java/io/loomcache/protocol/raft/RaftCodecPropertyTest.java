package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

class RaftCodecPropertyTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128 * 1024]);

    record Entry(long term, int type, byte[] payload, boolean claim) {
    }

    @Provide
    Arbitrary<Entry> entries() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers(),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(300), Arbitraries.of(true, false)).as(Entry::new);
    }

    @Property
    void shouldDecodeVoteRequestToWhatWasEncoded(
        @ForAll final boolean preVote,
        @ForAll final int groupId,
        @ForAll final int senderId,
        @ForAll final long term,
        @ForAll final long lastLogIndex,
        @ForAll final long lastLogTerm,
        @ForAll @IntRange(max = RaftMessageDescriptor.KNOWN_VOTE_FLAGS) final int flags,
        @ForAll @IntRange(max = 64) final int offset) {
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

    @Property
    void shouldDecodeVoteResponseToWhatWasEncoded(
        @ForAll final boolean preVote,
        @ForAll final int groupId,
        @ForAll final int senderId,
        @ForAll final long term,
        @ForAll final boolean granted,
        @ForAll @IntRange(max = 64) final int offset) {
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

    @Property
    void shouldDecodeAppendEntriesAndEveryEntryToWhatWasEncoded(
        @ForAll final int groupId,
        @ForAll final int senderId,
        @ForAll final long term,
        @ForAll @LongRange(min = -1, max = Long.MAX_VALUE / 2) final long prevLogIndex,
        @ForAll final long prevLogTerm,
        @ForAll final long leaderCommit,
        @ForAll final long seq,
        @ForAll @Size(max = 24) final List<@From("entries") Entry> entries,
        @ForAll @IntRange(max = 64) final int offset) {
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

    @Property
    void shouldDecodeAppendEntriesResponseToWhatWasEncoded(
        @ForAll final int groupId,
        @ForAll final int senderId,
        @ForAll final long term,
        @ForAll final long matchIndex,
        @ForAll final long lastLogIndex,
        @ForAll final long seq,
        @ForAll final boolean success,
        @ForAll @IntRange(max = 64) final int offset) {
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

    @Provide
    Arbitrary<SnapshotFields> snapshotFields() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers(), Arbitraries.longs(),
            Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs().greaterOrEqual(0),
            Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs()).as(SnapshotFields::new);
    }

    @Property
    void shouldDecodeInstallSnapshotChunkToWhatWasEncoded(
        @ForAll("snapshotFields") final SnapshotFields f,
        @ForAll final boolean done,
        @ForAll @Size(max = 4096) final byte[] chunk,
        @ForAll final boolean claim,
        @ForAll @IntRange(max = 64) final int offset) {
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

    @Property
    void shouldDecodeInstallSnapshotResponseToWhatWasEncoded(
        @ForAll final int groupId,
        @ForAll final int senderId,
        @ForAll final long term,
        @ForAll final long lastIncludedIndex,
        @ForAll final long nextOffset,
        @ForAll final long seq,
        @ForAll final boolean success,
        @ForAll @IntRange(max = 64) final int offset) {
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

    @Property
    void shouldDecodeTimeoutNowToWhatWasEncoded(
        @ForAll final int groupId,
        @ForAll final int senderId,
        @ForAll final long term,
        @ForAll @IntRange(max = 64) final int offset) {
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
