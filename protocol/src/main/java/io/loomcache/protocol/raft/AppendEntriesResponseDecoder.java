package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_ENTRIES_RESPONSE_BODY_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_RESPONSE_LAST_LOG_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_RESPONSE_MATCH_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_RESPONSE_SEQ_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_RESPONSE_SUCCESS_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.TRUE;

import io.loomcache.protocol.Opcodes;

/**
 * Flyweight decoder of APPEND_ENTRIES_RESPONSE; layout in {@link RaftMessageDescriptor}. Success must be 0 or 1. Not
 * thread-safe; allocates nothing.
 */
public final class AppendEntriesResponseDecoder extends RaftMessageDecoder {
    @Override
    protected boolean accepts(final int opcode) {
        return opcode == Opcodes.APPEND_ENTRIES_RESPONSE;
    }

    @Override
    int validateBody(final int bodyOffset, final int bodyLength) {
        return fixedBody(APPEND_ENTRIES_RESPONSE_BODY_LENGTH, APPEND_RESPONSE_SUCCESS_OFFSET);
    }

    /**
     * The highest index known to match the leader's log (meaningful on success).
     *
     * @return the match index.
     */
    public long matchIndex() {
        return longAt(APPEND_RESPONSE_MATCH_INDEX_OFFSET);
    }

    /**
     * The follower's last log index, a hint for backing off nextIndex on failure.
     *
     * @return the index.
     */
    public long lastLogIndex() {
        return longAt(APPEND_RESPONSE_LAST_LOG_INDEX_OFFSET);
    }

    /**
     * The sequence number of the APPEND_ENTRIES this answers.
     *
     * @return the echoed sequence number.
     */
    public long seq() {
        return longAt(APPEND_RESPONSE_SEQ_OFFSET);
    }

    /**
     * Whether the follower's log matched at prevLogIndex/prevLogTerm (§5.3).
     *
     * @return true on success.
     */
    public boolean success() {
        return intAt(APPEND_RESPONSE_SUCCESS_OFFSET) == TRUE;
    }

    @Override
    protected void appendBody(final StringBuilder builder) {
        super.appendBody(builder);
        builder.append(" matchIndex=").append(matchIndex()).append(" lastLogIndex=").append(lastLogIndex())
            .append(" seq=").append(seq()).append(" success=").append(success());
    }
}
