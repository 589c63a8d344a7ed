package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.TRUE;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_GRANTED_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_RESPONSE_BODY_LENGTH;

import io.loomcache.protocol.Opcodes;

/**
 * Flyweight decoder of VOTE_RESPONSE and PRE_VOTE_RESPONSE; layout in {@link RaftMessageDescriptor}. Granted must be 0
 * or 1. Not thread-safe; allocates nothing.
 */
public final class VoteResponseDecoder extends RaftMessageDecoder {
    @Override
    protected boolean accepts(final int opcode) {
        return opcode == Opcodes.VOTE_RESPONSE || opcode == Opcodes.PRE_VOTE_RESPONSE;
    }

    @Override
    int validateBody(final int bodyOffset, final int bodyLength) {
        return fixedBody(VOTE_RESPONSE_BODY_LENGTH, VOTE_GRANTED_OFFSET);
    }

    /**
     * Tells a pre-vote response from a vote response.
     *
     * @return true for PRE_VOTE_RESPONSE.
     */
    public boolean isPreVote() {
        return opcode() == Opcodes.PRE_VOTE_RESPONSE;
    }

    /**
     * Whether the voter granted its (pre-)vote.
     *
     * @return true when granted.
     */
    public boolean granted() {
        return intAt(VOTE_GRANTED_OFFSET) == TRUE;
    }

    @Override
    protected void appendBody(final StringBuilder builder) {
        super.appendBody(builder);
        builder.append(" granted=").append(granted());
    }
}
