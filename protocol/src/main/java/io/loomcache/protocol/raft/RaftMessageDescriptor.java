package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;

import io.loomcache.protocol.Opcodes;
import org.agrona.DirectBuffer;

/**
 * Body layouts of the Raft RPCs; every offset is relative to the body (frame offset + {@code HEADER_LENGTH}) unless
 * its name says "frame". All fields are little-endian ({@code FrameHeaderDescriptor.BYTE_ORDER}); booleans are
 * int32 0 or 1. Every body starts with the same 16-byte prefix:
 * <pre>
 *  0        4         8                16
 * +--------+---------+-----------------+
 * |groupId |senderId |   term (int64)  |               prefix, every message (TIMEOUT_NOW is only this)
 * +--------+---------+-----------------+
 *
 * VOTE_REQUEST / PRE_VOTE_REQUEST (body 36)
 * | prefix 0..16 | lastLogIndex i64 @16 | lastLogTerm i64 @24 | flags i32 @32 |
 * VOTE_RESPONSE / PRE_VOTE_RESPONSE (body 20)
 * | prefix 0..16 | granted i32 @16 |
 * APPEND_ENTRIES (body 52 + sum(16 + length))
 * | prefix | prevLogIndex i64 @16 | prevLogTerm i64 @24 | leaderCommit i64 @32 | seq i64 @40 | entryCount i32 @48 |
 * | entry 0 | entry 1 | ... packed back to back, each:
 *   | term i64 @0 | type i32 @8 | length i32 @12 | payload[length] @16 |
 * APPEND_ENTRIES_RESPONSE (body 44)
 * | prefix | matchIndex i64 @16 | lastLogIndex i64 @24 | seq i64 @32 | success i32 @40 |
 * INSTALL_SNAPSHOT (body 64 + chunkLength)
 * | prefix | lastIncludedIndex i64 @16 | lastIncludedTerm i64 @24 | totalLength i64 @32 | chunkOffset i64 @40 |
 * | seq i64 @48 | done i32 @56 | chunkLength i32 @60 | chunk[chunkLength] @64 |
 * INSTALL_SNAPSHOT_RESPONSE (body 44)
 * | prefix | lastIncludedIndex i64 @16 | nextOffset i64 @24 | seq i64 @32 | success i32 @40 |
 * </pre>
 * Entry i of an APPEND_ENTRIES has log index prevLogIndex + 1 + i, which is not on the wire.
 */
public final class RaftMessageDescriptor {
    /** Offset of the Raft group id (int32) in every Raft body, for routing without a decoder. */
    public static final int GROUP_ID_OFFSET = 0;
    /** Size in bytes of the group id. */
    public static final int GROUP_ID_LENGTH = Integer.BYTES;
    /** Offset of the sender's node id (int32). */
    public static final int SENDER_ID_OFFSET = GROUP_ID_OFFSET + GROUP_ID_LENGTH;
    /** Size in bytes of the sender id. */
    public static final int SENDER_ID_LENGTH = Integer.BYTES;
    /** Offset of the sender's current term (int64). */
    public static final int TERM_OFFSET = SENDER_ID_OFFSET + SENDER_ID_LENGTH;
    /** Size in bytes of the term. */
    public static final int TERM_LENGTH = Long.BYTES;
    /** Length of the prefix every Raft body starts with. */
    public static final int PREFIX_LENGTH = TERM_OFFSET + TERM_LENGTH;

    /** Value of an int32 boolean field that is false. */
    public static final int FALSE = 0;
    /** Value of an int32 boolean field that is true. */
    public static final int TRUE = 1;

    /** Vote request flag: the election follows a TIMEOUT_NOW (leadership transfer), so ignore the leader lease. */
    public static final int FLAG_LEADERSHIP_TRANSFER = 1;
    /** Every vote request flag defined in this version; a request with another bit set is malformed. */
    public static final int KNOWN_VOTE_FLAGS = FLAG_LEADERSHIP_TRANSFER;

