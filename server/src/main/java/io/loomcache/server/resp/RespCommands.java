package io.loomcache.server.resp;

import static io.loomcache.server.resp.RespCorrelation.ALL_OK;
import static io.loomcache.server.resp.RespCorrelation.ANY_OK;
import static io.loomcache.server.resp.RespCorrelation.BOOLEAN_INTEGER;
import static io.loomcache.server.resp.RespCorrelation.BULK;
import static io.loomcache.server.resp.RespCorrelation.COUNT;
import static io.loomcache.server.resp.RespCorrelation.FIRST;
import static io.loomcache.server.resp.RespCorrelation.INTEGER;
import static io.loomcache.server.resp.RespCorrelation.LAST;
import static io.loomcache.server.resp.RespCorrelation.LENGTH;
import static io.loomcache.server.resp.RespCorrelation.OK;
import static io.loomcache.server.resp.RespCorrelation.OK_OR_NULL;
import static io.loomcache.server.resp.RespCorrelation.RANGE;
import static io.loomcache.server.resp.RespCorrelation.TTL_MILLIS;
import static io.loomcache.server.resp.RespCorrelation.TTL_SECONDS;
import static io.loomcache.server.resp.RespCorrelation.TYPE;

import java.nio.ByteOrder;
import java.util.List;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.KeySlot;
import io.loomcache.protocol.MapRequestDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ScanDescriptor;
import io.loomcache.protocol.resp.RespNumbers;
import io.loomcache.protocol.resp.RespRequestParser;
import io.loomcache.server.connection.ConnectionServices;

/**
 * Runs one Redis command: the commands on keys as map requests through the {@link RespAdapter} (Redis's semantics
 * kept where the store's operations allow it; see the README's Redis section for what differs), the connection and
 * server commands ({@link RespServerCommands}) answered here. Arity and argument errors get Redis's own error text.
 * Reader thread only; allocation-free for the commands on keys.
 */
final class RespCommands {
    private static final long INVALID = Long.MIN_VALUE;
    private static final byte[] NX = RespErrors.ascii("NX");
    private static final byte[] XX = RespErrors.ascii("XX");
    private static final byte[] GET_OPTION = RespErrors.ascii("GET");
    private static final byte[] KEEPTTL = RespErrors.ascii("KEEPTTL");
    private static final byte[] EX = RespErrors.ascii("EX");
    private static final byte[] PX = RespErrors.ascii("PX");
    private static final byte[] EXAT = RespErrors.ascii("EXAT");
    private static final byte[] PXAT = RespErrors.ascii("PXAT");
    private static final byte[] PERSIST = RespErrors.ascii("PERSIST");
    private static final byte[] MIN_LONG_TEXT = RespErrors.ascii(Long.toString(Long.MIN_VALUE));
    private static final byte[] CROSSSLOT = RespErrors.ascii("CROSSSLOT Keys in request don't hash to the same " +
        "slot");
    private static final byte[] OK_TEXT = RespErrors.ascii("OK");
    private static final byte[] INVALID_CURSOR = RespErrors.ascii("ERR invalid cursor");
    private static final byte[] MATCH = RespErrors.ascii("MATCH");
    private static final byte[] COUNT_OPTION = RespErrors.ascii("COUNT");
    private static final byte[] TYPE_OPTION = RespErrors.ascii("TYPE");
    private static final byte[] STRING = RespErrors.ascii("STRING");
    private static final byte[] ZERO = RespErrors.ascii("0");
    private static final byte[] SYNTAX = RespErrors.ascii("ERR syntax error");
    private static final byte[] NOT_AN_INTEGER = RespErrors.ascii("ERR value is not an integer or out of range");
    private static final byte[] OFFSET_OUT_OF_RANGE = RespErrors.ascii("ERR offset is out of range");
    private static final byte[] DECREMENT_OVERFLOW = RespErrors.ascii("ERR decrement would overflow");
    private static final long MAX_SET_IF_TTL_MS = (1L << MapRequestDescriptor.SET_IF_OPTIONS_SHIFT) - 1;
    private static final byte[] GT = RespErrors.ascii("GT");
    private static final byte[] LT = RespErrors.ascii("LT");
    private static final byte[] NX_INCOMPATIBLE = RespErrors.ascii("ERR NX and XX, GT or LT options at the same time " +
        "are not compatible");
    private static final byte[] GT_LT_INCOMPATIBLE = RespErrors.ascii("ERR GT and LT options at the same time are " +
        "not compatible");

