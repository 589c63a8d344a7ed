package io.loomcache.protocol.raft;

import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.gen.Gen;
import org.agrona.concurrent.UnsafeBuffer;

/** Builds valid frames of every Raft message with edge-biased field values, for the truncation and corruption tests. */
final class RandomRaftFrames {
    /** Kinds of message: the nine opcodes, APPEND_ENTRIES and INSTALL_SNAPSHOT each encoded two ways. */
    static final int KINDS = 11;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final Gen gen;

    RandomRaftFrames(final Gen gen) {
        this.gen = gen;
    }

    /** Encodes a random message of a kind at offset 0 and returns a copy of the frame. */
    byte[] frame(final int kind) {
        final int length = switch (kind) {
            case 0, 1 -> new VoteRequestEncoder().wrap(buffer, 0)
                .opcode(kind == 0 ? Opcodes.VOTE_REQUEST : Opcodes.PRE_VOTE_REQUEST).groupId(gen.anyInt())
                .senderId(gen.anyInt()).term(gen.anyLong()).lastLogIndex(gen.anyLong())
                .lastLogTerm(gen.anyLong()).voteFlags(gen.ints(0, 1)).frameLength();
            case 2, 3 -> new VoteResponseEncoder().wrap(buffer, 0)
                .opcode(kind == 2 ? Opcodes.VOTE_RESPONSE : Opcodes.PRE_VOTE_RESPONSE).groupId(gen.anyInt())
                .senderId(gen.anyInt()).term(gen.anyLong()).granted(gen.bool()).frameLength();
            case 4, 5 -> appendEntries(kind == 4, 0);
            case 6 -> new AppendEntriesResponseEncoder().wrap(buffer, 0).groupId(gen.anyInt())
                .senderId(gen.anyInt()).term(gen.anyLong()).matchIndex(gen.anyLong())
                .lastLogIndex(gen.anyLong()).seq(gen.anyLong()).success(gen.bool()).frameLength();
            case 7, 8 -> installSnapshot(kind == 7);
            case 9 -> new InstallSnapshotResponseEncoder().wrap(buffer, 0).groupId(gen.anyInt())
                .senderId(gen.anyInt()).term(gen.anyLong()).lastIncludedIndex(gen.anyLong())
                .nextOffset(gen.anyLong()).seq(gen.anyLong()).success(gen.bool()).frameLength();
            case 10 -> new TimeoutNowEncoder().wrap(buffer, 0).groupId(gen.anyInt()).senderId(gen.anyInt())
                .term(gen.anyLong()).frameLength();
            default -> throw new IllegalArgumentException("kind " + kind);
        };
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    /** Encodes a random APPEND_ENTRIES of at least {@code minEntries} entries, claimed in place, and copies it. */
    byte[] appendEntries(final int minEntries) {
        final byte[] frame = new byte[appendEntries(false, minEntries)];
        buffer.getBytes(0, frame);
        return frame;
    }

    private int appendEntries(final boolean copy, final int minEntries) {
        final AppendEntriesEncoder encoder = new AppendEntriesEncoder().wrap(buffer, 0).groupId(gen.anyInt())
            .senderId(gen.anyInt()).term(gen.anyLong()).prevLogIndex(gen.anyLong())
            .prevLogTerm(gen.anyLong()).leaderCommit(gen.anyLong()).seq(gen.anyLong());
        final int entries = gen.length(minEntries, 5);
        for (int i = 0; i < entries; i++) {
            final UnsafeBuffer payload = new UnsafeBuffer(gen.bytes(64));
            final int length = payload.capacity();
            if (copy) {
                encoder.appendEntry(gen.anyLong(), gen.anyInt(), payload, 0, length);
            } else {
                buffer.putBytes(encoder.claimEntry(gen.anyLong(), gen.anyInt(), length), payload, 0, length);
            }
        }
        return encoder.frameLength();
    }

    private int installSnapshot(final boolean copy) {
        final UnsafeBuffer chunk = new UnsafeBuffer(gen.bytes(199));
        final InstallSnapshotEncoder encoder = new InstallSnapshotEncoder().wrap(buffer, 0);
        final long totalLength = gen.longs(0, Long.MAX_VALUE - 1);
        final long chunkOffset = gen.longs(0, Long.MAX_VALUE - 1);
        encoder.groupId(gen.anyInt()).senderId(gen.anyInt()).term(gen.anyLong())
            .lastIncludedIndex(gen.anyLong()).lastIncludedTerm(gen.anyLong()).totalLength(totalLength)
            .chunkOffset(chunkOffset).seq(gen.anyLong()).done(gen.bool());
        if (copy) {
            return encoder.chunk(chunk, 0, chunk.capacity()).frameLength();
        }
        buffer.putBytes(encoder.claimChunk(chunk.capacity()), chunk, 0, chunk.capacity());
        return RaftMessageDescriptor.installSnapshotFrameLength(chunk.capacity());
    }
}
