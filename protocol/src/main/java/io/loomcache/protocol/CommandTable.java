package io.loomcache.protocol;

import static io.loomcache.protocol.OpcodeCategory.CLUSTER;
import static io.loomcache.protocol.OpcodeCategory.CONTROL;
import static io.loomcache.protocol.OpcodeCategory.CP;
import static io.loomcache.protocol.OpcodeCategory.DATA;
import static io.loomcache.protocol.OpcodeCategory.RAFT;
import static io.loomcache.protocol.OpcodeCategory.RESPONSE;
import static io.loomcache.protocol.OpcodeCategory.WAN_EXECUTOR;

import io.loomcache.protocol.raft.RaftMessageDescriptor;

/**
 * Declarative command table, one row per opcode: name, category, {@code FLAG_*} bits and minimum body length,
 * checked centrally before any body is parsed (as Redis checks arity). Lookups index arrays by opcode: O(1),
 * allocation-free, thread-safe (immutable after class initialisation). Structure opcodes without a codec yet
 * require the int32 structure id; other opcodes without a codec yet have minimum 0 until their codec lands.
 * <p>
 * The table is the one place a request's rules are declared: the server reads a request's flags once, before it
 * dispatches it (a PEER opcode from a client connection, a RESPONSE or EVENT sent as a request, a READ or WRITE
 * while the node drains, a WRITE while it is read-only are refused there), and permission checks (ADMIN, NO_AUTH)
 * are to read the same flags rather than lists of their own.
 */
public final class CommandTable {
    /** Flag: reads state. */
    public static final int FLAG_READ = 1;
    /** Flag: changes state (replicated and logged). */
    public static final int FLAG_WRITE = 1 << 1;
    /** Flag: needs the admin permission. */
    public static final int FLAG_ADMIN = 1 << 2;
    /** Flag: routed by the hash of the key (the first variable-length field) to a partition. */
    public static final int FLAG_KEYED = 1 << 3;
    /** Flag: only authenticated cluster peers may send it. */
    public static final int FLAG_PEER = 1 << 4;
    /** Flag: allowed before AUTH. */
    public static final int FLAG_NO_AUTH = 1 << 5;
    /** Flag: a response to a request, never a request itself. */
    public static final int FLAG_RESPONSE = 1 << 6;
    /** Flag: a push from server to client, correlated by subscription rather than by request. */
    public static final int FLAG_EVENT = 1 << 7;
    /** Flag: registered but not implemented yet; a server answers {@link ErrorCode#UNSUPPORTED_OPERATION}. */
    public static final int FLAG_PLACEHOLDER = 1 << 8;

    /** Length of the lookup arrays: opcodes at or above it are unknown. */
    public static final int TABLE_LENGTH = (RESPONSE.code() + 1) << OpcodeCategory.CATEGORY_SHIFT;

    private static final int ID = MapRequestDescriptor.MAP_ID_LENGTH;
    private static final int ID_AND_DATA = ID + VarDataDescriptor.LENGTH_FIELD_LENGTH;
    private static final String UNKNOWN_NAME = "UNKNOWN";
    private static final String[] NAMES = new String[TABLE_LENGTH];
    private static final OpcodeCategory[] CATEGORIES = new OpcodeCategory[TABLE_LENGTH];
    private static final int[] FLAGS = new int[TABLE_LENGTH];
    private static final int[] MIN_BODY_LENGTHS = new int[TABLE_LENGTH];
    private static final int[] OPCODES;

    static {
        control();
        data();
        cpAndCluster();
        raftWanAndResponses();
        OPCODES = registeredOpcodes();
    }

    private CommandTable() {
    }

    private static void control() {
        row(Opcodes.HELLO, "HELLO", CONTROL, FLAG_NO_AUTH, HelloDescriptor.MIN_BODY_LENGTH);
        row(Opcodes.HELLO_RESPONSE, "HELLO_RESPONSE", CONTROL, FLAG_RESPONSE, HelloResponseDescriptor.BODY_LENGTH);
        row(Opcodes.AUTH, "AUTH", CONTROL, FLAG_NO_AUTH, 0);
        row(Opcodes.PING, "PING", CONTROL, FLAG_NO_AUTH, 0);
        row(Opcodes.NEAR_CACHE_SUBSCRIBE, "NEAR_CACHE_SUBSCRIBE", CONTROL, FLAG_READ, ID);
        row(Opcodes.NEAR_CACHE_INVALIDATION, "NEAR_CACHE_INVALIDATION", CONTROL, FLAG_EVENT, ID);
        row(Opcodes.BATCH_EXECUTE, "BATCH_EXECUTE", CONTROL, FLAG_READ | FLAG_WRITE, 0);
        row(Opcodes.SQL_QUERY_EXECUTE, "SQL_QUERY_EXECUTE", CONTROL, FLAG_READ, 0);
    }

