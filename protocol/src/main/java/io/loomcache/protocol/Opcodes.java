package io.loomcache.protocol;

/**
 * Opcode registry: {@code int} constants sent as uint16. The high byte is the {@link OpcodeCategory} code, the low
 * byte numbers the opcode inside it (0x00 is never used), so {@code opcode >> 8} gives the category. Numbers are part
 * of the wire format and are never reused. Bodies follow the descriptors named below; "structure id" is an int32
 * naming a map, queue, set or topic. Per-entry TTL is an int64 {@code ttlMs} field on MAP_PUT, MAP_PUT_IF_ABSENT,
 * MAP_GET_AND_PUT and MAP_PUT_IF_PRESENT (0 = no TTL), so there is no separate put-with-TTL opcode; MAP_INCREMENT
 * and MAP_SET_RANGE carry their int64 argument (delta, offset) in the same slot. A missing value is answered by
 * {@link #RESPONSE_NOT_FOUND}, a distinct opcode.
 */
public final class Opcodes {
    /** Handshake, first frame of a connection: min/max version and client name ({@link HelloDescriptor}). */
    public static final int HELLO = 0x0101;
    /** Answer to HELLO: negotiated version, node id, limits ({@link HelloResponseDescriptor}). */
    public static final int HELLO_RESPONSE = 0x0102;
    /** Authentication with credentials; answered by RESPONSE_OK or RESPONSE_ERROR(AUTHENTICATION_FAILED). */
    public static final int AUTH = 0x0103;
    /** Liveness check with an empty body; answered by RESPONSE_OK. */
    public static final int PING = 0x0104;
    /** Subscribes the connection to invalidations of a map for its near cache. */
    public static final int NEAR_CACHE_SUBSCRIBE = 0x0105;
    /** Server push: a near-cached key was changed; a gap is reported by RESPONSE_SEQUENCE_LOST. */
    public static final int NEAR_CACHE_INVALIDATION = 0x0106;
    /** Executes the FLAG_BATCH frames that follow as one batch. */
    public static final int BATCH_EXECUTE = 0x0107;
    /** Runs a SQL query over maps. */
    public static final int SQL_QUERY_EXECUTE = 0x0108;

