package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_ENTRIES_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_ENTRY_COUNT_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_LEADER_COMMIT_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_PREV_LOG_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_PREV_LOG_TERM_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_SEQ_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.ENTRY_HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.ENTRY_LENGTH_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.ENTRY_PAYLOAD_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.ENTRY_TERM_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.ENTRY_TYPE_OFFSET;

import io.loomcache.protocol.Opcodes;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of APPEND_ENTRIES (§5.3), frame header included; layout in {@link RaftMessageDescriptor}.
 * Call {@link #header} first (a valid heartbeat with no entries), then {@link #claimEntry} (zero-copy: the caller
 * writes the payload) or {@link #appendEntry} (copies) per entry; the entry count and the frame's body length are
 * kept current after every call, so the frame is complete at any point. The caller checks room before each entry
 * ({@link #frameLength()} + {@code ENTRY_HEADER_LENGTH} + length against its buffer or maximum frame length).
 * Not thread-safe; allocates nothing.
 */
public final class AppendEntriesEncoder {
    private MutableDirectBuffer buffer;
    private int offset;
    private int bodyLength;
    private int entryCount;

    /**
     * Points this encoder at the place where the frame will be written.
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public AppendEntriesEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        this.bodyLength = 0;
        this.entryCount = 0;
        return this;
    }

    /**
     * Writes the frame header and the fixed body part with no entries.
     *
     * @param groupId the Raft group id.
     * @param senderId the leader's node id.
     * @param term the leader's term.
     * @param prevLogIndex the index of the entry just before the first one that will follow.
     * @param prevLogTerm the term of the entry at prevLogIndex.
     * @param leaderCommit the leader's commit index.
     * @param seq the request sequence number the response will echo.
     * @return this.
     */
    public AppendEntriesEncoder header(
        final int groupId,
        final int senderId,
        final long term,
        final long prevLogIndex,
        final long prevLogTerm,
        final long leaderCommit,
        final long seq) {
        bodyLength = APPEND_ENTRIES_OFFSET;
        entryCount = 0;
        final int body = RaftFrames.writeHeaderAndPrefix(
            buffer, offset, Opcodes.APPEND_ENTRIES, bodyLength, groupId, senderId, term);
        buffer.putLong(body + APPEND_PREV_LOG_INDEX_OFFSET, prevLogIndex, BYTE_ORDER);
        buffer.putLong(body + APPEND_PREV_LOG_TERM_OFFSET, prevLogTerm, BYTE_ORDER);
        buffer.putLong(body + APPEND_LEADER_COMMIT_OFFSET, leaderCommit, BYTE_ORDER);
        buffer.putLong(body + APPEND_SEQ_OFFSET, seq, BYTE_ORDER);
        buffer.putInt(body + APPEND_ENTRY_COUNT_OFFSET, 0, BYTE_ORDER);
        return this;
    }

    /**
     * Adds an entry whose payload the caller writes afterwards at the returned index.
     *
     * @param term the entry's term.
     * @param type the entry's type.
     * @param length the payload length in bytes.
     * @return the absolute index in the buffer where the caller writes exactly {@code length} payload bytes.
     * @throws IllegalArgumentException when length is negative (a programming error).
     */
    public int claimEntry(final long term, final int type, final int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative entry length");
        }
        final int entry = offset + HEADER_LENGTH + bodyLength;
        buffer.putLong(entry + ENTRY_TERM_OFFSET, term, BYTE_ORDER);
        buffer.putInt(entry + ENTRY_TYPE_OFFSET, type, BYTE_ORDER);
        buffer.putInt(entry + ENTRY_LENGTH_OFFSET, length, BYTE_ORDER);
        bodyLength += ENTRY_HEADER_LENGTH + length;
        entryCount++;
        buffer.putInt(offset + BODY_LENGTH_OFFSET, bodyLength, BYTE_ORDER);
        buffer.putInt(offset + HEADER_LENGTH + APPEND_ENTRY_COUNT_OFFSET, entryCount, BYTE_ORDER);
        return entry + ENTRY_PAYLOAD_OFFSET;
    }

    /**
     * Adds an entry, copying its payload.
     *
     * @param term the entry's term.
     * @param type the entry's type.
     * @param src the buffer holding the payload.
     * @param srcOffset the index of the payload's first byte in {@code src}.
     * @param length the payload length in bytes.
     * @return this.
     * @throws IllegalArgumentException when length is negative (a programming error).
     */
    public AppendEntriesEncoder appendEntry(
        final long term, final int type, final DirectBuffer src, final int srcOffset, final int length) {
        final int payload = claimEntry(term, type, length);
        buffer.putBytes(payload, src, srcOffset, length);
        return this;
    }

    /**
     * The frame length so far.
     *
     * @return bytes, frame header included.
     */
    public int frameLength() {
        return HEADER_LENGTH + bodyLength;
    }

    /**
     * The number of entries added since {@link #header}.
     *
     * @return the entry count.
     */
    public int entryCount() {
        return entryCount;
    }
}