    /** VOTE_REQUEST: offset of the candidate's last log index (int64). */
    public static final int VOTE_LAST_LOG_INDEX_OFFSET = PREFIX_LENGTH;
    /** VOTE_REQUEST: offset of the candidate's last log term (int64). */
    public static final int VOTE_LAST_LOG_TERM_OFFSET = VOTE_LAST_LOG_INDEX_OFFSET + Long.BYTES;
    /** VOTE_REQUEST: offset of the flags (int32, {@code FLAG_*} bits). */
    public static final int VOTE_FLAGS_OFFSET = VOTE_LAST_LOG_TERM_OFFSET + Long.BYTES;
    /** Body length of VOTE_REQUEST and PRE_VOTE_REQUEST. */
    public static final int VOTE_REQUEST_BODY_LENGTH = VOTE_FLAGS_OFFSET + Integer.BYTES;

    /** VOTE_RESPONSE: offset of granted (int32 boolean). */
    public static final int VOTE_GRANTED_OFFSET = PREFIX_LENGTH;
    /** Body length of VOTE_RESPONSE and PRE_VOTE_RESPONSE. */
    public static final int VOTE_RESPONSE_BODY_LENGTH = VOTE_GRANTED_OFFSET + Integer.BYTES;

    /** APPEND_ENTRIES: offset of the index of the entry just before the first one carried (int64). */
    public static final int APPEND_PREV_LOG_INDEX_OFFSET = PREFIX_LENGTH;
    /** APPEND_ENTRIES: offset of the term of the entry at prevLogIndex (int64). */
    public static final int APPEND_PREV_LOG_TERM_OFFSET = APPEND_PREV_LOG_INDEX_OFFSET + Long.BYTES;
    /** APPEND_ENTRIES: offset of the leader's commit index (int64). */
    public static final int APPEND_LEADER_COMMIT_OFFSET = APPEND_PREV_LOG_TERM_OFFSET + Long.BYTES;
    /** APPEND_ENTRIES: offset of the request sequence number the response echoes (int64). */
    public static final int APPEND_SEQ_OFFSET = APPEND_LEADER_COMMIT_OFFSET + Long.BYTES;
    /** APPEND_ENTRIES: offset of the number of entries that follow (int32, never negative). */
    public static final int APPEND_ENTRY_COUNT_OFFSET = APPEND_SEQ_OFFSET + Long.BYTES;
    /** APPEND_ENTRIES: body offset of the first entry; also the body length with no entries. */
    public static final int APPEND_ENTRIES_OFFSET = APPEND_ENTRY_COUNT_OFFSET + Integer.BYTES;
    /** Frame bytes before the first APPEND_ENTRIES entry (frame header plus fixed body part). */
    public static final int APPEND_ENTRIES_HEADER_LENGTH = HEADER_LENGTH + APPEND_ENTRIES_OFFSET;

    /** Entry: offset of the entry's term (int64), relative to the entry. */
    public static final int ENTRY_TERM_OFFSET = 0;
    /** Entry: offset of the entry's type (int32), relative to the entry. */
    public static final int ENTRY_TYPE_OFFSET = ENTRY_TERM_OFFSET + Long.BYTES;
    /** Entry: offset of the payload length (int32, never negative), relative to the entry. */
    public static final int ENTRY_LENGTH_OFFSET = ENTRY_TYPE_OFFSET + Integer.BYTES;
    /** Entry: offset of the payload, relative to the entry; also the entry header length. */
    public static final int ENTRY_PAYLOAD_OFFSET = ENTRY_LENGTH_OFFSET + Integer.BYTES;
    /** Bytes of an entry before its payload. */
    public static final int ENTRY_HEADER_LENGTH = ENTRY_PAYLOAD_OFFSET;

