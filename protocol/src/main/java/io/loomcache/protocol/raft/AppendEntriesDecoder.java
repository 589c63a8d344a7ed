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

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import org.agrona.DirectBuffer;

/**
 * Flyweight decoder of APPEND_ENTRIES (§5.3) with an allocation-free entry cursor; layout in
 * {@link RaftMessageDescriptor}. {@link #wrap} walks every entry once: the count and every length are non-negative
 * and the entries end inside the frame, so the cursor never reads out of bounds; bytes after the last entry (a newer
 * peer's fields) are skipped. Payloads stay in
 * the buffer as (offset, length) views. Not thread-safe; allocates nothing.
 */
public final class AppendEntriesDecoder extends RaftMessageDecoder {
    private static final int BEFORE_FIRST = -1;

    private int entryCount;
    private int firstEntryOffset;
    private int nextEntryOffset;
    private int entryOffset;
    private int entryOrdinal = BEFORE_FIRST;

    @Override
    protected boolean accepts(final int opcode) {
        return opcode == Opcodes.APPEND_ENTRIES;
    }

    @Override
    int validateBody(final int bodyOffset, final int bodyLength) {
        final DirectBuffer buffer = buffer();
        final int count = intAt(APPEND_ENTRY_COUNT_OFFSET);
        if (count < 0) {
            return -ErrorCode.MALFORMED_FRAME;
        }
        final int first = bodyOffset + APPEND_ENTRIES_OFFSET;
        final int limit = bodyOffset + bodyLength;
        int position = first;
        for (int i = 0; i < count; i++) {
            if (limit - position < ENTRY_HEADER_LENGTH) {
                return -ErrorCode.MALFORMED_FRAME;
            }
            final int length = buffer.getInt(position + ENTRY_LENGTH_OFFSET, BYTE_ORDER);
            if (length < 0 || length > limit - position - ENTRY_HEADER_LENGTH) {
                return -ErrorCode.MALFORMED_FRAME;
            }
            position += ENTRY_HEADER_LENGTH + length;
        }
        entryCount = count;
        firstEntryOffset = first;
        rewind();
        return position;
    }

    @Override
    protected void clearBody() {
        entryCount = 0;
        firstEntryOffset = 0;
        rewind();
    }

    /**
     * The index of the entry just before the first one carried (§5.3 consistency check).
     *
     * @return prevLogIndex.
     */
    public long prevLogIndex() {
        return longAt(APPEND_PREV_LOG_INDEX_OFFSET);
    }

    /**
     * The term of the entry at {@link #prevLogIndex()}.
     *
     * @return prevLogTerm.
     */
    public long prevLogTerm() {
        return longAt(APPEND_PREV_LOG_TERM_OFFSET);
    }

    /**
     * The leader's commit index.
     *
     * @return leaderCommit.
     */
    public long leaderCommit() {
        return longAt(APPEND_LEADER_COMMIT_OFFSET);
    }

    /**
     * The request sequence number the response echoes (pipelining).
     *
     * @return seq.
     */
    public long seq() {
        return longAt(APPEND_SEQ_OFFSET);
    }

    /**
     * The number of entries carried; 0 for a heartbeat.
     *
     * @return the validated count, 0 after a failed wrap.
     */
    public int entryCount() {
        return entryCount;
    }

    /**
     * Moves the cursor back before the first entry.
     */
    public void rewind() {
        nextEntryOffset = firstEntryOffset;
        entryOffset = firstEntryOffset;
        entryOrdinal = BEFORE_FIRST;
    }

    /**
     * Advances the cursor to the next entry.
     *
     * @return true when positioned on an entry; false when every entry has been visited (the getters then keep
     *     describing the last one).
     */
    public boolean nextEntry() {
        if (entryOrdinal + 1 >= entryCount) {
            return false;
        }
        entryOrdinal++;
        entryOffset = nextEntryOffset;
        nextEntryOffset = entryOffset + ENTRY_HEADER_LENGTH + entryLength();
        return true;
    }

    /**
     * The log index of the entry under the cursor (not on the wire).
     *
     * @return prevLogIndex + 1 + the entry's position in this message.
     */
    public long entryIndex() {
        return prevLogIndex() + 1 + entryOrdinal;
    }

    /**
     * The term of the entry under the cursor.
     *
     * @return the entry's term.
     */
    public long entryTerm() {
        return buffer().getLong(entryOffset + ENTRY_TERM_OFFSET, BYTE_ORDER);
    }

    /**
     * The type of the entry under the cursor.
     *
     * @return the entry type as written by the encoder.
     */
    public int entryType() {
        return buffer().getInt(entryOffset + ENTRY_TYPE_OFFSET, BYTE_ORDER);
    }

    /**
     * The payload length of the entry under the cursor.
     *
     * @return bytes, never negative.
     */
    public int entryLength() {
        return buffer().getInt(entryOffset + ENTRY_LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * Where the payload of the entry under the cursor starts in {@link #buffer()}.
     *
     * @return the absolute index of the first payload byte.
     */
    public int entryPayloadOffset() {
        return entryOffset + ENTRY_PAYLOAD_OFFSET;
    }

    @Override
    protected void appendBody(final StringBuilder builder) {
        super.appendBody(builder);
        builder.append(" prevLogIndex=").append(prevLogIndex()).append(" prevLogTerm=").append(prevLogTerm())
            .append(" leaderCommit=").append(leaderCommit()).append(" seq=").append(seq())
            .append(" entryCount=").append(entryCount);
    }
}
