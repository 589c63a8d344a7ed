package io.loomcache.protocol.raft;

import java.util.Random;

import io.loomcache.protocol.Opcodes;
import org.agrona.concurrent.UnsafeBuffer;

/** Builds valid frames of every Raft message with random field values, for the truncation and corruption tests. */
final class RandomRaftFrames {
    /** Kinds of message: the nine opcodes, APPEND_ENTRIES and INSTALL_SNAPSHOT each encoded two ways. */
    static final int KINDS = 11;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final Random random;

    RandomRaftFrames(final long seed) {
        random = new Random(seed);
    }

    /** Encodes a random message of a kind at offset 0 and returns a copy of the frame. */
    byte[] frame(final int kind) {
        final int length = switch (kind) {
            case 0, 1 -> new VoteRequestEncoder().wrap(buffer, 0)
                .opcode(kind == 0 ? Opcodes.VOTE_REQUEST : Opcodes.PRE_VOTE_REQUEST).groupId(random.nextInt())
                .senderId(random.nextInt()).term(random.nextLong()).lastLogIndex(random.nextLong())
                .lastLogTerm(random.nextLong()).voteFlags(random.nextInt(2)).frameLength();
            case 2, 3 -> new VoteResponseEncoder().wrap(buffer, 0)
                .opcode(kind == 2 ? Opcodes.VOTE_RESPONSE : Opcodes.PRE_VOTE_RESPONSE).groupId(random.nextInt())
                .senderId(random.nextInt()).term(random.nextLong()).granted(random.nextBoolean()).frameLength();
            case 4, 5 -> appendEntries(kind == 4);
            case 6 -> new AppendEntriesResponseEncoder().wrap(buffer, 0).groupId(random.nextInt())
                .senderId(random.nextInt()).term(random.nextLong()).matchIndex(random.nextLong())
                .lastLogIndex(random.nextLong()).seq(random.nextLong()).success(random.nextBoolean()).frameLength();
            case 7, 8 -> installSnapshot(kind == 7);
            case 9 -> new InstallSnapshotResponseEncoder().wrap(buffer, 0).groupId(random.nextInt())
                .senderId(random.nextInt()).term(random.nextLong()).lastIncludedIndex(random.nextLong())
                .nextOffset(random.nextLong()).seq(random.nextLong()).success(random.nextBoolean()).frameLength();
            case 10 -> new TimeoutNowEncoder().wrap(buffer, 0).groupId(random.nextInt()).senderId(random.nextInt())
                .term(random.nextLong()).frameLength();
            default -> throw new IllegalArgumentException("kind " + kind);
        };
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    private int appendEntries(final boolean copy) {
        final AppendEntriesEncoder encoder = new AppendEntriesEncoder().wrap(buffer, 0).groupId(random.nextInt())
            .senderId(random.nextInt()).term(random.nextLong()).prevLogIndex(random.nextLong())
            .prevLogTerm(random.nextLong()).leaderCommit(random.nextLong()).seq(random.nextLong());
        final int entries = random.nextInt(6);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < entries; i++) {
            random.nextBytes(payload.byteArray());
            final int length = random.nextInt(payload.capacity() + 1);
            if (copy) {
                encoder.appendEntry(random.nextLong(), random.nextInt(), payload, 0, length);
            } else {
                buffer.putBytes(encoder.claimEntry(random.nextLong(), random.nextInt(), length), payload, 0, length);
            }
        }
        return encoder.frameLength();
    }

    private int installSnapshot(final boolean copy) {
        final UnsafeBuffer chunk = new UnsafeBuffer(new byte[random.nextInt(200)]);
        random.nextBytes(chunk.byteArray());
        final InstallSnapshotEncoder encoder = new InstallSnapshotEncoder().wrap(buffer, 0);
        final long totalLength = random.nextLong(Long.MAX_VALUE);
        final long chunkOffset = random.nextLong(Long.MAX_VALUE);
        encoder.groupId(random.nextInt()).senderId(random.nextInt()).term(random.nextLong())
            .lastIncludedIndex(random.nextLong()).lastIncludedTerm(random.nextLong()).totalLength(totalLength)
            .chunkOffset(chunkOffset).seq(random.nextLong()).done(random.nextBoolean());
        if (copy) {
            return encoder.chunk(chunk, 0, chunk.capacity()).frameLength();
        }
        buffer.putBytes(encoder.claimChunk(chunk.capacity()), chunk, 0, chunk.capacity());
        return RaftMessageDescriptor.installSnapshotFrameLength(chunk.capacity());
    }
}