    private final RespAdapter adapter;
    private final RespServerCommands server;
    private final RespPubSubCommands pubSub;
    private final RespErrors errors = new RespErrors();
    private final EpochClock clock;
    private RespRequestParser args;
    private boolean numberValid;
    private final UnsafeBuffer conditionByte = new UnsafeBuffer(new byte[1]);
    private long random = System.nanoTime() | 1;
    /** MSETNX's packed pairs; grows to the longest MSETNX the connection sent. */
    private final ExpandableArrayBuffer pairs = new ExpandableArrayBuffer(0);

    RespCommands(final RespAdapter adapter, final ConnectionServices services) {
        this.adapter = adapter;
        this.pubSub = new RespPubSubCommands(adapter);
        this.server = new RespServerCommands(adapter, services, this);
        this.clock = services.context().epochClock();
    }

    RespErrors errors() {
        return errors;
    }

    RespPubSubCommands pubSub() {
        return pubSub;
    }

    void execute(final RespRequestParser parsed) {
        this.args = parsed;
        final RespCommand command = RespCommand.lookup(parsed.buffer(), parsed.argOffset(0), parsed.argLength(0));
        if (command == null) {
            server.unknownCommand(parsed);
            return;
        }
        if (!command.arityAllows(parsed.argCount())) {
            error("ERR wrong number of arguments for '" + command.lowerName() + "' command");
            return;
        }
        if (pubSub.refuses(command, parsed)) {
            return;
        }
        switch (command) {
            case GET -> adapter.send(Opcodes.MAP_GET, BULK, 0, 0, 1, -1);
            case SET -> set();
            case SETNX -> adapter.send(Opcodes.MAP_PUT_IF_ABSENT, BOOLEAN_INTEGER, 0, 0, 1, 2);
            case SETEX -> setWithTtl(1000, "setex");
            case PSETEX -> setWithTtl(1, "psetex");
            case GETSET -> adapter.send(Opcodes.MAP_GET_AND_PUT, BULK, 0, 0, 1, 2);
            case GETDEL -> adapter.send(Opcodes.MAP_GET_AND_REMOVE, BULK, 0, 0, 1, -1);
            case GETEX -> getex();
            case MGET -> mget();
            case MSET -> mset();
            case MSETNX -> msetnx();
            case RENAME -> rename(false);
            case RENAMENX -> rename(true);
            case APPEND -> adapter.send(Opcodes.MAP_APPEND, INTEGER, 0, 0, 1, 2);
            case STRLEN -> adapter.send(Opcodes.MAP_GET, LENGTH, 0, 0, 1, -1);
            case GETRANGE, SUBSTR -> getrange();
            case SETRANGE -> setrange();
            case INCR -> adapter.send(Opcodes.MAP_INCREMENT, INTEGER, 0, 1, 1, -1);
            case DECR -> adapter.send(Opcodes.MAP_INCREMENT, INTEGER, 0, -1, 1, -1);
            case INCRBY -> incrby(false);
            case DECRBY -> incrby(true);
            case INCRBYFLOAT -> adapter.send(Opcodes.MAP_INCREMENT_FLOAT, BULK, 0, 0, 1, 2);
            case DEL, UNLINK -> eachKey(Opcodes.MAP_REMOVE);
            case EXISTS -> eachKey(Opcodes.MAP_CONTAINS_KEY);
            case EXPIRE -> expire(1000, false, "expire");
            case PEXPIRE -> expire(1, false, "pexpire");
            case EXPIREAT -> expire(1000, true, "expireat");
            case PEXPIREAT -> expire(1, true, "pexpireat");
            case TTL -> adapter.send(Opcodes.MAP_TTL, TTL_SECONDS, 0, 0, 1, -1);
            case PTTL -> adapter.send(Opcodes.MAP_TTL, TTL_MILLIS, 0, 0, 1, -1);
            case PERSIST -> adapter.send(Opcodes.MAP_PERSIST, BOOLEAN_INTEGER, 0, 0, 1, -1);
            case TYPE -> adapter.send(Opcodes.MAP_CONTAINS_KEY, TYPE, 0, 0, 1, -1);
            case DBSIZE -> adapter.send(Opcodes.MAP_SIZE, INTEGER, 0, 0, -1, -1);
            case FLUSHDB, FLUSHALL -> flush(command);
            case SCAN -> scan();
            case KEYS -> keys();
            case RANDOMKEY -> randomKey();
            case SUBSCRIBE -> pubSub.subscribe(parsed, false);
            case PSUBSCRIBE -> pubSub.subscribe(parsed, true);
            case UNSUBSCRIBE -> pubSub.unsubscribe(parsed, false);
            case PUNSUBSCRIBE -> pubSub.unsubscribe(parsed, true);
            case PUBLISH -> pubSub.publish(parsed);
            case PUBSUB -> pubSub.pubsub(parsed);
            default -> server.execute(command, parsed);
        }
    }

