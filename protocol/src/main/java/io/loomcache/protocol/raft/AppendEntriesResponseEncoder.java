package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_ENTRIES_RESPONSE_BODY_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_RESPONSE_LAST_LOG_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_RESPONSE_MATCH_INDEX_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_RESPONSE_SEQ_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_RESPONSE_SUCCESS_OFFSET;

import io.loomcache.protocol.Opcodes;

/**
 * Flyweight encoder of APPEND_ENTRIES_RESPONSE, frame header included; layout in {@link RaftMessageDescriptor},
 * use as {@link RaftMessageEncoder} says.
 */
public final class AppendEntriesResponseEncoder extends RaftMessageEncoder<AppendEntriesResponseEncoder> {
    /**
     * Creates an encoder; {@link #wrap} starts each frame.
     */
    public AppendEntriesResponseEncoder() {
        super(Opcodes.APPEND_ENTRIES_RESPONSE, APPEND_ENTRIES_RESPONSE_BODY_LENGTH);
    }

    /**
     * Writes the highest index known to match the leader's log.
     *
     * @param matchIndex the value.
     * @return this.
     */
    public AppendEntriesResponseEncoder matchIndex(final long matchIndex) {
        return putLong(APPEND_RESPONSE_MATCH_INDEX_OFFSET, matchIndex);
    }

    /**
     * Writes the follower's last log index.
     *
     * @param lastLogIndex the value.
     * @return this.
     */
    public AppendEntriesResponseEncoder lastLogIndex(final long lastLogIndex) {
        return putLong(APPEND_RESPONSE_LAST_LOG_INDEX_OFFSET, lastLogIndex);
    }

    /**
     * Writes the sequence number of the request answered.
     *
     * @param seq the value.
     * @return this.
     */
    public AppendEntriesResponseEncoder seq(final long seq) {
        return putLong(APPEND_RESPONSE_SEQ_OFFSET, seq);
    }

    /**
     * Writes whether the consistency check passed (§5.3).
     *
     * @param success the value.
     * @return this.
     */
    public AppendEntriesResponseEncoder success(final boolean success) {
        return putBoolean(APPEND_RESPONSE_SUCCESS_OFFSET, success);
    }
}
