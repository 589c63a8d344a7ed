package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.INSTALL_SNAPSHOT_RESPONSE_BODY_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_RESPONSE_LAST_INCLUDED_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_RESPONSE_NEXT_OFFSET_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_RESPONSE_SEQ_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_RESPONSE_SUCCESS_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.TRUE;

import io.loomcache.protocol.Opcodes;

/**
 * Flyweight decoder of INSTALL_SNAPSHOT_RESPONSE; layout in {@link RaftMessageDescriptor}. Success must be 0 or 1. Not
 * thread-safe; allocates nothing.
 */
public final class InstallSnapshotResponseDecoder extends RaftMessageDecoder {
    @Override
    protected boolean accepts(final int opcode) {
        return opcode == Opcodes.INSTALL_SNAPSHOT_RESPONSE;
    }

    @Override
    int validateBody(final int bodyOffset, final int bodyLength) {
        return fixedBody(INSTALL_SNAPSHOT_RESPONSE_BODY_LENGTH, SNAPSHOT_RESPONSE_SUCCESS_OFFSET);
    }

    /**
     * The last included index of the snapshot this answers.
     *
     * @return the echoed index.
     */
    public long lastIncludedIndex() {
        return longAt(SNAPSHOT_RESPONSE_LAST_INCLUDED_INDEX_OFFSET);
    }

    /**
     * The next snapshot byte the follower expects, where the leader resumes sending.
     *
     * @return the byte position in the snapshot.
     */
    public long nextOffset() {
        return longAt(SNAPSHOT_RESPONSE_NEXT_OFFSET_OFFSET);
    }

    /**
     * The sequence number of the INSTALL_SNAPSHOT this answers.
     *
     * @return the echoed sequence number.
     */
    public long seq() {
        return longAt(SNAPSHOT_RESPONSE_SEQ_OFFSET);
    }

    /**
     * Whether the follower accepted the chunk.
     *
     * @return true on success.
     */
    public boolean success() {
        return intAt(SNAPSHOT_RESPONSE_SUCCESS_OFFSET) == TRUE;
    }

    @Override
    protected void appendBody(final StringBuilder builder) {
        super.appendBody(builder);
        builder.append(" lastIncludedIndex=").append(lastIncludedIndex()).append(" nextOffset=").append(nextOffset())
            .append(" seq=").append(seq()).append(" success=").append(success());
    }
}
