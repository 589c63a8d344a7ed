package io.loomcache.server.resp;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;

import io.loomcache.protocol.resp.RespNumbers;

/**
 * The Redis commands the Redis port knows, as data (Redis's command table): name, arity (exact when positive, at
 * least its absolute value when negative, the name counted), flags and key positions as {@code COMMAND} reports
 * them. {@link #lookup} finds a command from its name's bytes in any case without allocating.
 */
public enum RespCommand {
    /** PING [message]. */
    PING("ping", -1, "fast", 0, 0, 0),
    /** ECHO message. */
    ECHO("echo", 2, "fast", 0, 0, 0),
    /** HELLO [protover [AUTH user pass] [SETNAME name]]. */
    HELLO("hello", -1, "fast noscript loading stale", 0, 0, 0),
    /** AUTH [user] password. */
    AUTH("auth", -2, "fast noscript loading stale no_auth", 0, 0, 0),
    /** SELECT index. */
    SELECT("select", 2, "fast loading stale", 0, 0, 0),
    /** CLIENT subcommand. */
    CLIENT("client", -2, "noscript loading stale", 0, 0, 0),
    /** QUIT. */
    QUIT("quit", -1, "fast noscript loading stale no_auth", 0, 0, 0),
    /** RESET. */
    RESET("reset", 1, "fast noscript loading stale no_auth", 0, 0, 0),
    /** COMMAND [subcommand]. */
    COMMAND("command", -1, "loading stale", 0, 0, 0),
    /** CONFIG subcommand. */
    CONFIG("config", -2, "admin noscript loading stale", 0, 0, 0),
    /** INFO [section ...]. */
    INFO("info", -1, "loading stale", 0, 0, 0),
    /** DBSIZE. */
    DBSIZE("dbsize", 1, "readonly fast", 0, 0, 0),
    /** FLUSHDB [ASYNC|SYNC]. */
    FLUSHDB("flushdb", -1, "write", 0, 0, 0),
    /** FLUSHALL [ASYNC|SYNC]. */
    FLUSHALL("flushall", -1, "write", 0, 0, 0),
    /** FUNCTION subcommand. */
    FUNCTION("function", -2, "noscript", 0, 0, 0),
    /** CLUSTER subcommand (SLOTS, SHARDS, NODES, INFO, MYID, KEYSLOT). */
    CLUSTER("cluster", -2, "stale", 0, 0, 0),
    /** READONLY (cluster replicas' reads; OK, reads go to leaders anyway). */
    READONLY("readonly", 1, "fast loading stale", 0, 0, 0),
    /** READWRITE. */
    READWRITE("readwrite", 1, "fast loading stale", 0, 0, 0),
    /** ASKING (slot migration; OK, LoomCache does not migrate slots). */
    ASKING("asking", 1, "fast", 0, 0, 0),
    /** DEBUG subcommand. */
    DEBUG("debug", -2, "admin noscript loading stale", 0, 0, 0),
    /** SUBSCRIBE channel [channel ...]. */
    SUBSCRIBE("subscribe", -2, "pubsub noscript loading stale", 0, 0, 0),
    /** UNSUBSCRIBE [channel ...]. */
    UNSUBSCRIBE("unsubscribe", -1, "pubsub noscript loading stale", 0, 0, 0),
    /** PSUBSCRIBE pattern [pattern ...]. */
    PSUBSCRIBE("psubscribe", -2, "pubsub noscript loading stale", 0, 0, 0),
    /** PUNSUBSCRIBE [pattern ...]. */
    PUNSUBSCRIBE("punsubscribe", -1, "pubsub noscript loading stale", 0, 0, 0),
    /** PUBLISH channel message. */
    PUBLISH("publish", 3, "pubsub loading stale fast", 0, 0, 0),
    /** PUBSUB subcommand (CHANNELS, NUMSUB, NUMPAT, HELP). */
    PUBSUB("pubsub", -2, "pubsub loading stale", 0, 0, 0),
    /** GET key. */
    GET("get", 2, "readonly fast", 1, 1, 1),
    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]. */
    SET("set", -3, "write denyoom", 1, 1, 1),
    /** SETNX key value. */
    SETNX("setnx", 3, "write denyoom fast", 1, 1, 1),
    /** SETEX key seconds value. */
    SETEX("setex", 4, "write denyoom", 1, 1, 1),
    /** PSETEX key milliseconds value. */
    PSETEX("psetex", 4, "write denyoom", 1, 1, 1),
    /** GETSET key value. */
    GETSET("getset", 3, "write denyoom fast", 1, 1, 1),
    /** GETDEL key. */
    GETDEL("getdel", 2, "write fast", 1, 1, 1),
    /** GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]. */
    GETEX("getex", -2, "write fast", 1, 1, 1),
    /** MGET key [key ...]. */
    MGET("mget", -2, "readonly fast", 1, -1, 1),
    /** MSET key value [key value ...]. */
    MSET("mset", -3, "write denyoom", 1, -1, 2),
    /** MSETNX key value [key value ...]. */
    MSETNX("msetnx", -3, "write denyoom", 1, -1, 2),
    /** RENAME key newkey. */
    RENAME("rename", 3, "write", 1, 2, 1),
    /** RENAMENX key newkey. */
    RENAMENX("renamenx", 3, "write fast", 1, 2, 1),
    /** APPEND key value. */
    APPEND("append", 3, "write denyoom fast", 1, 1, 1),
    /** STRLEN key. */
    STRLEN("strlen", 2, "readonly fast", 1, 1, 1),
    /** GETRANGE key start end. */
    GETRANGE("getrange", 4, "readonly", 1, 1, 1),
    /** SUBSTR key start end (GETRANGE's old name). */
    SUBSTR("substr", 4, "readonly", 1, 1, 1),
    /** SETRANGE key offset value. */
    SETRANGE("setrange", 4, "write denyoom", 1, 1, 1),
    /** INCR key. */
    INCR("incr", 2, "write denyoom fast", 1, 1, 1),
    /** INCRBY key increment. */
    INCRBY("incrby", 3, "write denyoom fast", 1, 1, 1),
    /** INCRBYFLOAT key increment. */
    INCRBYFLOAT("incrbyfloat", 3, "write denyoom fast", 1, 1, 1),
    /** DECR key. */
    DECR("decr", 2, "write denyoom fast", 1, 1, 1),
    /** DECRBY key decrement. */
    DECRBY("decrby", 3, "write denyoom fast", 1, 1, 1),
    /** DEL key [key ...]. */
    DEL("del", -2, "write", 1, -1, 1),
    /** UNLINK key [key ...]. */
    UNLINK("unlink", -2, "write fast", 1, -1, 1),
    /** EXISTS key [key ...]. */
    EXISTS("exists", -2, "readonly fast", 1, -1, 1),
    /** EXPIRE key seconds. */
    EXPIRE("expire", -3, "write fast", 1, 1, 1),
    /** PEXPIRE key milliseconds. */
    PEXPIRE("pexpire", -3, "write fast", 1, 1, 1),
    /** EXPIREAT key unix-time-seconds. */
    EXPIREAT("expireat", -3, "write fast", 1, 1, 1),
    /** PEXPIREAT key unix-time-milliseconds. */
    PEXPIREAT("pexpireat", -3, "write fast", 1, 1, 1),
    /** TTL key. */
    TTL("ttl", 2, "readonly fast", 1, 1, 1),
    /** PTTL key. */
    PTTL("pttl", 2, "readonly fast", 1, 1, 1),
    /** PERSIST key. */
    PERSIST("persist", 2, "write fast", 1, 1, 1),
    /** SCAN cursor [MATCH pattern] [COUNT n] [TYPE type]. */
    SCAN("scan", -2, "readonly", 0, 0, 0),
    /** RANDOMKEY. */
    RANDOMKEY("randomkey", 1, "readonly", 0, 0, 0),
    /** KEYS pattern. */
    KEYS("keys", 2, "readonly", 0, 0, 0),
    /** TYPE key. */
    TYPE("type", 2, "readonly fast", 1, 1, 1);

    private static final int TABLE_LENGTH = 256;
    private static final RespCommand[] TABLE = new RespCommand[TABLE_LENGTH];

    static {
        for (final RespCommand command : values()) {
            int slot = hash(command.upperName, 0, command.upperName.length);
            while (TABLE[slot] != null) {
                slot = (slot + 1) & (TABLE_LENGTH - 1);
            }
            TABLE[slot] = command;
        }
    }

    private final String lowerName;
    private final byte[] upperName;
    private final int arity;
    private final String flags;
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;

    RespCommand(
        final String lowerName,
        final int arity,
        final String flags,
        final int firstKey,
        final int lastKey,
        final int keyStep) {
        this.lowerName = lowerName;
        this.upperName = lowerName.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        this.arity = arity;
        this.flags = flags;
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
    }

    /**
     * Finds the command a name names, in any case.
     *
     * @param buffer the name's bytes.
     * @param offset of the name.
     * @param length of the name.
     * @return the command, or null when unknown.
     */
    public static RespCommand lookup(final DirectBuffer buffer, final int offset, final int length) {
        int slot = hash(buffer, offset, length);
        RespCommand candidate;
        while ((candidate = TABLE[slot]) != null) {
            if (RespNumbers.equalsIgnoreCase(buffer, offset, length, candidate.upperName)) {
                return candidate;
            }
            slot = (slot + 1) & (TABLE_LENGTH - 1);
        }
        return null;
    }

    /**
     * Whether {@code argCount} arguments (the name counted) fit the command's arity.
     *
     * @param argCount arguments.
     * @return true when allowed.
     */
    public boolean arityAllows(final int argCount) {
        return arity > 0 ? argCount == arity : argCount >= -arity;
    }

    /**
     * The name in lower case, as {@code COMMAND} and error replies show it.
     *
     * @return the name.
     */
    public String lowerName() {
        return lowerName;
    }

    /**
     * The name's bytes in lower case.
     *
     * @return the name.
     */
    public byte[] lowerNameBytes() {
        return lowerName.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Redis's arity.
     *
     * @return positive exact, negative at least.
     */
    public int arity() {
        return arity;
    }

    /**
     * The flags {@code COMMAND} reports, blank separated.
     *
     * @return the flags.
     */
    public String flags() {
        return flags;
    }

    /**
     * Where the first key is.
     *
     * @return the argument index, 0 for no key.
     */
    public int firstKey() {
        return firstKey;
    }

    /**
     * Where the last key is.
     *
     * @return the argument index, -1 for the last argument, 0 for no key.
     */
    public int lastKey() {
        return lastKey;
    }

    /**
     * The step between keys.
     *
     * @return 1, 2 (MSET), 0 for no key.
     */
    public int keyStep() {
        return keyStep;
    }

    private static int hash(final byte[] upper, final int offset, final int length) {
        int hash = 0;
        for (int i = 0; i < length; i++) {
            hash = hash * 31 + upper[offset + i];
        }
        return (hash ^ (hash >>> 8)) & (TABLE_LENGTH - 1);
    }

    private static int hash(final DirectBuffer buffer, final int offset, final int length) {
        int hash = 0;
        for (int i = 0; i < length; i++) {
            hash = hash * 31 + RespNumbers.upper(buffer.getByte(offset + i));
        }
        return (hash ^ (hash >>> 8)) & (TABLE_LENGTH - 1);
    }
}