    /** SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT t|KEEPTTL], Redis 7's option rules. */
    private void set() {
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        boolean keepTtl = false;
        long ttlMs = 0;
        boolean expiry = false;
        for (int i = 3; i < args.argCount(); i++) {
            if (is(i, NX) && !xx) {
                nx = true;
            } else if (is(i, XX) && !nx) {
                xx = true;
            } else if (is(i, GET_OPTION)) {
                get = true;
            } else if (is(i, KEEPTTL) && !expiry) {
                keepTtl = true;
            } else if ((is(i, EX) || is(i, PX) || is(i, EXAT) || is(i, PXAT)) && !expiry && !keepTtl &&
                i + 1 < args.argCount()) {
                final long unit = is(i, EX) || is(i, EXAT) ? 1000 : 1;
                final boolean absolute = is(i, EXAT) || is(i, PXAT);
                final long time = number(i + 1);
                if (!numberValid) {
                    error(NOT_AN_INTEGER);
                    return;
                }
                if (!validExpireTime(time, unit, absolute)) {
                    error("ERR invalid expire time in 'set' command");
                    return;
                }
                ttlMs = absolute ? time * unit - clock.time() : time * unit;
                expiry = true;
                i++;
            } else {
                error(SYNTAX);
                return;
            }
        }
        if (expiry && ttlMs <= 0) {
            if (!nx && !xx && !get) {
                // a deadline already past: Redis sets the key and it is gone at once
                adapter.send(Opcodes.MAP_REMOVE, ANY_OK, 0, 0, 1, -1);
                return;
            }
            ttlMs = 1;
        }
        if (get && (nx || xx) || keepTtl && (xx || get)) {
            final long options = (nx ? MapRequestDescriptor.SET_IF_NX : 0) | (xx ? MapRequestDescriptor.SET_IF_XX : 0) |
                (get ? MapRequestDescriptor.SET_IF_GET : 0) | (keepTtl ? MapRequestDescriptor.SET_IF_KEEPTTL : 0);
            adapter.send(Opcodes.MAP_SET_IF, get ? BULK : OK_OR_NULL, 0,
                (options << MapRequestDescriptor.SET_IF_OPTIONS_SHIFT) | Math.min(ttlMs, MAX_SET_IF_TTL_MS), 1, 2);
        } else if (get) {
            adapter.send(Opcodes.MAP_GET_AND_PUT, BULK, 0, ttlMs, 1, 2);
        } else if (nx) {
            adapter.send(Opcodes.MAP_PUT_IF_ABSENT, OK_OR_NULL, 0, ttlMs, 1, 2);
        } else if (xx) {
            adapter.send(Opcodes.MAP_PUT_IF_PRESENT, OK_OR_NULL, 0, ttlMs, 1, 2);
        } else if (keepTtl) {
            adapter.send(Opcodes.MAP_PUT_KEEP_TTL, OK, 0, 0, 1, 2);
        } else {
            adapter.send(Opcodes.MAP_PUT, OK, 0, ttlMs, 1, 2);
        }
    }