    private static void data() {
        map(Opcodes.MAP_PUT, "MAP_PUT", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_GET, "MAP_GET", FLAG_READ | FLAG_KEYED);
        map(Opcodes.MAP_REMOVE, "MAP_REMOVE", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_PUT_IF_ABSENT, "MAP_PUT_IF_ABSENT", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_REPLACE, "MAP_REPLACE", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_CONTAINS_KEY, "MAP_CONTAINS_KEY", FLAG_READ | FLAG_KEYED);
        map(Opcodes.MAP_SIZE, "MAP_SIZE", FLAG_READ);
        map(Opcodes.MAP_CLEAR, "MAP_CLEAR", FLAG_WRITE | FLAG_ADMIN);
        map(Opcodes.MAP_EXPIRE, "MAP_EXPIRE", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_TTL, "MAP_TTL", FLAG_READ | FLAG_KEYED);
        map(Opcodes.MAP_CLEAR_GROUP, "MAP_CLEAR_GROUP", FLAG_WRITE | FLAG_KEYED | FLAG_ADMIN);
        map(Opcodes.MAP_INCREMENT, "MAP_INCREMENT", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_APPEND, "MAP_APPEND", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_GET_AND_PUT, "MAP_GET_AND_PUT", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_GET_AND_REMOVE, "MAP_GET_AND_REMOVE", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_PUT_IF_PRESENT, "MAP_PUT_IF_PRESENT", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_PERSIST, "MAP_PERSIST", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_SET_RANGE, "MAP_SET_RANGE", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_PUT_KEEP_TTL, "MAP_PUT_KEEP_TTL", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_SCAN, "MAP_SCAN", FLAG_READ);
        map(Opcodes.MAP_INCREMENT_FLOAT, "MAP_INCREMENT_FLOAT", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_RANDOM_KEY, "MAP_RANDOM_KEY", FLAG_READ);
        map(Opcodes.MAP_EXPIRE_IF, "MAP_EXPIRE_IF", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_SET_IF, "MAP_SET_IF", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_RENAME, "MAP_RENAME", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_PUT_ALL_IF_ABSENT, "MAP_PUT_ALL_IF_ABSENT", FLAG_WRITE | FLAG_KEYED);
        map(Opcodes.MAP_GET_AND_EXPIRE, "MAP_GET_AND_EXPIRE", FLAG_WRITE | FLAG_KEYED);
        row(Opcodes.QUEUE_OFFER, "QUEUE_OFFER", DATA, FLAG_WRITE, ID_AND_DATA);
        row(Opcodes.QUEUE_POLL, "QUEUE_POLL", DATA, FLAG_WRITE, ID);
        row(Opcodes.QUEUE_PEEK, "QUEUE_PEEK", DATA, FLAG_READ, ID);
        row(Opcodes.QUEUE_SIZE, "QUEUE_SIZE", DATA, FLAG_READ, ID);
        row(Opcodes.SET_ADD, "SET_ADD", DATA, FLAG_WRITE, ID_AND_DATA);
        row(Opcodes.SET_REMOVE, "SET_REMOVE", DATA, FLAG_WRITE, ID_AND_DATA);
        row(Opcodes.SET_CONTAINS, "SET_CONTAINS", DATA, FLAG_READ, ID_AND_DATA);
        row(Opcodes.TOPIC_PUBLISH, "TOPIC_PUBLISH", DATA, FLAG_WRITE, ID_AND_DATA);
        row(Opcodes.TOPIC_SUBSCRIBE, "TOPIC_SUBSCRIBE", DATA, FLAG_READ, ID);
        row(Opcodes.TOPIC_UNSUBSCRIBE, "TOPIC_UNSUBSCRIBE", DATA, FLAG_READ, ID);
        row(Opcodes.TOPIC_MESSAGE, "TOPIC_MESSAGE", DATA, FLAG_EVENT, ID_AND_DATA);
    }