    /** Map put (ttlMs, key, value; {@link MapRequestDescriptor}); answered by RESPONSE_OK. */
    public static final int MAP_PUT = 0x0201;
    /** Map get (key); answered by RESPONSE_VALUE or RESPONSE_NOT_FOUND. */
    public static final int MAP_GET = 0x0202;
    /** Map remove (key); answered by RESPONSE_BOOLEAN (true if an entry was removed). */
    public static final int MAP_REMOVE = 0x0203;
    /** Map put-if-absent (ttlMs, key, value); answered by RESPONSE_BOOLEAN (true if stored). */
    public static final int MAP_PUT_IF_ABSENT = 0x0204;
    /** Map compare-and-set (key, expected, new value; keeps the TTL); answered by RESPONSE_BOOLEAN. */
    public static final int MAP_REPLACE = 0x0205;
    /** Map contains-key (key); answered by RESPONSE_BOOLEAN. */
    public static final int MAP_CONTAINS_KEY = 0x0206;
    /** Map size (no fields after the map id); answered by RESPONSE_LONG. */
    public static final int MAP_SIZE = 0x0207;
    /** Map clear (no fields after the map id), an ADMIN command; answered by RESPONSE_OK. */
    public static final int MAP_CLEAR = 0x0208;
    /** Map expire (ttlMs, key; 0 removes the TTL); answered by RESPONSE_BOOLEAN (false if absent). */
    public static final int MAP_EXPIRE = 0x0209;
    /** Map remaining TTL (key); answered by RESPONSE_LONG in ms (0 = no TTL) or RESPONSE_NOT_FOUND. */
    public static final int MAP_TTL = 0x020A;
    /**
     * Clear of one Raft group of a cluster (key: any key of the group's partitions; every entry of the group goes,
     * through its log); answered by RESPONSE_OK, an ADMIN command. A single node answers UNSUPPORTED_OPERATION (it
     * clears with MAP_CLEAR); the Java client's clear() sends one per group to a cluster.
     */
    public static final int MAP_CLEAR_GROUP = 0x020B;
    /**
     * Map increment, Redis INCRBY (int64 delta in the TTL slot, any sign; key): a missing key counts as 0 and is
     * created without TTL, the value must be a base-10 int64 as Redis's {@code string2ll} reads it (else
     * NOT_AN_INTEGER), the sum must not overflow (else INTEGER_OVERFLOW), the TTL stays; the new value is stored as
     * decimal ASCII and answered by RESPONSE_LONG.
     */
    public static final int MAP_INCREMENT = 0x020C;
    /**
     * Map append, Redis APPEND (key, value): creates a missing key without TTL, else appends and keeps the TTL; a
     * result longer than the node's maxValueLength is VALUE_TOO_LONG and changes nothing. Answered by RESPONSE_LONG
     * with the new length.
     */
    public static final int MAP_APPEND = 0x020D;
    /**
     * Map get-and-put, Redis GETSET or SET ... GET (ttlMs, key, value): puts as MAP_PUT does and answers the previous
     * value by RESPONSE_VALUE, or RESPONSE_NOT_FOUND when there was none.
     */
    public static final int MAP_GET_AND_PUT = 0x020E;
    /** Map get-and-remove, Redis GETDEL (key); answered by RESPONSE_VALUE with the removed value or NOT_FOUND. */
    public static final int MAP_GET_AND_REMOVE = 0x020F;
    /**
     * Map put-if-present, Redis SET XX (ttlMs, key, value): puts as MAP_PUT does only when the key has a live entry;
     * answered by RESPONSE_BOOLEAN (true if stored).
     */
    public static final int MAP_PUT_IF_PRESENT = 0x0210;
    /**
     * Map persist, Redis PERSIST (key): removes the key's TTL; answered by RESPONSE_BOOLEAN, true only when the key
     * existed and had a TTL.
     */
    public static final int MAP_PERSIST = 0x0211;
    /**
     * Map set-range, Redis SETRANGE (int64 offset in the TTL slot, non-negative; key, value): overwrites from the
     * offset, padding a missing or shorter value with zero bytes, and keeps the TTL; an empty value changes nothing;
     * offset plus value length above maxValueLength is VALUE_TOO_LONG and changes nothing. Answered by RESPONSE_LONG
     * with the new length (0 for an empty value on a missing key).
     */
    public static final int MAP_SET_RANGE = 0x0212;
    /**
     * Map put keeping the TTL, Redis SET KEEPTTL (key, value): puts the value and keeps the live key's TTL (none for
     * a new key); answered by RESPONSE_OK.
     */
    public static final int MAP_PUT_KEEP_TTL = 0x0213;
    /**
     * Map scan, Redis SCAN/KEYS (int64 argument, key = a glob pattern, empty for all): one step of a walk over one
     * executor's store, addressed to that executor, not routed by key; see {@link ScanDescriptor}. Answered by
     * RESPONSE_VALUE holding the cursor to continue from and the keys found.
     */
    public static final int MAP_SCAN = 0x0214;
    /**
     * Map float increment, Redis INCRBYFLOAT (key, value = the increment as text): adds in Redis's long double
     * precision, stores the sum as Redis writes it and keeps the key's TTL; answered by RESPONSE_VALUE with the new
     * text, or NOT_A_FLOAT / NAN_OR_INFINITY.
     */
    public static final int MAP_INCREMENT_FLOAT = 0x0215;
    /**
     * Map random key, Redis RANDOMKEY (int64 argument: the executor as in {@link ScanDescriptor}, random bits in the
     * low 32): a key of that executor's store picked at random, addressed to the executor like MAP_SCAN; answered by
     * RESPONSE_VALUE with the key, or RESPONSE_NOT_FOUND when the store holds none.
     */
    public static final int MAP_RANDOM_KEY = 0x0216;
    /**
     * Map conditional expire, Redis EXPIRE with NX/XX/GT/LT (int64 argument = the new absolute deadline in epoch ms,
     * key, value = one byte of {@link MapRequestDescriptor} {@code EXPIRE_*} condition bits): sets the deadline when
     * the conditions hold (a key without TTL counts as never expiring for GT and LT), removes the key when the
     * deadline has passed; answered by RESPONSE_BOOLEAN, true when the key's deadline was set or the key removed.
     */
    public static final int MAP_EXPIRE_IF = 0x0217;
    /**
     * Map conditional set, Redis SET with GET and NX/XX, or KEEPTTL with XX/GET (int64 argument = the TTL in ms in
     * its low 56 bits and {@link MapRequestDescriptor} {@code SET_IF_*} option bits above, key, value): puts when the
     * condition holds, keeping the key's TTL under KEEPTTL; answered by RESPONSE_VALUE with the previous value (or
     * RESPONSE_NOT_FOUND) under GET, else RESPONSE_BOOLEAN, true when it put.
     */
    public static final int MAP_SET_IF = 0x0218;
    /**
     * Map rename, Redis RENAME/RENAMENX (int64 argument = {@link MapRequestDescriptor#RENAME_NX} or 0, key = the
     * source, value = the new key, both in one Redis Cluster slot): moves the value and its deadline to the new key,
     * replacing what it held (under RENAME_NX only when the new key is missing), in one step on their executor;
     * answered by RESPONSE_BOOLEAN (true when moved, or when both keys are the same key without RENAME_NX),
     * RESPONSE_NOT_FOUND when the source is missing, WRONG_PARTITION when the keys are in different slots.
     */
    public static final int MAP_RENAME = 0x0219;
    /**
     * Map put-all-if-absent, Redis MSETNX (key = the first key, value = every pair packed as {@link
     * MapRequestDescriptor#packedPairsLength}, the first pair included, all in the first key's Redis Cluster slot):
     * puts every pair without TTL only when none of the keys exists, in one step on their executor; answered by
     * RESPONSE_BOOLEAN, true when put; WRONG_PARTITION when a key is in another slot, MALFORMED_FRAME when the pairs
     * do not fill the value exactly.
     */
    public static final int MAP_PUT_ALL_IF_ABSENT = 0x021A;
    /**
     * Map get and expire, Redis GETEX with an option (int64 argument = the new absolute deadline in ms since the
     * epoch, 0 to remove the key's TTL as PERSIST does; a deadline already past removes the key; key): answered by
     * RESPONSE_VALUE with the value read before the change, or RESPONSE_NOT_FOUND; one step on the key's executor.
     */
    public static final int MAP_GET_AND_EXPIRE = 0x021B;
    /** Queue offer (structure id, value). */
    public static final int QUEUE_OFFER = 0x0221;
    /** Queue poll (structure id); answered by RESPONSE_VALUE or RESPONSE_NOT_FOUND. */
    public static final int QUEUE_POLL = 0x0222;
    /** Queue peek (structure id); answered by RESPONSE_VALUE or RESPONSE_NOT_FOUND. */
    public static final int QUEUE_PEEK = 0x0223;
    /** Queue size (structure id); answered by RESPONSE_LONG. */
    public static final int QUEUE_SIZE = 0x0224;
    /** Set add (structure id, element); answered by RESPONSE_BOOLEAN. */
    public static final int SET_ADD = 0x0231;
    /** Set remove (structure id, element); answered by RESPONSE_BOOLEAN. */
    public static final int SET_REMOVE = 0x0232;
    /** Set contains (structure id, element); answered by RESPONSE_BOOLEAN. */
    public static final int SET_CONTAINS = 0x0233;
    /** Topic publish (structure id, message). */
    public static final int TOPIC_PUBLISH = 0x0241;
    /** Topic subscribe (structure id); messages arrive as TOPIC_MESSAGE pushes. */
    public static final int TOPIC_SUBSCRIBE = 0x0242;
    /** Topic unsubscribe (structure id). */
    public static final int TOPIC_UNSUBSCRIBE = 0x0243;
    /** Server push: a message published on a subscribed topic. */
    public static final int TOPIC_MESSAGE = 0x0244;