    /**
     * Redis's check of an expire time: positive, within a long once in ms, and, when relative, within a long once the
     * current time is added.
     */
    private boolean validExpireTime(final long time, final long unit, final boolean absolute) {
        return time > 0 && time <= Long.MAX_VALUE / unit && (absolute || time * unit <= Long.MAX_VALUE - clock.time());
    }

    private void setWithTtl(final long unit, final String name) {
        final long time = number(2);
        if (!numberValid) {
            error(NOT_AN_INTEGER);
        } else if (!validExpireTime(time, unit, false)) {
            error("ERR invalid expire time in '" + name + "' command");
        } else {
            adapter.send(Opcodes.MAP_PUT, OK, 0, time * unit, 1, 3);
        }
    }

    /**
     * GETEX key [EX|PX|EXAT|PXAT t|PERSIST]: a GET, or with an option one MAP_GET_AND_EXPIRE (the value read and the
     * deadline changed in one step; a deadline already past removes the key after answering its value, as Redis does).
     */
    private void getex() {
        final int count = args.argCount();
        if (count == 2) {
            adapter.send(Opcodes.MAP_GET, BULK, 0, 0, 1, -1);
            return;
        }
        if (count == 3 && is(2, PERSIST)) {
            adapter.send(Opcodes.MAP_GET_AND_EXPIRE, BULK, 0, 0, 1, -1);
            return;
        }
        if (count != 4 || !(is(2, EX) || is(2, PX) || is(2, EXAT) || is(2, PXAT))) {
            error(SYNTAX);
            return;
        }
        final long unit = is(2, EX) || is(2, EXAT) ? 1000 : 1;
        final long time = number(3);
        if (!numberValid) {
            error(NOT_AN_INTEGER);
            return;
        }
        if (!validExpireTime(time, unit, is(2, EXAT) || is(2, PXAT))) {
            error("ERR invalid expire time in 'getex' command");
            return;
        }
        final long now = clock.time();
        final long ttlMs = is(2, EXAT) || is(2, PXAT) ? time * unit - now : time * unit;
        // an absolute deadline for the executor; one already past (at least 1: 0 means PERSIST) removes the key
        final long deadline = ttlMs <= 0 ? 1 : ttlMs > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ttlMs;
        adapter.send(Opcodes.MAP_GET_AND_EXPIRE, BULK, 0, deadline, 1, -1);
    }

    private void mget() {
        if (!sameSlot(1, 1, false)) {
            return;
        }
        final int keys = args.argCount() - 1;
        adapter.beginReply().array(keys);
        adapter.replyOpen(true);
        adapter.endReply();
        for (int i = 1; i <= keys; i++) {
            if (i == keys) {
                adapter.replyOpen(false);
            }
            adapter.send(Opcodes.MAP_GET, BULK, 0, 0, i, -1);
        }
    }

    private void mset() {
        final int count = args.argCount();
        if ((count - 1) % 2 != 0) {
            error("ERR wrong number of arguments for 'mset' command");
            return;
        }
        if (!keysFit(1, 2) || !sameSlot(1, 2, false)) {
            return;
        }
        for (int i = 1; i < count; i += 2) {
            final long flags = (i == 1 ? FIRST : 0) | (i + 2 >= count ? LAST : 0);
            adapter.send(Opcodes.MAP_PUT, ALL_OK, flags, 0, i, i + 1);
        }
    }