    private static void cpAndCluster() {
        row(Opcodes.CP_ATOMIC_GET, "CP_ATOMIC_GET", CP, FLAG_READ, 0);
        row(Opcodes.CP_ATOMIC_SET, "CP_ATOMIC_SET", CP, FLAG_WRITE, 0);
        row(Opcodes.CP_ATOMIC_CAS, "CP_ATOMIC_CAS", CP, FLAG_WRITE, 0);
        row(Opcodes.CP_ATOMIC_INCREMENT, "CP_ATOMIC_INCREMENT", CP, FLAG_WRITE, 0);
        row(Opcodes.CP_LOCK_ACQUIRE, "CP_LOCK_ACQUIRE", CP, FLAG_WRITE, 0);
        row(Opcodes.CP_LOCK_RELEASE, "CP_LOCK_RELEASE", CP, FLAG_WRITE, 0);
        row(Opcodes.CP_SEMAPHORE_ACQUIRE, "CP_SEMAPHORE_ACQUIRE", CP, FLAG_WRITE, 0);
        row(Opcodes.CP_SEMAPHORE_RELEASE, "CP_SEMAPHORE_RELEASE", CP, FLAG_WRITE, 0);
        row(Opcodes.CLUSTER_JOIN, "CLUSTER_JOIN", CLUSTER, FLAG_PEER, 0);
        row(Opcodes.CLUSTER_LEAVE, "CLUSTER_LEAVE", CLUSTER, FLAG_PEER, 0);
        row(Opcodes.CLUSTER_PING, "CLUSTER_PING", CLUSTER, FLAG_PEER, 0);
        row(Opcodes.PARTITION_TABLE, "PARTITION_TABLE", CLUSTER, FLAG_READ, 0);
        row(Opcodes.PEER_HELLO, "PEER_HELLO", CLUSTER, 0, Integer.BYTES + Long.BYTES);
        row(Opcodes.PEER_PUBLISH, "PEER_PUBLISH", CLUSTER, FLAG_PEER, Integer.BYTES);
        row(Opcodes.PARTITION_MIGRATE_START, "PARTITION_MIGRATE_START", CLUSTER, FLAG_PEER, 0);
        row(Opcodes.PARTITION_MIGRATE_CHUNK, "PARTITION_MIGRATE_CHUNK", CLUSTER, FLAG_PEER, 0);
        row(Opcodes.PARTITION_MIGRATE_COMPLETE, "PARTITION_MIGRATE_COMPLETE", CLUSTER, FLAG_PEER, 0);
    }

    private static void raftWanAndResponses() {
        raft(Opcodes.APPEND_ENTRIES, "APPEND_ENTRIES", FLAG_PEER);
        raft(Opcodes.APPEND_ENTRIES_RESPONSE, "APPEND_ENTRIES_RESPONSE", FLAG_PEER | FLAG_RESPONSE);
        raft(Opcodes.VOTE_REQUEST, "VOTE_REQUEST", FLAG_PEER);
        raft(Opcodes.VOTE_RESPONSE, "VOTE_RESPONSE", FLAG_PEER | FLAG_RESPONSE);
        raft(Opcodes.PRE_VOTE_REQUEST, "PRE_VOTE_REQUEST", FLAG_PEER);
        raft(Opcodes.PRE_VOTE_RESPONSE, "PRE_VOTE_RESPONSE", FLAG_PEER | FLAG_RESPONSE);
        raft(Opcodes.INSTALL_SNAPSHOT, "INSTALL_SNAPSHOT", FLAG_PEER);
        raft(Opcodes.INSTALL_SNAPSHOT_RESPONSE, "INSTALL_SNAPSHOT_RESPONSE", FLAG_PEER | FLAG_RESPONSE);
        raft(Opcodes.TIMEOUT_NOW, "TIMEOUT_NOW", FLAG_PEER);
        raft(Opcodes.PEER_BATCH, "PEER_BATCH", FLAG_PEER);
        row(Opcodes.WAN_REPLICATE, "WAN_REPLICATE", WAN_EXECUTOR, FLAG_PEER | FLAG_WRITE | FLAG_PLACEHOLDER, 0);
        row(Opcodes.EXECUTOR_SUBMIT, "EXECUTOR_SUBMIT", WAN_EXECUTOR, FLAG_WRITE | FLAG_PLACEHOLDER, 0);
        response(Opcodes.RESPONSE_OK, "RESPONSE_OK", 0);
        response(Opcodes.RESPONSE_VALUE, "RESPONSE_VALUE", ResponseDescriptor.VALUE_MIN_BODY_LENGTH);
        response(Opcodes.RESPONSE_NOT_FOUND, "RESPONSE_NOT_FOUND", 0);
        response(Opcodes.RESPONSE_BOOLEAN, "RESPONSE_BOOLEAN", ResponseDescriptor.BOOLEAN_BODY_LENGTH);
        response(Opcodes.RESPONSE_LONG, "RESPONSE_LONG", ResponseDescriptor.LONG_BODY_LENGTH);
        response(Opcodes.RESPONSE_ERROR, "RESPONSE_ERROR", ResponseDescriptor.ERROR_MIN_BODY_LENGTH);
        response(Opcodes.RESPONSE_REDIRECT, "RESPONSE_REDIRECT", ResponseDescriptor.REDIRECT_MIN_BODY_LENGTH);
        response(Opcodes.RESPONSE_SERVER_BUSY, "RESPONSE_SERVER_BUSY", ResponseDescriptor.SERVER_BUSY_BODY_LENGTH);
        response(Opcodes.RESPONSE_SEQUENCE_LOST, "RESPONSE_SEQUENCE_LOST", ResponseDescriptor.LONG_BODY_LENGTH);
    }

