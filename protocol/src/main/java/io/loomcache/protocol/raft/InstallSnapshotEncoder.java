package io.loomcache.protocol.raft;

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

/**
 * Flyweight encoder of INSTALL_SNAPSHOT (§7), one chunk per frame, frame header included; layout in
 * {@link RaftMessageDescriptor}, use as {@link RaftMessageEncoder} says, then {@link #chunk} (copies) or
 * {@link #claimChunk} (zero-copy); an empty chunk needs neither. The caller makes sure the buffer has room
 * ({@code INSTALL_SNAPSHOT_HEADER_LENGTH + chunkLength}).
 */
public final class InstallSnapshotEncoder extends RaftMessageEncoder<InstallSnapshotEncoder> {
    /**
     * Creates an encoder; {@link #wrap} starts each frame.
     */
    public InstallSnapshotEncoder() {
        super(Opcodes.INSTALL_SNAPSHOT, SNAPSHOT_CHUNK_DATA_OFFSET);
    }

    /**
     * Writes the last log index the snapshot replaces.
     *
     * @param lastIncludedIndex the value.
     * @return this.
     */
    public InstallSnapshotEncoder lastIncludedIndex(final long lastIncludedIndex) {
        return putLong(SNAPSHOT_LAST_INCLUDED_INDEX_OFFSET, lastIncludedIndex);
    }

    /**
     * Writes the term of the last included entry.
     *
     * @param lastIncludedTerm the value.
     * @return this.
     */
    public InstallSnapshotEncoder lastIncludedTerm(final long lastIncludedTerm) {
        return putLong(SNAPSHOT_LAST_INCLUDED_TERM_OFFSET, lastIncludedTerm);
    }

    /**
     * Writes the whole snapshot's length in bytes, not negative.
     *
     * @param totalLength the value.
     * @return this.
     */
    public InstallSnapshotEncoder totalLength(final long totalLength) {
        return putLong(SNAPSHOT_TOTAL_LENGTH_OFFSET, totalLength);
    }

    /**
     * Writes the chunk's byte position in the snapshot, not negative.
     *
     * @param chunkOffset the value.
     * @return this.
     */
    public InstallSnapshotEncoder chunkOffset(final long chunkOffset) {
        return putLong(SNAPSHOT_CHUNK_OFFSET_OFFSET, chunkOffset);
    }

    /**
     * Writes the request sequence number the response will echo.
     *
     * @param seq the value.
     * @return this.
     */
    public InstallSnapshotEncoder seq(final long seq) {
        return putLong(SNAPSHOT_SEQ_OFFSET, seq);
    }

    /**
     * Writes whether this is the last chunk.
     *
     * @param done the value.
     * @return this.
     */
    public InstallSnapshotEncoder done(final boolean done) {
        return putBoolean(SNAPSHOT_DONE_OFFSET, done);
    }

    /**
     * Writes the chunk length and returns where the caller writes the chunk bytes (zero-copy); the frame is then
     * complete and {@code INSTALL_SNAPSHOT_HEADER_LENGTH + chunkLength} bytes long.
     *
     * @param chunkLength the chunk length in bytes.
     * @return the absolute index in the buffer where the caller writes exactly {@code chunkLength} bytes.
     * @throws IllegalArgumentException when chunkLength is negative (a programming error).
     */
    public int claimChunk(final int chunkLength) {
        if (chunkLength < 0) {
            throw new IllegalArgumentException("negative chunk length");
        }
        putInt(SNAPSHOT_CHUNK_LENGTH_OFFSET, chunkLength);
        bodyLength(SNAPSHOT_CHUNK_DATA_OFFSET + chunkLength);
        return bodyIndex() + SNAPSHOT_CHUNK_DATA_OFFSET;
    }

    /**
     * Writes the chunk, copying it.
     *
     * @param src the buffer holding the chunk.
     * @param srcOffset the index of the chunk's first byte in {@code src}.
     * @param length the chunk length in bytes.
     * @return this.
     * @throws IllegalArgumentException when length is negative (a programming error).
     */
    public InstallSnapshotEncoder chunk(final DirectBuffer src, final int srcOffset, final int length) {
        buffer().putBytes(claimChunk(length), src, srcOffset, length);
        return this;
    }
}