    private void eachKey(final int opcode) {
        final int count = args.argCount();
        if (!keysFit(1, 1) || !sameSlot(1, 1, false)) {
            return;
        }
        for (int i = 1; i < count; i++) {
            final long flags = (i == 1 ? FIRST : 0) | (i == count - 1 ? LAST : 0);
            adapter.send(opcode, COUNT, flags, 0, i, -1);
        }
    }

    /**
     * MSETNX key value [key value ...]: one MAP_PUT_ALL_IF_ABSENT with every pair packed in its value, so that all
     * are put or none, in one step; the keys must share a slot, on a single node too (see {@link #rename}).
     */
    private void msetnx() {
        final int count = args.argCount();
        if ((count - 1) % 2 != 0) {
            error("ERR wrong number of arguments for 'msetnx' command");
            return;
        }
        if (!keysFit(1, 2) || !sameSlot(1, 2, true)) {
            return;
        }
        // at most a command's length (the node's frame limit), so no int overflow; past the value limit the
        // request's encoding answers VALUE_TOO_LONG
        int length = 0;
        for (int i = 1; i < count; i++) {
            final int argLength = args.argLength(i);
            pairs.putInt(length, argLength, ByteOrder.LITTLE_ENDIAN);
            pairs.putBytes(length + MapRequestDescriptor.PAIR_LENGTH_PREFIX, args.buffer(), args.argOffset(i),
                argLength);
            length += MapRequestDescriptor.PAIR_LENGTH_PREFIX + argLength;
        }
        adapter.send(Opcodes.MAP_PUT_ALL_IF_ABSENT, BOOLEAN_INTEGER, 0, 0, 1, pairs, 0, length);
    }

    /**
     * RENAME/RENAMENX key newkey: one MAP_RENAME, a single step on the executor that owns both keys. Keys of two
     * slots may live on two executors, where no step can hold both: the keys must share a slot (Redis Cluster's
     * rule, {@code -CROSSSLOT} otherwise) on a single node too, whatever its executor count, so that what a
     * command accepts does not depend on the machine.
     */
    private void rename(final boolean onlyIfNew) {
        if (!keysFit(1, 1) || !sameSlot(1, 1, true)) {
            return;
        }
        adapter.send(Opcodes.MAP_RENAME, onlyIfNew ? RespCorrelation.RENAMENX : RespCorrelation.RENAME, 0,
            onlyIfNew ? MapRequestDescriptor.RENAME_NX : 0, 1, 2);
    }

    /**
     * Redis Cluster's rule for multi-key commands: every key in one slot (hash tags put keys together), else
     * {@code -CROSSSLOT}. On a cluster member always; a single node takes any keys in the commands that are one
     * request per key, as a standalone Redis does, and applies the rule only to those that must be one step.
     */
    private boolean sameSlot(final int first, final int step, final boolean always) {
        if (!always && !adapter.cluster()) {
            return true;
        }
        final int slot = KeySlot.slot(args.buffer(), args.argOffset(first), args.argLength(first));
        for (int i = first + step; i < args.argCount(); i += step) {
            if (KeySlot.slot(args.buffer(), args.argOffset(i), args.argLength(i)) != slot) {
                error(CROSSSLOT);
                return false;
            }
        }
        return true;
    }

    /** Whether every key (and value) of a multi-key command passes the limits; else one error reply for it. */
    private boolean keysFit(final int first, final int step) {
        for (int i = first; i < args.argCount(); i += step) {
            if (!server.fits(args, i, step == 2 ? i + 1 : -1)) {
                return false;
            }
        }
        return true;
    }

    private void getrange() {
        final long start = number(2);
        final boolean startValid = numberValid;
        final long end = number(3);
        if (!startValid || !numberValid) {
            error(NOT_AN_INTEGER);
            return;
        }
        adapter.sendParameters(start, end);
        adapter.send(Opcodes.MAP_GET, RANGE, 0, 0, 1, -1);
    }