    /** CP atomic long get; answered by RESPONSE_LONG. */
    public static final int CP_ATOMIC_GET = 0x0301;
    /** CP atomic long set. */
    public static final int CP_ATOMIC_SET = 0x0302;
    /** CP atomic long compare-and-set; answered by RESPONSE_BOOLEAN. */
    public static final int CP_ATOMIC_CAS = 0x0303;
    /** CP atomic long increment (add delta); answered by RESPONSE_LONG with the new value. */
    public static final int CP_ATOMIC_INCREMENT = 0x0304;
    /** CP lock acquire (fenced). */
    public static final int CP_LOCK_ACQUIRE = 0x0311;
    /** CP lock release. */
    public static final int CP_LOCK_RELEASE = 0x0312;
    /** CP semaphore acquire. */
    public static final int CP_SEMAPHORE_ACQUIRE = 0x0321;
    /** CP semaphore release. */
    public static final int CP_SEMAPHORE_RELEASE = 0x0322;

    /** A node asks to join the cluster. */
    public static final int CLUSTER_JOIN = 0x0401;
    /** A node leaves the cluster gracefully. */
    public static final int CLUSTER_LEAVE = 0x0402;
    /** Peer heartbeat for failure detection. */
    public static final int CLUSTER_PING = 0x0403;
    /** The versioned partition table (request from a client, or push between peers). */
    public static final int PARTITION_TABLE = 0x0404;
    /**
     * A cluster member opens its link to a peer: the body is the sender's member id (int32) and the fingerprint of
     * the cluster settings members must share (int64). The connection then carries that member's Raft frames, with
     * no responses on it (replies travel on the receiver's own link).
     */
    public static final int PEER_HELLO = 0x0405;
    /**
     * A Redis PUBLISH made on a peer, for this member's subscribers (Redis Cluster sends every message to every
     * node): the body is the channel's length (int32), the channel, then the message. On a peer link only; never
     * answered.
     */
    public static final int PEER_PUBLISH = 0x0406;
    /** Partition migration: start. */
    public static final int PARTITION_MIGRATE_START = 0x0411;
    /** Partition migration: one chunk of entries. */
    public static final int PARTITION_MIGRATE_CHUNK = 0x0412;
    /** Partition migration: complete. */
    public static final int PARTITION_MIGRATE_COMPLETE = 0x0413;

