package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.INSTALL_SNAPSHOT_RESPONSE_BODY_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_RESPONSE_LAST_INCLUDED_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_RESPONSE_NEXT_OFFSET_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_RESPONSE_SEQ_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_RESPONSE_SUCCESS_OFFSET;

import io.loomcache.protocol.Opcodes;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of INSTALL_SNAPSHOT_RESPONSE, frame header included; layout in {@link RaftMessageDescriptor}.
 * The caller makes sure the buffer has room. Not thread-safe; allocates nothing.
 */
public final class InstallSnapshotResponseEncoder {
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Points this encoder at the place where the frame will be written.
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public InstallSnapshotResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Encodes a whole INSTALL_SNAPSHOT_RESPONSE frame.
     *
     * @param groupId the Raft group id.
     * @param senderId the follower's node id.
     * @param term the follower's current term.
     * @param lastIncludedIndex the last included index of the snapshot answered.
     * @param nextOffset the next snapshot byte the follower expects.
     * @param seq the sequence number of the request answered.
     * @param success whether the chunk was accepted.
     * @return the frame length in bytes.
     */
    public int encode(
        final int groupId,
        final int senderId,
        final long term,
        final long lastIncludedIndex,
        final long nextOffset,
        final long seq,
        final boolean success) {
        final int body = RaftFrames.writeHeaderAndPrefix(
            buffer, offset, Opcodes.INSTALL_SNAPSHOT_RESPONSE, INSTALL_SNAPSHOT_RESPONSE_BODY_LENGTH, groupId,
            senderId, term);
        buffer.putLong(body + SNAPSHOT_RESPONSE_LAST_INCLUDED_INDEX_OFFSET, lastIncludedIndex, BYTE_ORDER);
        buffer.putLong(body + SNAPSHOT_RESPONSE_NEXT_OFFSET_OFFSET, nextOffset, BYTE_ORDER);
        buffer.putLong(body + SNAPSHOT_RESPONSE_SEQ_OFFSET, seq, BYTE_ORDER);
        buffer.putInt(body + SNAPSHOT_RESPONSE_SUCCESS_OFFSET, RaftFrames.toInt(success), BYTE_ORDER);
        return HEADER_LENGTH + INSTALL_SNAPSHOT_RESPONSE_BODY_LENGTH;
    }
}