    private void setrange() {
        final long offset = number(2);
        if (!numberValid) {
            error(NOT_AN_INTEGER);
        } else if (offset < 0) {
            error(OFFSET_OUT_OF_RANGE);
        } else {
            adapter.send(Opcodes.MAP_SET_RANGE, INTEGER, 0, offset, 1, 3);
        }
    }

    private void incrby(final boolean decrement) {
        final long delta = number(2);
        if (!numberValid) {
            error(NOT_AN_INTEGER);
        } else if (decrement && delta == Long.MIN_VALUE) {
            error(DECREMENT_OVERFLOW);
        } else {
            adapter.send(Opcodes.MAP_INCREMENT, INTEGER, 0, decrement ? -delta : delta, 1, -1);
        }
    }

    private void expire(final long unit, final boolean absolute, final String name) {
        int conditions = 0;
        for (int i = 3; i < args.argCount(); i++) {
            if (is(i, NX)) {
                conditions |= MapRequestDescriptor.EXPIRE_NX;
            } else if (is(i, XX)) {
                conditions |= MapRequestDescriptor.EXPIRE_XX;
            } else if (is(i, GT)) {
                conditions |= MapRequestDescriptor.EXPIRE_GT;
            } else if (is(i, LT)) {
                conditions |= MapRequestDescriptor.EXPIRE_LT;
            } else {
                error("ERR Unsupported option " + RespServerCommands.text(args, i));
                return;
            }
        }
        if ((conditions & MapRequestDescriptor.EXPIRE_NX) != 0 && conditions != MapRequestDescriptor.EXPIRE_NX) {
            error(NX_INCOMPATIBLE);
            return;
        }
        if ((conditions & MapRequestDescriptor.EXPIRE_GT) != 0 && (conditions & MapRequestDescriptor.EXPIRE_LT) != 0) {
            error(GT_LT_INCOMPATIBLE);
            return;
        }
        final long time = number(2);
        if (!numberValid) {
            error(NOT_AN_INTEGER);
            return;
        }
        if (time > Long.MAX_VALUE / unit || time < Long.MIN_VALUE / unit ||
            !absolute && time * unit > Long.MAX_VALUE - clock.time()) {
            error("ERR invalid expire time in '" + name + "' command");
            return;
        }
        final long ttlMs = absolute ? time * unit - clock.time() : time * unit;
        if (conditions != 0) {
            // the conditions compare deadlines on the key's executor: send the absolute one (past: removal)
            final long now = clock.time();
            final long deadline = ttlMs <= 0 ? 0 : ttlMs > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ttlMs;
            conditionByte.putByte(0, (byte)conditions);
            adapter.send(Opcodes.MAP_EXPIRE_IF, BOOLEAN_INTEGER, 0, deadline, 1, conditionByte, 0, 1);
            return;
        }
        if (ttlMs <= 0) {
            // Redis deletes the key at once and answers 1 when it existed
            adapter.send(Opcodes.MAP_REMOVE, BOOLEAN_INTEGER, 0, 0, 1, -1);
        } else {
            adapter.send(Opcodes.MAP_EXPIRE, BOOLEAN_INTEGER, 0, ttlMs, 1, -1);
        }
    }

    private void flush(final RespCommand command) {
        if (args.argCount() > 2 || args.argCount() == 2 && !server.isAsyncOrSync(args, 1)) {
            error(SYNTAX);
            return;
        }
        if (!adapter.cluster()) {
            adapter.send(Opcodes.MAP_CLEAR, ANY_OK, 0, 0, -1, -1);
            return;
        }
        // a cluster member clears the groups it serves, as a Redis Cluster master clears its slots: one
        // MAP_CLEAR_GROUP each, through the group's log (a cluster client sends FLUSHALL to every master)
        final List<UnsafeBuffer> keys = server.servedGroupKeys();
        if (keys.isEmpty()) {
            adapter.beginReply().simple(OK_TEXT);
            adapter.endReply();
            return;
        }
        for (int i = 0; i < keys.size(); i++) {
            final long flags = (i == 0 ? FIRST : 0) | (i == keys.size() - 1 ? LAST : 0);
            adapter.sendKey(Opcodes.MAP_CLEAR_GROUP, ALL_OK, flags, keys.get(i));
        }
    }

