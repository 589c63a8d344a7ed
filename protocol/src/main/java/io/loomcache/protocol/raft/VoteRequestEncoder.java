package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_FLAGS_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_LAST_LOG_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_LAST_LOG_TERM_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_REQUEST_BODY_LENGTH;

import io.loomcache.protocol.Opcodes;

/**
 * Flyweight encoder of VOTE_REQUEST and PRE_VOTE_REQUEST (§5.2, §9.6), frame header included; layout in
 * {@link RaftMessageDescriptor}, use as {@link RaftMessageEncoder} says.
 */
public final class VoteRequestEncoder extends RaftMessageEncoder<VoteRequestEncoder> {
    /**
     * Creates an encoder; {@link #wrap} starts each frame.
     */
    public VoteRequestEncoder() {
        super(Opcodes.VOTE_REQUEST, VOTE_REQUEST_BODY_LENGTH);
    }

    /**
     * Chooses a real vote or a pre-vote; VOTE_REQUEST unless set.
     *
     * @param opcode {@link Opcodes#VOTE_REQUEST} or {@link Opcodes#PRE_VOTE_REQUEST}.
     * @return this.
     * @throws IllegalArgumentException when the opcode is not a vote request (a programming error).
     */
    @Override
    public VoteRequestEncoder opcode(final int opcode) {
        if (opcode != Opcodes.VOTE_REQUEST && opcode != Opcodes.PRE_VOTE_REQUEST) {
            throw new IllegalArgumentException("not a vote request opcode: " + opcode);
        }
        return super.opcode(opcode);
    }

    /**
     * Writes the candidate's last log index (§5.4.1).
     *
     * @param lastLogIndex the value.
     * @return this.
     */
    public VoteRequestEncoder lastLogIndex(final long lastLogIndex) {
        return putLong(VOTE_LAST_LOG_INDEX_OFFSET, lastLogIndex);
    }

    /**
     * Writes the term of the candidate's last log entry (§5.4.1).
     *
     * @param lastLogTerm the value.
     * @return this.
     */
    public VoteRequestEncoder lastLogTerm(final long lastLogTerm) {
        return putLong(VOTE_LAST_LOG_TERM_OFFSET, lastLogTerm);
    }

    /**
     * Writes the vote request flags ({@code RaftMessageDescriptor.FLAG_*} bits).
     *
     * @param voteFlags the value.
     * @return this.
     */
    public VoteRequestEncoder voteFlags(final int voteFlags) {
        return putInt(VOTE_FLAGS_OFFSET, voteFlags);
    }
}
