package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.KNOWN_VOTE_FLAGS;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_FLAGS_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_LAST_LOG_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_LAST_LOG_TERM_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_REQUEST_BODY_LENGTH;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;

/**
 * Flyweight decoder of VOTE_REQUEST and PRE_VOTE_REQUEST (§5.2 election, §9.6 pre-vote); layout in
 * {@link RaftMessageDescriptor}. No unknown flag bit may be set. Not thread-safe; allocates nothing.
 */
public final class VoteRequestDecoder extends RaftMessageDecoder {
    @Override
    protected boolean accepts(final int opcode) {
        return opcode == Opcodes.VOTE_REQUEST || opcode == Opcodes.PRE_VOTE_REQUEST;
    }

    @Override
    int validateBody(final int bodyOffset, final int bodyLength) {
        final boolean knownFlags = (voteFlags() & ~KNOWN_VOTE_FLAGS) == 0;
        return knownFlags ? fixedBody(VOTE_REQUEST_BODY_LENGTH, -1) : -ErrorCode.MALFORMED_FRAME;
    }

    /**
     * Tells a pre-vote (which changes no state on the receiver) from a real vote request.
     *
     * @return true for PRE_VOTE_REQUEST.
     */
    public boolean isPreVote() {
        return opcode() == Opcodes.PRE_VOTE_REQUEST;
    }

    /**
     * The candidate's last log index, for the §5.4.1 election restriction.
     *
     * @return the index.
     */
    public long lastLogIndex() {
        return longAt(VOTE_LAST_LOG_INDEX_OFFSET);
    }

    /**
     * The term of the candidate's last log entry, for the §5.4.1 election restriction.
     *
     * @return the term.
     */
    public long lastLogTerm() {
        return longAt(VOTE_LAST_LOG_TERM_OFFSET);
    }

    /**
     * The vote request flags (not the frame header's).
     *
     * @return {@code RaftMessageDescriptor.FLAG_*} bits.
     */
    public int voteFlags() {
        return intAt(VOTE_FLAGS_OFFSET);
    }

    @Override
    protected void appendBody(final StringBuilder builder) {
        super.appendBody(builder);
        builder.append(" lastLogIndex=").append(lastLogIndex()).append(" lastLogTerm=").append(lastLogTerm())
            .append(" voteFlags=").append(voteFlags());
    }
}