    /**
     * SCAN cursor [MATCH pattern] [COUNT n] [TYPE type]: one step of one executor's store walk. The cursor is the
     * executor (high 32 bits) and its store cursor (low 32 bits), 0 to start and 0 once every executor is passed.
     */
    private void scan() {
        final String cursorText = RespServerCommands.text(args, 1);
        final long cursor;
        try {
            cursor = Long.parseUnsignedLong(cursorText);
        } catch (final NumberFormatException ex) {
            error(INVALID_CURSOR);
            return;
        }
        int patternArg = -1;
        long count = 10;
        boolean strings = true;
        for (int i = 2; i < args.argCount(); i += 2) {
            if (i + 1 >= args.argCount()) {
                error(SYNTAX);
                return;
            }
            if (is(i, MATCH)) {
                patternArg = i + 1;
            } else if (is(i, COUNT_OPTION)) {
                count = number(i + 1);
                if (!numberValid) {
                    error(NOT_AN_INTEGER);
                    return;
                }
                if (count < 1) {
                    error(SYNTAX);
                    return;
                }
            } else if (is(i, TYPE_OPTION)) {
                strings = is(i + 1, STRING);
            } else {
                error(SYNTAX);
                return;
            }
        }
        final int executor = (int)(cursor >>> 32);
        if (!strings || executor >= adapter.executorCount()) {
            // every key is a string; a cursor past the last executor ends the walk
            adapter.beginReply().array(2).bulk(ZERO).array(0);
            adapter.endReply();
            return;
        }
        final long argument = ScanDescriptor.argument(executor, (int)Math.min(count, ScanDescriptor.MAX_COUNT),
            (int)cursor);
        adapter.send(Opcodes.MAP_SCAN, RespCorrelation.SCAN, (long)executor << RespCorrelation.SLOT_SHIFT, argument,
            patternArg, -1);
    }

    /** KEYS pattern: every executor's whole store, gathered into one reply. */
    private void keys() {
        final int executors = adapter.executorCount();
        for (int executor = 0; executor < executors; executor++) {
            final long flags = (executor == 0 ? FIRST : 0) | (executor == executors - 1 ? LAST : 0);
            adapter.send(Opcodes.MAP_SCAN, RespCorrelation.KEYS, flags, ScanDescriptor.argument(executor, 0,
                ScanDescriptor.START), 1, -1);
        }
    }

    /** RANDOMKEY: a random key of each executor (from a random position), one of them picked by the writer. */
    private void randomKey() {
        final int executors = adapter.executorCount();
        for (int executor = 0; executor < executors; executor++) {
            random ^= random << 13;
            random ^= random >>> 7;
            random ^= random << 17;
            final long flags = (executor == 0 ? FIRST : 0) | (executor == executors - 1 ? LAST : 0);
            adapter.send(Opcodes.MAP_RANDOM_KEY, RespCorrelation.RANDOM, flags, ScanDescriptor.argument(executor, 0,
                (int)random), -1, -1);
        }
    }

    private boolean is(final int index, final byte[] upperName) {
        return RespNumbers.equalsIgnoreCase(args.buffer(), args.argOffset(index), args.argLength(index), upperName);
    }

    /** Parses an integer argument; {@link #numberValid} tells whether it was one. */
    private long number(final int index) {
        final long value = RespNumbers.parseLong(args.buffer(), args.argOffset(index), args.argLength(index), INVALID);
        numberValid = value != INVALID || RespNumbers.equalsIgnoreCase(args.buffer(), args.argOffset(index),
            args.argLength(index), MIN_LONG_TEXT);
        return value;
    }

    void error(final byte[] text) {
        adapter.beginReply().error(text);
        adapter.endReply();
    }

    void error(final String text) {
        error(RespErrors.ascii(text));
    }

    private static byte[] upper(final String name) {
        return RespErrors.ascii(name);
    }
}
