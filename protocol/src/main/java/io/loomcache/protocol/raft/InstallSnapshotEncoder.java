package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_CHUNK_DATA_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_CHUNK_LENGTH_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_CHUNK_OFFSET_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_DONE_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_LAST_INCLUDED_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_LAST_INCLUDED_TERM_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_SEQ_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_TOTAL_LENGTH_OFFSET;

import io.loomcache.protocol.Opcodes;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight encoder of INSTALL_SNAPSHOT (§7), one chunk per frame, frame header included; layout in
 * {@link RaftMessageDescriptor}. {@link #encode} copies the chunk; {@link #claim} writes everything else and returns
 * where the caller writes the chunk (zero-copy). The caller makes sure the buffer has room
 * ({@code INSTALL_SNAPSHOT_HEADER_LENGTH + chunkLength}). Not thread-safe; allocates nothing.
 */
public final class InstallSnapshotEncoder {
    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Points this encoder at the place where the frame will be written.
     *
     * @param buffer the destination buffer.
     * @param offset the index of the frame's first byte.
     * @return this.
     */
    public InstallSnapshotEncoder wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Encodes a whole INSTALL_SNAPSHOT frame, copying the chunk.
     *
     * @param groupId the Raft group id.
     * @param senderId the leader's node id.
     * @param term the leader's term.
     * @param lastIncludedIndex the last log index the snapshot replaces.
     * @param lastIncludedTerm the term of that entry.
     * @param totalLength the whole snapshot's length in bytes, not negative.
     * @param chunkOffset the chunk's byte position in the snapshot, not negative.
     * @param seq the request sequence number the response will echo.
     * @param done whether this is the last chunk.
     * @param chunk the buffer holding the chunk.
     * @param chunkOffsetInBuffer the index of the chunk's first byte in {@code chunk}.
     * @param chunkLength the chunk length in bytes.
     * @return the frame length in bytes.
     * @throws IllegalArgumentException when chunkLength is negative (a programming error).
     */
    public int encode(
        final int groupId,
        final int senderId,
        final long term,
        final long lastIncludedIndex,
        final long lastIncludedTerm,
        final long totalLength,
        final long chunkOffset,
        final long seq,
        final boolean done,
        final DirectBuffer chunk,
        final int chunkOffsetInBuffer,
        final int chunkLength) {
        final int data = claim(groupId, senderId, term, lastIncludedIndex, lastIncludedTerm, totalLength,
            chunkOffset, seq, done, chunkLength);
        buffer.putBytes(data, chunk, chunkOffsetInBuffer, chunkLength);
        return HEADER_LENGTH + SNAPSHOT_CHUNK_DATA_OFFSET + chunkLength;
    }

    /**
     * Writes a whole INSTALL_SNAPSHOT frame except the chunk bytes, which the caller writes at the returned index;
     * the frame is then complete and {@code INSTALL_SNAPSHOT_HEADER_LENGTH + chunkLength} bytes long.
     *
     * @param groupId the Raft group id.
     * @param senderId the leader's node id.
     * @param term the leader's term.
     * @param lastIncludedIndex the last log index the snapshot replaces.
     * @param lastIncludedTerm the term of that entry.
     * @param totalLength the whole snapshot's length in bytes, not negative.
     * @param chunkOffset the chunk's byte position in the snapshot, not negative.
     * @param seq the request sequence number the response will echo.
     * @param done whether this is the last chunk.
     * @param chunkLength the chunk length in bytes.
     * @return the absolute index in the buffer where the caller writes exactly {@code chunkLength} bytes.
     * @throws IllegalArgumentException when chunkLength is negative (a programming error).
     */
    public int claim(
        final int groupId,
        final int senderId,
        final long term,
        final long lastIncludedIndex,
        final long lastIncludedTerm,
        final long totalLength,
        final long chunkOffset,
        final long seq,
        final boolean done,
        final int chunkLength) {
        if (chunkLength < 0) {
            throw new IllegalArgumentException("negative chunk length");
        }
        final int body = RaftFrames.writeHeaderAndPrefix(buffer, offset, Opcodes.INSTALL_SNAPSHOT,
            SNAPSHOT_CHUNK_DATA_OFFSET + chunkLength, groupId, senderId, term);
        buffer.putLong(body + SNAPSHOT_LAST_INCLUDED_INDEX_OFFSET, lastIncludedIndex, BYTE_ORDER);
        buffer.putLong(body + SNAPSHOT_LAST_INCLUDED_TERM_OFFSET, lastIncludedTerm, BYTE_ORDER);
        buffer.putLong(body + SNAPSHOT_TOTAL_LENGTH_OFFSET, totalLength, BYTE_ORDER);
        buffer.putLong(body + SNAPSHOT_CHUNK_OFFSET_OFFSET, chunkOffset, BYTE_ORDER);
        buffer.putLong(body + SNAPSHOT_SEQ_OFFSET, seq, BYTE_ORDER);
        buffer.putInt(body + SNAPSHOT_DONE_OFFSET, RaftFrames.toInt(done), BYTE_ORDER);
        buffer.putInt(body + SNAPSHOT_CHUNK_LENGTH_OFFSET, chunkLength, BYTE_ORDER);
        return body + SNAPSHOT_CHUNK_DATA_OFFSET;
    }
}
