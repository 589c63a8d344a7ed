package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_CHUNK_DATA_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_CHUNK_LENGTH_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_CHUNK_OFFSET_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_DONE_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_LAST_INCLUDED_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_LAST_INCLUDED_TERM_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_SEQ_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_TOTAL_LENGTH_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.TRUE;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;

/**
 * Flyweight decoder of INSTALL_SNAPSHOT (§7), one chunk of a snapshot; layout in {@link RaftMessageDescriptor}.
 * {@link #wrap} checks that chunkLength is non-negative and the chunk ends inside the frame, that
 * totalLength and chunkOffset are non-negative and done is 0 or 1. The chunk stays in the buffer as an
 * (offset, length) view. Not thread-safe; allocates nothing.
 */
public final class InstallSnapshotDecoder extends RaftMessageDecoder {
    @Override
    protected boolean accepts(final int opcode) {
        return opcode == Opcodes.INSTALL_SNAPSHOT;
    }

    @Override
    int validateBody(final int bodyOffset, final int bodyLength) {
        final int chunkLength = intAt(SNAPSHOT_CHUNK_LENGTH_OFFSET);
        if (chunkLength < 0 || chunkLength > bodyLength - SNAPSHOT_CHUNK_DATA_OFFSET
            || totalLength() < 0 || chunkOffset() < 0 || !RaftFrames.isBoolean(intAt(SNAPSHOT_DONE_OFFSET))) {
            return -ErrorCode.MALFORMED_FRAME;
        }
        return bodyOffset + SNAPSHOT_CHUNK_DATA_OFFSET + chunkLength;
    }

    /**
     * The last log index the snapshot replaces.
     *
     * @return lastIncludedIndex.
     */
    public long lastIncludedIndex() {
        return longAt(SNAPSHOT_LAST_INCLUDED_INDEX_OFFSET);
    }

    /**
     * The term of the last included entry.
     *
     * @return lastIncludedTerm.
     */
    public long lastIncludedTerm() {
        return longAt(SNAPSHOT_LAST_INCLUDED_TERM_OFFSET);
    }

    /**
     * The whole snapshot's length.
     *
     * @return bytes, never negative.
     */
    public long totalLength() {
        return longAt(SNAPSHOT_TOTAL_LENGTH_OFFSET);
    }

    /**
     * Where this chunk goes in the snapshot.
     *
     * @return the byte position of the chunk's first byte, never negative.
     */
    public long chunkOffset() {
        return longAt(SNAPSHOT_CHUNK_OFFSET_OFFSET);
    }

    /**
     * The request sequence number the response echoes.
     *
     * @return seq.
     */
    public long seq() {
        return longAt(SNAPSHOT_SEQ_OFFSET);
    }

    /**
     * Whether this is the snapshot's last chunk.
     *
     * @return true on the last chunk.
     */
    public boolean done() {
        return intAt(SNAPSHOT_DONE_OFFSET) == TRUE;
    }

    /**
     * The chunk length.
     *
     * @return bytes, never negative.
     */
    public int chunkLength() {
        return intAt(SNAPSHOT_CHUNK_LENGTH_OFFSET);
    }

    /**
     * Where the chunk starts in {@link #buffer()}.
     *
     * @return the absolute index of the chunk's first byte.
     */
    public int chunkPayloadOffset() {
        return bodyOffset() + SNAPSHOT_CHUNK_DATA_OFFSET;
    }

    @Override
    protected void appendBody(final StringBuilder builder) {
        super.appendBody(builder);
        builder.append(" lastIncludedIndex=").append(lastIncludedIndex()).append(" lastIncludedTerm=")
            .append(lastIncludedTerm()).append(" totalLength=").append(totalLength()).append(" chunkOffset=")
            .append(chunkOffset()).append(" seq=").append(seq()).append(" done=").append(done())
            .append(" chunkLength=").append(chunkLength());
    }
}
