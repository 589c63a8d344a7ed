package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.INSTALL_SNAPSHOT_RESPONSE_BODY_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_RESPONSE_LAST_INCLUDED_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_RESPONSE_NEXT_OFFSET_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_RESPONSE_SEQ_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_RESPONSE_SUCCESS_OFFSET;

import io.loomcache.protocol.Opcodes;

/**
 * Flyweight encoder of INSTALL_SNAPSHOT_RESPONSE, frame header included; layout in {@link RaftMessageDescriptor},
 * use as {@link RaftMessageEncoder} says.
 */
public final class InstallSnapshotResponseEncoder extends RaftMessageEncoder<InstallSnapshotResponseEncoder> {
    /**
     * Creates an encoder; {@link #wrap} starts each frame.
     */
    public InstallSnapshotResponseEncoder() {
        super(Opcodes.INSTALL_SNAPSHOT_RESPONSE, INSTALL_SNAPSHOT_RESPONSE_BODY_LENGTH);
    }

    /**
     * Writes the last included index of the snapshot answered.
     *
     * @param lastIncludedIndex the value.
     * @return this.
     */
    public InstallSnapshotResponseEncoder lastIncludedIndex(final long lastIncludedIndex) {
        return putLong(SNAPSHOT_RESPONSE_LAST_INCLUDED_INDEX_OFFSET, lastIncludedIndex);
    }

    /**
     * Writes the next snapshot byte the follower expects.
     *
     * @param nextOffset the value.
     * @return this.
     */
    public InstallSnapshotResponseEncoder nextOffset(final long nextOffset) {
        return putLong(SNAPSHOT_RESPONSE_NEXT_OFFSET_OFFSET, nextOffset);
    }

    /**
     * Writes the sequence number of the request answered.
     *
     * @param seq the value.
     * @return this.
     */
    public InstallSnapshotResponseEncoder seq(final long seq) {
        return putLong(SNAPSHOT_RESPONSE_SEQ_OFFSET, seq);
    }

    /**
     * Writes whether the chunk was accepted.
     *
     * @param success the value.
     * @return this.
     */
    public InstallSnapshotResponseEncoder success(final boolean success) {
        return putBoolean(SNAPSHOT_RESPONSE_SUCCESS_OFFSET, success);
    }
}
