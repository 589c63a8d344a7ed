package io.loomcache.protocol.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameDecoder;
import io.loomcache.protocol.FrameHandler;
import io.loomcache.protocol.FrameHeaderDecoder;
import io.loomcache.protocol.FrameStreamAllocationTest;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Encoding every Raft message (both vote flavours, append entries by copy and by claim, snapshot chunks by copy and
 * by claim), cutting the stream with the {@link FrameDecoder} and decoding each frame, entries included, allocates
 * nothing once warm (measured as {@link FrameStreamAllocationTest} says).
 */
class RaftAllocationFreeTest extends FrameStreamAllocationTest {
    private static final ProtocolLimits LIMITS = new ProtocolLimits(8192, 64, 4096);
    private static final int FRAMES_PER_ROUND = 11;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[300]);
    private final VoteRequestEncoder voteRequestEncoder = new VoteRequestEncoder();
    private final VoteResponseEncoder voteResponseEncoder = new VoteResponseEncoder();
    private final AppendEntriesEncoder appendEncoder = new AppendEntriesEncoder();
    private final AppendEntriesResponseEncoder appendResponseEncoder = new AppendEntriesResponseEncoder();
    private final InstallSnapshotEncoder snapshotEncoder = new InstallSnapshotEncoder();
    private final InstallSnapshotResponseEncoder snapshotResponseEncoder = new InstallSnapshotResponseEncoder();
    private final TimeoutNowEncoder timeoutNowEncoder = new TimeoutNowEncoder();
    private final DecodingHandler handler = new DecodingHandler();

    @Test
    void shouldNotAllocateWhenEncodingCuttingAndDecodingEveryRaftMessage() {
        final long rounds = assertAllocationFree(LIMITS, handler, FRAMES_PER_ROUND);
        assertEquals(rounds * FRAMES_PER_ROUND, handler.frames);
        assertEquals(rounds * 3, handler.entries);
        assertEquals(0, handler.invalid);
        assertTrue(handler.checksum != 0);
    }

    @Override
    protected int encodeRound(final int round) {
        final long term = round;
        final int length = round % payload.capacity();
        int position = 0;
        position += voteRequestEncoder.wrap(stream, position).opcode(Opcodes.VOTE_REQUEST).groupId(1).senderId(2)
            .term(term).lastLogIndex(round).lastLogTerm(term).voteFlags(0).frameLength();
        position += voteRequestEncoder.wrap(stream, position).opcode(Opcodes.PRE_VOTE_REQUEST).groupId(1).senderId(2)
            .term(term).lastLogIndex(round).lastLogTerm(term).voteFlags(RaftMessageDescriptor.FLAG_LEADERSHIP_TRANSFER)
            .frameLength();
        position += voteResponseEncoder.wrap(stream, position).opcode(Opcodes.VOTE_RESPONSE).groupId(1).senderId(3)
            .term(term).granted(true).frameLength();
        position += voteResponseEncoder.wrap(stream, position).opcode(Opcodes.PRE_VOTE_RESPONSE).groupId(1)
            .senderId(3).term(term).granted(false).frameLength();
        appendHeader(position, term, round)
            .appendEntry(term, 1, payload, 0, length)
            .appendEntry(term, 2, payload, 0, 0);
        stream.putBytes(appendEncoder.claimEntry(term, 3, length / 2), payload, 0, length / 2);
        position += appendEncoder.frameLength();
        position += appendHeader(position, term, round).frameLength();
        position += appendResponseEncoder.wrap(stream, position).groupId(1).senderId(3).term(term).matchIndex(round)
            .lastLogIndex(round).seq(round).success(true).frameLength();
        position += snapshotHeader(position, term, round).done(false).chunk(payload, 0, length).frameLength();
        stream.putBytes(snapshotHeader(position, term, round).done(true).claimChunk(length), payload, 0, length);
        position += RaftMessageDescriptor.installSnapshotFrameLength(length);
        position += snapshotResponseEncoder.wrap(stream, position).groupId(1).senderId(3).term(term)
            .lastIncludedIndex(round).nextOffset(round + 1L).seq(round).success(true).frameLength();
        position += timeoutNowEncoder.wrap(stream, position).groupId(1).senderId(2).term(term).frameLength();
        return position;
    }

    private AppendEntriesEncoder appendHeader(final int position, final long term, final int round) {
        return appendEncoder.wrap(stream, position).groupId(1).senderId(2).term(term).prevLogIndex(round)
            .prevLogTerm(term).leaderCommit(round).seq(round);
    }

    private InstallSnapshotEncoder snapshotHeader(final int position, final long term, final int round) {
        return snapshotEncoder.wrap(stream, position).groupId(1).senderId(2).term(term).lastIncludedIndex(round)
            .lastIncludedTerm(term).totalLength(10_000L).chunkOffset(round).seq(round);
    }

    /** Decodes every frame with the flyweight of its opcode, walks the entries and folds fields into a checksum. */
    private static final class DecodingHandler implements FrameHandler {
        private final FrameHeaderDecoder header = new FrameHeaderDecoder();
        private final VoteRequestDecoder voteRequest = new VoteRequestDecoder();
        private final VoteResponseDecoder voteResponse = new VoteResponseDecoder();
        private final AppendEntriesDecoder append = new AppendEntriesDecoder();
        private final AppendEntriesResponseDecoder appendResponse = new AppendEntriesResponseDecoder();
        private final InstallSnapshotDecoder snapshot = new InstallSnapshotDecoder();
        private final InstallSnapshotResponseDecoder snapshotResponse = new InstallSnapshotResponseDecoder();
        private final TimeoutNowDecoder timeoutNow = new TimeoutNowDecoder();
        private long frames;
        private long entries;
        private long invalid;
        private long checksum;

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length) {
            frames++;
            final int groupId = RaftMessageDescriptor.groupId(buffer, offset);
            final RaftMessageDecoder decoder = switch (header.wrap(buffer, offset).opcode()) {
                case Opcodes.VOTE_REQUEST, Opcodes.PRE_VOTE_REQUEST -> voteRequest;
                case Opcodes.VOTE_RESPONSE, Opcodes.PRE_VOTE_RESPONSE -> voteResponse;
                case Opcodes.APPEND_ENTRIES -> append;
                case Opcodes.APPEND_ENTRIES_RESPONSE -> appendResponse;
                case Opcodes.INSTALL_SNAPSHOT -> snapshot;
                case Opcodes.INSTALL_SNAPSHOT_RESPONSE -> snapshotResponse;
                case Opcodes.TIMEOUT_NOW -> timeoutNow;
                default -> null;
            };
            if (decoder == null || decoder.wrap(buffer, offset, length) != ErrorCode.NONE) {
                invalid++;
                return;
            }
            checksum += groupId + decoder.senderId() + decoder.term();
            if (decoder == voteRequest) {
                checksum += voteRequest.lastLogIndex() + voteRequest.lastLogTerm() + voteRequest.voteFlags()
                    + (voteRequest.isPreVote() ? 1 : 0);
            } else if (decoder == voteResponse) {
                checksum += voteResponse.granted() ? 1 : 0;
            } else if (decoder == append) {
                checksum += append.prevLogIndex() + append.prevLogTerm() + append.leaderCommit() + append.seq();
                while (append.nextEntry()) {
                    entries++;
                    checksum += append.entryIndex() + append.entryTerm() + append.entryType() + append.entryLength()
                        + append.entryPayloadOffset();
                }
            } else if (decoder == appendResponse) {
                checksum += appendResponse.matchIndex() + appendResponse.lastLogIndex() + appendResponse.seq()
                    + (appendResponse.success() ? 1 : 0);
            } else if (decoder == snapshot) {
                checksum += snapshot.lastIncludedIndex() + snapshot.lastIncludedTerm() + snapshot.totalLength()
                    + snapshot.chunkOffset() + snapshot.seq() + snapshot.chunkLength() + snapshot.chunkPayloadOffset()
                    + (snapshot.done() ? 1 : 0);
            } else if (decoder == snapshotResponse) {
                checksum += snapshotResponse.lastIncludedIndex() + snapshotResponse.nextOffset()
                    + snapshotResponse.seq() + (snapshotResponse.success() ? 1 : 0);
            }
        }
    }
}
