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
            case VoteRequestDecoder d -> new VoteRequestEncoder().wrap(buffer, 0).encode(d.opcode(), d.groupId(),
                d.senderId(), d.term(), d.lastLogIndex(), d.lastLogTerm(), d.flags());
            case VoteResponseDecoder d -> new VoteResponseEncoder().wrap(buffer, 0).encode(d.opcode(), d.groupId(),
                d.senderId(), d.term(), d.granted());
            case AppendEntriesDecoder d -> appendEntries(d);
            case AppendEntriesResponseDecoder d -> new AppendEntriesResponseEncoder().wrap(buffer, 0).encode(
                d.groupId(), d.senderId(), d.term(), d.matchIndex(), d.lastLogIndex(), d.seq(), d.success());
            case InstallSnapshotDecoder d -> new InstallSnapshotEncoder().wrap(buffer, 0).encode(d.groupId(),
                d.senderId(), d.term(), d.lastIncludedIndex(), d.lastIncludedTerm(), d.totalLength(), d.chunkOffset(),
                d.seq(), d.done(), d.buffer(), d.chunkPayloadOffset(), d.chunkLength());
            case InstallSnapshotResponseDecoder d -> new InstallSnapshotResponseEncoder().wrap(buffer, 0).encode(
                d.groupId(), d.senderId(), d.term(), d.lastIncludedIndex(), d.nextOffset(), d.seq(), d.success());
            case TimeoutNowDecoder d -> new TimeoutNowEncoder().wrap(buffer, 0).encode(d.groupId(), d.senderId(),
                d.term());
        };
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private int appendEntries(final AppendEntriesDecoder d) {
        final AppendEntriesEncoder encoder = new AppendEntriesEncoder().wrap(buffer, 0)
            .header(d.groupId(), d.senderId(), d.term(), d.prevLogIndex(), d.prevLogTerm(), d.leaderCommit(), d.seq());
        d.rewind();
        while (d.nextEntry()) {
            encoder.appendEntry(d.entryTerm(), d.entryType(), d.buffer(), d.entryPayloadOffset(), d.entryLength());
        }
        d.rewind();
        return encoder.frameLength();
    }
}
