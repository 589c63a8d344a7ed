package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_FLAGS_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_LAST_LOG_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_LAST_LOG_TERM_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.VOTE_REQUEST_BODY_LENGTH;

import io.loomcache.protocol.Opcodes;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of VOTE_REQUEST and PRE_VOTE_REQUEST (§5.2, §9.6), frame header included; layout in
 * {@link RaftMessageDescriptor}. The caller makes sure the buffer has room. Not thread-safe; allocates nothing.
 */
public final class VoteRequestEncoder {
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Points this encoder at the place where the frame will be written.
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public VoteRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Encodes a whole (pre-)vote request frame.
     *
     * @param opcode {@link Opcodes#VOTE_REQUEST} or {@link Opcodes#PRE_VOTE_REQUEST}.
     * @param groupId the Raft group id.
     * @param senderId the candidate's node id.
     * @param term the candidate's term (the proposed next term for a pre-vote).
     * @param lastLogIndex the candidate's last log index.
     * @param lastLogTerm the term of the candidate's last log entry.
     * @param flags {@code RaftMessageDescriptor.FLAG_*} bits.
     * @return the frame length in bytes.
     * @throws IllegalArgumentException when the opcode is not a vote request (a programming error).
     */
    public int encode(
        final int opcode,
        final int groupId,
        final int senderId,
        final long term,
        final long lastLogIndex,
        final long lastLogTerm,
        final int flags) {
        if (opcode != Opcodes.VOTE_REQUEST && opcode != Opcodes.PRE_VOTE_REQUEST) {
            throw new IllegalArgumentException("not a vote request opcode: " + opcode);
        }
        final int body = RaftFrames.writeHeaderAndPrefix(
            buffer, offset, opcode, VOTE_REQUEST_BODY_LENGTH, groupId, senderId, term);
        buffer.putLong(body + VOTE_LAST_LOG_INDEX_OFFSET, lastLogIndex, BYTE_ORDER);
        buffer.putLong(body + VOTE_LAST_LOG_TERM_OFFSET, lastLogTerm, BYTE_ORDER);
        buffer.putInt(body + VOTE_FLAGS_OFFSET, flags, BYTE_ORDER);
        return HEADER_LENGTH + VOTE_REQUEST_BODY_LENGTH;
    }
}
