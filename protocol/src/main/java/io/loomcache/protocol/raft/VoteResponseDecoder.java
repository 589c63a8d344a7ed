package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.TRUE;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_GRANTED_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_RESPONSE_BODY_LENGTH;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;

/**
 * Flyweight decoder of VOTE_RESPONSE and PRE_VOTE_RESPONSE; layout in {@link RaftMessageDescriptor}. The body must be
 * exactly {@code VOTE_RESPONSE_BODY_LENGTH} bytes with granted 0 or 1. Not thread-safe; allocates nothing.
 */
public final class VoteResponseDecoder extends RaftMessageDecoder {
    @Override
    boolean accepts(final int opcode) {
        return opcode == Opcodes.VOTE_RESPONSE || opcode == Opcodes.PRE_VOTE_RESPONSE;
    }

    @Override
    int validateBody(final int bodyOffset, final int bodyLength) {
        if (bodyLength != VOTE_RESPONSE_BODY_LENGTH || !RaftFrames.isBoolean(intAt(VOTE_GRANTED_OFFSET))) {
            return ErrorCode.MALFORMED_FRAME;
        }
        return ErrorCode.NONE;
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
    void appendBody(final StringBuilder builder) {
        builder.append(" granted=").append(granted());
    }
}