    /** APPEND_ENTRIES_RESPONSE: offset of the follower's match index (int64). */
    public static final int APPEND_RESPONSE_MATCH_INDEX_OFFSET = PREFIX_LENGTH;
    /** APPEND_ENTRIES_RESPONSE: offset of the follower's last log index (int64). */
    public static final int APPEND_RESPONSE_LAST_LOG_INDEX_OFFSET = APPEND_RESPONSE_MATCH_INDEX_OFFSET + Long.BYTES;
    /** APPEND_ENTRIES_RESPONSE: offset of the echoed request sequence number (int64). */
    public static final int APPEND_RESPONSE_SEQ_OFFSET = APPEND_RESPONSE_LAST_LOG_INDEX_OFFSET + Long.BYTES;
    /** APPEND_ENTRIES_RESPONSE: offset of success (int32 boolean). */
    public static final int APPEND_RESPONSE_SUCCESS_OFFSET = APPEND_RESPONSE_SEQ_OFFSET + Long.BYTES;
    /** Body length of APPEND_ENTRIES_RESPONSE. */
    public static final int APPEND_ENTRIES_RESPONSE_BODY_LENGTH = APPEND_RESPONSE_SUCCESS_OFFSET + Integer.BYTES;

    /** INSTALL_SNAPSHOT: offset of the last log index the snapshot covers (int64). */
    public static final int SNAPSHOT_LAST_INCLUDED_INDEX_OFFSET = PREFIX_LENGTH;
    /** INSTALL_SNAPSHOT: offset of the term of the last included entry (int64). */
    public static final int SNAPSHOT_LAST_INCLUDED_TERM_OFFSET = SNAPSHOT_LAST_INCLUDED_INDEX_OFFSET + Long.BYTES;
    /** INSTALL_SNAPSHOT: offset of the whole snapshot's length in bytes (int64, never negative). */
    public static final int SNAPSHOT_TOTAL_LENGTH_OFFSET = SNAPSHOT_LAST_INCLUDED_TERM_OFFSET + Long.BYTES;
    /** INSTALL_SNAPSHOT: offset of the chunk's byte position in the snapshot (int64, never negative). */
    public static final int SNAPSHOT_CHUNK_OFFSET_OFFSET = SNAPSHOT_TOTAL_LENGTH_OFFSET + Long.BYTES;
    /** INSTALL_SNAPSHOT: offset of the request sequence number the response echoes (int64). */
    public static final int SNAPSHOT_SEQ_OFFSET = SNAPSHOT_CHUNK_OFFSET_OFFSET + Long.BYTES;
    /** INSTALL_SNAPSHOT: offset of done (int32 boolean, true on the last chunk). */
    public static final int SNAPSHOT_DONE_OFFSET = SNAPSHOT_SEQ_OFFSET + Long.BYTES;
    /** INSTALL_SNAPSHOT: offset of the chunk length (int32, never negative). */
    public static final int SNAPSHOT_CHUNK_LENGTH_OFFSET = SNAPSHOT_DONE_OFFSET + Integer.BYTES;
    /** INSTALL_SNAPSHOT: offset of the chunk bytes; also the body length of an empty chunk. */
    public static final int SNAPSHOT_CHUNK_DATA_OFFSET = SNAPSHOT_CHUNK_LENGTH_OFFSET + Integer.BYTES;
    /** Frame bytes before the INSTALL_SNAPSHOT chunk (frame header plus fixed body part). */
    public static final int INSTALL_SNAPSHOT_HEADER_LENGTH = HEADER_LENGTH + SNAPSHOT_CHUNK_DATA_OFFSET;

