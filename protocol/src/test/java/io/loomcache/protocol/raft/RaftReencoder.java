package io.loomcache.protocol.raft;

import org.agrona.concurrent.UnsafeBuffer;

/** Re-encodes what a valid decoder read, so tests can compare it byte for byte with the frame it came from. */
final class RaftReencoder {
    private final UnsafeBuffer buffer;

    RaftReencoder(final int capacity) {
        buffer = new UnsafeBuffer(new byte[capacity]);
    }

    byte[] reencode(final RaftMessageDecoder decoder) {
        final int length = switch (decoder) {
            case VoteRequestDecoder d -> new VoteRequestEncoder().wrap(buffer, 0).opcode(d.opcode())
                .groupId(d.groupId()).senderId(d.senderId()).term(d.term()).lastLogIndex(d.lastLogIndex())
                .lastLogTerm(d.lastLogTerm()).voteFlags(d.voteFlags()).frameLength();
            case VoteResponseDecoder d -> new VoteResponseEncoder().wrap(buffer, 0).opcode(d.opcode())
                .groupId(d.groupId()).senderId(d.senderId()).term(d.term()).granted(d.granted()).frameLength();
            case AppendEntriesDecoder d -> appendEntries(d);
            case AppendEntriesResponseDecoder d -> new AppendEntriesResponseEncoder().wrap(buffer, 0)
                .groupId(d.groupId()).senderId(d.senderId()).term(d.term()).matchIndex(d.matchIndex())
                .lastLogIndex(d.lastLogIndex()).seq(d.seq()).success(d.success()).frameLength();
            case InstallSnapshotDecoder d -> new InstallSnapshotEncoder().wrap(buffer, 0).groupId(d.groupId())
                .senderId(d.senderId()).term(d.term()).lastIncludedIndex(d.lastIncludedIndex())
                .lastIncludedTerm(d.lastIncludedTerm()).totalLength(d.totalLength()).chunkOffset(d.chunkOffset())
                .seq(d.seq()).done(d.done()).chunk(d.buffer(), d.chunkPayloadOffset(), d.chunkLength()).frameLength();
            case InstallSnapshotResponseDecoder d -> new InstallSnapshotResponseEncoder().wrap(buffer, 0)
                .groupId(d.groupId()).senderId(d.senderId()).term(d.term()).lastIncludedIndex(d.lastIncludedIndex())
                .nextOffset(d.nextOffset()).seq(d.seq()).success(d.success()).frameLength();
            case TimeoutNowDecoder d -> new TimeoutNowEncoder().wrap(buffer, 0).groupId(d.groupId())
                .senderId(d.senderId()).term(d.term()).frameLength();
        };
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private int appendEntries(final AppendEntriesDecoder d) {
        final AppendEntriesEncoder encoder = new AppendEntriesEncoder().wrap(buffer, 0).groupId(d.groupId())
            .senderId(d.senderId()).term(d.term()).prevLogIndex(d.prevLogIndex()).prevLogTerm(d.prevLogTerm())
            .leaderCommit(d.leaderCommit()).seq(d.seq());
        d.rewind();
        while (d.nextEntry()) {
            encoder.appendEntry(d.entryTerm(), d.entryType(), d.buffer(), d.entryPayloadOffset(), d.entryLength());
        }
        d.rewind();
        return encoder.frameLength();
    }
}