    /** Raft AppendEntries RPC (§5.3), also the heartbeat. */
    public static final int APPEND_ENTRIES = 0x0501;
    /** Raft AppendEntries result. */
    public static final int APPEND_ENTRIES_RESPONSE = 0x0502;
    /** Raft RequestVote RPC (§5.2). */
    public static final int VOTE_REQUEST = 0x0503;
    /** Raft RequestVote result. */
    public static final int VOTE_RESPONSE = 0x0504;
    /** Raft pre-vote request (thesis §9.6). */
    public static final int PRE_VOTE_REQUEST = 0x0505;
    /** Raft pre-vote result. */
    public static final int PRE_VOTE_RESPONSE = 0x0506;
    /** Raft InstallSnapshot RPC (§7). */
    public static final int INSTALL_SNAPSHOT = 0x0507;
    /** Raft InstallSnapshot result. */
    public static final int INSTALL_SNAPSHOT_RESPONSE = 0x0508;
    /** Raft TimeoutNow: leadership transfer (thesis §3.10). */
    public static final int TIMEOUT_NOW = 0x0509;
    /**
     * Raft frames to one member packed in one frame (heartbeats, acknowledgements and votes of many groups): the
     * body is whole Raft frames, headers included, back to back; never nested.
     */
    public static final int PEER_BATCH = 0x050A;

    /** Placeholder: WAN replication batch to a remote cluster. */
    public static final int WAN_REPLICATE = 0x0601;
    /** Placeholder: submit a task to the distributed executor. */
    public static final int EXECUTOR_SUBMIT = 0x0602;

    /** Success without a payload (empty body; {@link ResponseDescriptor}). */
    public static final int RESPONSE_OK = 0x0701;
    /** A value was found (value). */
    public static final int RESPONSE_VALUE = 0x0702;
    /** No value for the key (empty body). */
    public static final int RESPONSE_NOT_FOUND = 0x0703;
    /** A boolean result (uint8 0 or 1). */
    public static final int RESPONSE_BOOLEAN = 0x0704;
    /** A long result such as a size or a TTL (int64). */
    public static final int RESPONSE_LONG = 0x0705;
    /** The request failed (int32 {@link ErrorCode}, message bytes). */
    public static final int RESPONSE_ERROR = 0x0706;
    /** Ask another node (partition table version, partition id, leader node id, leader address). */
    public static final int RESPONSE_REDIRECT = 0x0707;
    /** Not now: the server is above its high watermark (int32 retryAfterMs). */
    public static final int RESPONSE_SERVER_BUSY = 0x0708;
    /** Events of a subscription were lost; resynchronise (int64 next sequence). */
    public static final int RESPONSE_SEQUENCE_LOST = 0x0709;

    private Opcodes() {
    }

    /**
     * Names an opcode for logs and tools; allocation-free.
     *
     * @param opcode the opcode.
     * @return the constant's name, or "UNKNOWN".
     */
    public static String name(final int opcode) {
        return CommandTable.name(opcode);
    }

    /**
     * The category of a registered opcode; allocation-free.
     *
     * @param opcode the opcode.
     * @return its category, or {@link OpcodeCategory#UNKNOWN} when it is not registered.
     */
    public static OpcodeCategory category(final int opcode) {
        return CommandTable.category(opcode);
    }
}
