package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_GRANTED_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_RESPONSE_BODY_LENGTH;

import io.loomcache.protocol.Opcodes;

/**
 * Flyweight encoder of VOTE_RESPONSE and PRE_VOTE_RESPONSE, frame header included; layout in
 * {@link RaftMessageDescriptor}, use as {@link RaftMessageEncoder} says.
 */
public final class VoteResponseEncoder extends RaftMessageEncoder<VoteResponseEncoder> {
    /**
     * Creates an encoder; {@link #wrap} starts each frame.
     */
    public VoteResponseEncoder() {
        super(Opcodes.VOTE_RESPONSE, VOTE_RESPONSE_BODY_LENGTH);
    }

    /**
     * Chooses a vote or a pre-vote response; VOTE_RESPONSE unless set.
     *
     * @param opcode {@link Opcodes#VOTE_RESPONSE} or {@link Opcodes#PRE_VOTE_RESPONSE}.
     * @return this.
     * @throws IllegalArgumentException when the opcode is not a vote response (a programming error).
     */
    @Override
    public VoteResponseEncoder opcode(final int opcode) {
        if (opcode != Opcodes.VOTE_RESPONSE && opcode != Opcodes.PRE_VOTE_RESPONSE) {
            throw new IllegalArgumentException("not a vote response opcode: " + opcode);
        }
        return super.opcode(opcode);
    }

    /**
     * Writes whether the (pre-)vote is granted.
     *
     * @param granted the value.
     * @return this.
     */
    public VoteResponseEncoder granted(final boolean granted) {
        return putBoolean(VOTE_GRANTED_OFFSET, granted);
    }
}