    /** INSTALL_SNAPSHOT_RESPONSE: offset of the echoed last included index (int64). */
    public static final int SNAPSHOT_RESPONSE_LAST_INCLUDED_INDEX_OFFSET = PREFIX_LENGTH;
    /** INSTALL_SNAPSHOT_RESPONSE: offset of the next snapshot byte the follower expects (int64). */
    public static final int SNAPSHOT_RESPONSE_NEXT_OFFSET_OFFSET =
        SNAPSHOT_RESPONSE_LAST_INCLUDED_INDEX_OFFSET + Long.BYTES;
    /** INSTALL_SNAPSHOT_RESPONSE: offset of the echoed request sequence number (int64). */
    public static final int SNAPSHOT_RESPONSE_SEQ_OFFSET = SNAPSHOT_RESPONSE_NEXT_OFFSET_OFFSET + Long.BYTES;
    /** INSTALL_SNAPSHOT_RESPONSE: offset of success (int32 boolean). */
    public static final int SNAPSHOT_RESPONSE_SUCCESS_OFFSET = SNAPSHOT_RESPONSE_SEQ_OFFSET + Long.BYTES;
    /** Body length of INSTALL_SNAPSHOT_RESPONSE. */
    public static final int INSTALL_SNAPSHOT_RESPONSE_BODY_LENGTH = SNAPSHOT_RESPONSE_SUCCESS_OFFSET + Integer.BYTES;

    /** Body length of TIMEOUT_NOW: the prefix only. */
    public static final int TIMEOUT_NOW_BODY_LENGTH = PREFIX_LENGTH;

    private RaftMessageDescriptor() {
    }

    /**
     * Reads the group id of any Raft frame, for routing before decoding. Validates nothing: the caller knows the
     * frame is a Raft message at least {@code HEADER_LENGTH + PREFIX_LENGTH} bytes long.
     *
     * @param buffer the buffer holding the frame.
     * @param frameOffset the index of the frame's header.
     * @return the group id.
     */
    public static int groupId(final DirectBuffer buffer, final int frameOffset) {
        return buffer.getInt(frameOffset + HEADER_LENGTH + GROUP_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * The smallest body a Raft opcode accepts (the exact length for fixed-size messages), for the command table.
     *
     * @param opcode any opcode.
     * @return the minimum body length in bytes, or -1 when the opcode is not a Raft RPC.
     */
    public static int minBodyLength(final int opcode) {
        return switch (opcode) {
            case Opcodes.VOTE_REQUEST, Opcodes.PRE_VOTE_REQUEST -> VOTE_REQUEST_BODY_LENGTH;
            case Opcodes.VOTE_RESPONSE, Opcodes.PRE_VOTE_RESPONSE -> VOTE_RESPONSE_BODY_LENGTH;
            case Opcodes.APPEND_ENTRIES -> APPEND_ENTRIES_OFFSET;
            case Opcodes.APPEND_ENTRIES_RESPONSE -> APPEND_ENTRIES_RESPONSE_BODY_LENGTH;
            case Opcodes.INSTALL_SNAPSHOT -> SNAPSHOT_CHUNK_DATA_OFFSET;
            case Opcodes.INSTALL_SNAPSHOT_RESPONSE -> INSTALL_SNAPSHOT_RESPONSE_BODY_LENGTH;
            case Opcodes.TIMEOUT_NOW -> TIMEOUT_NOW_BODY_LENGTH;
            case Opcodes.PEER_BATCH -> 2 * HEADER_LENGTH;
            default -> -1;
        };
    }

    /**
     * The frame length of an APPEND_ENTRIES, for checking room before encoding.
     *
     * @param entryCount the number of entries.
     * @param payloadBytes the sum of the entries' payload lengths.
     * @return bytes, frame header included (a long: the caller compares it with its maximum frame length).
     */
    public static long appendEntriesFrameLength(final int entryCount, final long payloadBytes) {
        return APPEND_ENTRIES_HEADER_LENGTH + (long)entryCount * ENTRY_HEADER_LENGTH + payloadBytes;
    }

    /**
     * The frame length of an INSTALL_SNAPSHOT carrying a chunk.
     *
     * @param chunkLength the chunk length in bytes.
     * @return bytes, frame header included.
     */
    public static int installSnapshotFrameLength(final int chunkLength) {
        return INSTALL_SNAPSHOT_HEADER_LENGTH + chunkLength;
    }
}
