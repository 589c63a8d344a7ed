package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
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
 * After {@link #wrap} and the field setters (a valid heartbeat with no entries), call {@link #claimEntry} (zero-copy:
 * the caller writes the payload) or {@link #appendEntry} (copies) per entry; the entry count and the frame's body
 * length are kept current after every call, so the frame is complete at any point. The caller checks room before
 * each entry ({@link #frameLength()} + {@code ENTRY_HEADER_LENGTH} + length against its buffer or maximum frame
 * length).
 */
public final class AppendEntriesEncoder extends RaftMessageEncoder<AppendEntriesEncoder> {
    private int bodyLength;
    private int entryCount;

    /**
     * Creates an encoder; {@link #wrap} starts each frame.
     */
    public AppendEntriesEncoder() {
        super(Opcodes.APPEND_ENTRIES, APPEND_ENTRIES_OFFSET);
    }

    /**
     * Writes the index of the entry just before the first one that will follow.
     *
     * @param prevLogIndex the value.
     * @return this.
     */
    public AppendEntriesEncoder prevLogIndex(final long prevLogIndex) {
        return putLong(APPEND_PREV_LOG_INDEX_OFFSET, prevLogIndex);
    }

    /**
     * Writes the term of the entry at prevLogIndex.
     *
     * @param prevLogTerm the value.
     * @return this.
     */
    public AppendEntriesEncoder prevLogTerm(final long prevLogTerm) {
        return putLong(APPEND_PREV_LOG_TERM_OFFSET, prevLogTerm);
    }

    /**
     * Writes the leader's commit index.
     *
     * @param leaderCommit the value.
     * @return this.
     */
    public AppendEntriesEncoder leaderCommit(final long leaderCommit) {
        return putLong(APPEND_LEADER_COMMIT_OFFSET, leaderCommit);
    }

    /**
     * Writes the request sequence number the response will echo.
     *
     * @param seq the value.
     * @return this.
     */
    public AppendEntriesEncoder seq(final long seq) {
        return putLong(APPEND_SEQ_OFFSET, seq);
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
        final int entry = bodyIndex() + bodyLength;
        final MutableDirectBuffer buffer = buffer();
        buffer.putLong(entry + ENTRY_TERM_OFFSET, term, BYTE_ORDER);
        buffer.putInt(entry + ENTRY_TYPE_OFFSET, type, BYTE_ORDER);
        buffer.putInt(entry + ENTRY_LENGTH_OFFSET, length, BYTE_ORDER);
        bodyLength += ENTRY_HEADER_LENGTH + length;
        entryCount++;
        bodyLength(bodyLength);
        putInt(APPEND_ENTRY_COUNT_OFFSET, entryCount);
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
        buffer().putBytes(payload, src, srcOffset, length);
        return this;
    }

    /**
     * The number of entries added since {@link #wrap}.
     *
     * @return the entry count.
     */
    public int entryCount() {
        return entryCount;
    }

    @Override
    void onWrap() {
        bodyLength = APPEND_ENTRIES_OFFSET;
        entryCount = 0;
    }
}
