package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_ENTRIES_RESPONSE_BODY_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_RESPONSE_LAST_LOG_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_RESPONSE_MATCH_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_RESPONSE_SEQ_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_RESPONSE_SUCCESS_OFFSET;

import io.loomcache.protocol.Opcodes;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of APPEND_ENTRIES_RESPONSE, frame header included; layout in {@link RaftMessageDescriptor}.
 * The caller makes sure the buffer has room. Not thread-safe; allocates nothing.
 */
public final class AppendEntriesResponseEncoder {
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Points this encoder at the place where the frame will be written.
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public AppendEntriesResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Encodes a whole APPEND_ENTRIES_RESPONSE frame.
     *
     * @param groupId the Raft group id.
     * @param senderId the follower's node id.
     * @param term the follower's current term.
     * @param matchIndex the highest index known to match the leader's log.
     * @param lastLogIndex the follower's last log index.
     * @param seq the sequence number of the request answered.
     * @param success whether the consistency check passed.
     * @return the frame length in bytes.
     */
    public int encode(
        final int groupId,
        final int senderId,
        final long term,
        final long matchIndex,
        final long lastLogIndex,
        final long seq,
        final boolean success) {
        final int body = RaftFrames.writeHeaderAndPrefix(
            buffer, offset, Opcodes.APPEND_ENTRIES_RESPONSE, APPEND_ENTRIES_RESPONSE_BODY_LENGTH, groupId, senderId,
            term);
        buffer.putLong(body + APPEND_RESPONSE_MATCH_INDEX_OFFSET, matchIndex, BYTE_ORDER);
        buffer.putLong(body + APPEND_RESPONSE_LAST_LOG_INDEX_OFFSET, lastLogIndex, BYTE_ORDER);
        buffer.putLong(body + APPEND_RESPONSE_SEQ_OFFSET, seq, BYTE_ORDER);
        buffer.putInt(body + APPEND_RESPONSE_SUCCESS_OFFSET, RaftFrames.toInt(success), BYTE_ORDER);
        return HEADER_LENGTH + APPEND_ENTRIES_RESPONSE_BODY_LENGTH;
    }
}