    private static void raft(final int opcode, final String name, final int flags) {
        row(opcode, name, RAFT, flags, RaftMessageDescriptor.minBodyLength(opcode));
    }

    private static void response(final int opcode, final String name, final int minBodyLength) {
        row(opcode, name, RESPONSE, FLAG_RESPONSE, minBodyLength);
    }

    private static void map(final int opcode, final String name, final int flags) {
        row(opcode, name, DATA, flags, MapRequestDescriptor.minBodyLength(opcode));
    }

    private static void row(
        final int opcode, final String name, final OpcodeCategory category, final int flags, final int minBodyLength) {
        if (OpcodeCategory.ofRange(opcode) != category || (opcode & 0xFF) == 0 || NAMES[opcode] != null) {
            throw new IllegalStateException("command table row out of its category range or duplicated: " + name);
        }
        NAMES[opcode] = name;
        CATEGORIES[opcode] = category;
        FLAGS[opcode] = flags;
        MIN_BODY_LENGTHS[opcode] = minBodyLength;
    }

    private static int[] registeredOpcodes() {
        int count = 0;
        for (final String name : NAMES) {
            count += name != null ? 1 : 0;
        }
        final int[] registered = new int[count];
        int index = 0;
        for (int opcode = 0; opcode < TABLE_LENGTH; opcode++) {
            if (NAMES[opcode] != null) {
                registered[index++] = opcode;
            }
        }
        return registered;
    }

    /**
     * Tells whether an opcode has a row.
     *
     * @param opcode the opcode, any int.
     * @return true when registered.
     */
    public static boolean isKnown(final int opcode) {
        return opcode >= 0 && opcode < TABLE_LENGTH && NAMES[opcode] != null;
    }

    /**
     * Checks a header against the table: the opcode is known and the body is long enough.
     *
     * @param opcode the opcode.
     * @param bodyLength the body length in bytes.
     * @return {@link ErrorCode#NONE}, {@link ErrorCode#UNKNOWN_OPCODE} or {@link ErrorCode#BODY_TOO_SHORT}.
     */
    public static int check(final int opcode, final int bodyLength) {
        if (!isKnown(opcode)) {
            return ErrorCode.UNKNOWN_OPCODE;
        }
        return bodyLength < MIN_BODY_LENGTHS[opcode] ? ErrorCode.BODY_TOO_SHORT : ErrorCode.NONE;
    }

    /**
     * The opcode's name.
     *
     * @param opcode the opcode.
     * @return the name, or "UNKNOWN" when not registered.
     */
    public static String name(final int opcode) {
        return isKnown(opcode) ? NAMES[opcode] : UNKNOWN_NAME;
    }

    /**
     * The opcode's category.
     *
     * @param opcode the opcode.
     * @return the category, or {@link OpcodeCategory#UNKNOWN} when not registered.
     */
    public static OpcodeCategory category(final int opcode) {
        return isKnown(opcode) ? CATEGORIES[opcode] : OpcodeCategory.UNKNOWN;
    }

    /**
     * The opcode's {@code FLAG_*} bits.
     *
     * @param opcode the opcode.
     * @return the flags, or 0 when not registered.
     */
    public static int flags(final int opcode) {
        return isKnown(opcode) ? FLAGS[opcode] : 0;
    }

    /**
     * Tells whether an opcode carries a flag.
     *
     * @param opcode the opcode.
     * @param flag one {@code FLAG_*} bit.
     * @return true when registered with that flag.
     */
    public static boolean hasFlag(final int opcode, final int flag) {
        return (flags(opcode) & flag) != 0;
    }

    /**
     * The smallest body length the opcode accepts.
     *
     * @param opcode the opcode.
     * @return the minimum in bytes, or -1 when not registered.
     */
    public static int minBodyLength(final int opcode) {
        return isKnown(opcode) ? MIN_BODY_LENGTHS[opcode] : -1;
    }

    /**
     * The number of registered opcodes, for tools iterating the table.
     *
     * @return the row count.
     */
    public static int size() {
        return OPCODES.length;
    }

    /**
     * The registered opcode at a position, in ascending opcode order.
     *
     * @param index 0 to {@link #size()} - 1.
     * @return the opcode.
     */
    public static int opcodeAt(final int index) {
        return OPCODES[index];
    }
}
