package io.loomcache.server.executor;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.CommandTable;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.KeySlot;
import io.loomcache.protocol.MapRequestDecoder;
import io.loomcache.protocol.MapRequestDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseEncoder;
import io.loomcache.store.OffHeapStore;

/**
 * Applies one decoded map request to an executor's store, logs its effect through the {@link WalWriter} and
 * encodes the response (or the fan-out partial) into the {@link ResponseStaging} area. The log holds effects with
 * absolute deadlines (see {@link WalRecordDescriptor}): put-if-absent, replace and expire that succeed are PUTs
 * (with the whole value: an EXPIRE record would depend on an earlier PUT that replay may already have dropped as
 * expired), failed conditional writes log nothing, a remove logs a REMOVE whether it found the key or not, and
 * every key the store drops by itself (eviction, expiry) gets a tombstone, so that a restart rebuilds the state
 * clients saw.
 * <p>
 * The Redis read-modify-writes (MAP_INCREMENT, MAP_APPEND, MAP_GET_AND_PUT, MAP_GET_AND_REMOVE, MAP_PUT_IF_PRESENT,
 * MAP_PERSIST, MAP_SET_RANGE, MAP_PUT_KEEP_TTL) follow the same rules: each one that changes a key logs a PUT of the
 * key's whole new value with its absolute deadline (a kept TTL keeps its deadline), MAP_GET_AND_REMOVE logs a REMOVE
 * as MAP_REMOVE does, and one that changes nothing (an error, a condition not met) logs nothing. New values are built
 * in one copy buffer of maxValueLength bytes. Like the other commands they depend only on the store and the clock, so
 * that every member of a Raft group applies them alike.
 * <p>
 * A write claims its record before it touches the store and commits it only when the store applied the write, so
 * a write is never visible without its record, and a write the store refuses leaves no record. Once the WAL has
 * failed ({@link WalWriter#failed()}) every write is refused before it touches the store, answered INTERNAL_ERROR
 * with a message saying that it was not applied; reads go on. The deadline logged and the one the store keeps come
 * from the same clock reading: the executor sets the store's clock once before each request. Owned by the executor
 * thread; allocation-free.
 */
public final class MapCommands {
    /**
     * The message of the INTERNAL_ERROR that refuses a write once the WAL failed, here and, once the node is read-only
     * ({@link ExecutorGroup#readOnly()}), where connections dispatch. Shared: never write it.
     */
    public static final DirectBuffer WAL_FAILED_REFUSAL = new UnsafeBuffer(("the write-ahead log failed (see /health " +
        "and the server log): writes are refused until restart, this one was not applied")
        .getBytes(StandardCharsets.UTF_8));
    private static final int REFUSED = Integer.MIN_VALUE;
    private static final DirectBuffer CROSS_SLOT = new UnsafeBuffer(("the keys of one MAP_RENAME or " +
        "MAP_PUT_ALL_IF_ABSENT must share a Redis Cluster slot (give them a common {hash tag})")
        .getBytes(StandardCharsets.UTF_8));
    private static final DirectBuffer BAD_PAIRS = new UnsafeBuffer(("MAP_PUT_ALL_IF_ABSENT's value must be " +
        "whole pairs (int32 key length, key, int32 value length, value), the first pair's key the request's key")
        .getBytes(StandardCharsets.UTF_8));
    private static final DirectBuffer PARTLY_APPLIED = new UnsafeBuffer(("the write-ahead log failed part way " +
        "through this multi-key write: what it wrote before the failure stays, as logged (see /health and the " +
        "server log); writes are refused until restart").getBytes(StandardCharsets.UTF_8));

    private final OffHeapStore store;
    private final StoreScan scan;
    private final WalWriter wal;
    private final DroppedKeys dropped;
    private final ResponseStaging staging;
    private final EpochClock epochClock;
    private final ResponseEncoder encoder;
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer entryView = new UnsafeBuffer(0, 0);
    private final MutableDirectBuffer valueCopy;
    private final ExpiryReader expiryReader = new ExpiryReader();
    private final DecimalInteger decimal = new DecimalInteger();
    private final int maxValueLength;
    private boolean wrote;
    private boolean committed;

    /**
     * Creates the command set of one executor.
     *
     * @param store the executor's store.
     * @param wal the executor's log writer.
     * @param dropped the store's listener, which keeps the keys the store drops by itself.
     * @param staging the executor's response area.
     * @param epochClock the store's clock, for TTL deadlines.
     * @param encoder the executor's response encoder, built with the node's limits.
     * @param maxValueLength the largest value: the copy buffer of MAP_EXPIRE and the read-modify-writes, and the
     *     longest value MAP_APPEND and MAP_SET_RANGE may build.
     */
    public MapCommands(
        final OffHeapStore store,
        final WalWriter wal,
        final DroppedKeys dropped,
        final ResponseStaging staging,
        final EpochClock epochClock,
        final ResponseEncoder encoder,
        final int maxValueLength) {
        this.scan = new StoreScan(store, maxValueLength, ProtocolLimits.DEFAULT_MAX_KEY_LENGTH);
        this.store = store;
        this.wal = wal;
        this.dropped = dropped;
        this.staging = staging;
        this.epochClock = epochClock;
        this.encoder = encoder;
        this.maxValueLength = maxValueLength;
        this.valueCopy = new UnsafeBuffer(new byte[Math.max(1, maxValueLength)]);
    }

    /**
     * Executes a keyed request and encodes its response at the staging area's frame offset.
     *
     * @param request a valid, wrapped map request for map 0.
     * @return the frame length encoded.
     */
    public int execute(final MapRequestDecoder request) {
        wrote = false;
        committed = false;
        encoder.wrap(staging.buffer(), staging.frameOffset()).version(request.version());
        final long correlationId = request.correlationId();
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final int opcode = request.opcode();
        // a write once the WAL failed is refused before it reads or touches the store
        final int length = CommandTable.hasFlag(opcode, CommandTable.FLAG_WRITE) && wal.failed() ? REFUSED :
            run(request, opcode, correlationId, buffer, keyOffset, keyLength);
        logDropped(buffer, keyOffset, keyLength);
        if (length == REFUSED) {
            return encoder.error(correlationId, ErrorCode.INTERNAL_ERROR, WAL_FAILED_REFUSAL, 0,
                WAL_FAILED_REFUSAL.capacity());
        }
        return length >= 0 ? length : encoder.error(correlationId, -length);
    }

    private int run(
        final MapRequestDecoder request,
        final int opcode,
        final long correlationId,
        final DirectBuffer buffer,
        final int keyOffset,
        final int keyLength) {
        return switch (opcode) {
            case Opcodes.MAP_GET -> get(correlationId, buffer, keyOffset, keyLength);
            case Opcodes.MAP_PUT -> put(request, false);
            case Opcodes.MAP_PUT_IF_ABSENT -> put(request, true);
            case Opcodes.MAP_REMOVE -> remove(correlationId, buffer, keyOffset, keyLength);
            case Opcodes.MAP_REPLACE -> replace(request);
            case Opcodes.MAP_CONTAINS_KEY ->
                encoder.booleanResult(correlationId, store.containsKey(buffer, keyOffset, keyLength));
            case Opcodes.MAP_EXPIRE -> expire(request);
            case Opcodes.MAP_TTL -> ttl(correlationId, buffer, keyOffset, keyLength);
            case Opcodes.MAP_INCREMENT -> increment(request);
            case Opcodes.MAP_APPEND -> append(request);
            case Opcodes.MAP_GET_AND_PUT -> getAndPut(request);
            case Opcodes.MAP_GET_AND_REMOVE -> getAndRemove(correlationId, buffer, keyOffset, keyLength);
            case Opcodes.MAP_PUT_IF_PRESENT -> putIfPresent(request);
            case Opcodes.MAP_PERSIST -> persist(correlationId, buffer, keyOffset, keyLength);
            case Opcodes.MAP_SET_RANGE -> setRange(request);
            case Opcodes.MAP_PUT_KEEP_TTL -> putKeepTtl(request);
            case Opcodes.MAP_SCAN -> scan.execute(request, encoder);
            case Opcodes.MAP_RANDOM_KEY -> scan.randomKey(request, encoder);
            case Opcodes.MAP_EXPIRE_IF -> expireIf(request);
            case Opcodes.MAP_SET_IF -> setIf(request);
            case Opcodes.MAP_RENAME -> rename(request);
            case Opcodes.MAP_PUT_ALL_IF_ABSENT -> putAllIfAbsent(request);
            case Opcodes.MAP_GET_AND_EXPIRE -> getAndExpire(correlationId, buffer, keyOffset, keyLength,
                request.argument());
            case Opcodes.MAP_INCREMENT_FLOAT -> incrementFloat(request);
            default -> encoder.error(correlationId, ErrorCode.UNSUPPORTED_OPERATION);
        };
    }

    /**
     * Restricts the keys MAP_SCAN returns (a cluster member: the keys of the groups it leads).
     *
     * @param filter the filter.
     */
    void scanFilter(final StoreScan.KeyFilter filter) {
        scan.filter(filter);
    }

    /**
     * Whether the last {@link #execute} or {@link #clear} changed state (its response must wait for the force).
     *
     * @return true after a write.
     */
    public boolean wrote() {
        return wrote;
    }

    /**
     * Runs this executor's part of MAP_SIZE: the live entries, those a GET would find. O(1) unless an entry with a
     * TTL may have expired since the last count; then the store walks its index once, and each expired entry it
     * removes is logged (see {@link OffHeapStore#liveSize()}).
     *
     * @return live entries in the store.
     */
    public long size() {
        wrote = false;
        committed = false;
        final long live = store.liveSize();
        logDropped(null, 0, 0);
        return live;
    }

    /**
     * Runs this executor's part of MAP_CLEAR.
     *
     * @return {@link ErrorCode#NONE}, or INTERNAL_ERROR when the WAL refused the record (nothing was cleared).
     */
    public int clear() {
        wrote = false;
        if (!wal.claim(WalRecordDescriptor.TYPE_CLEAR, 0, null, 0, 0, null, 0, 0)) {
            return ErrorCode.INTERNAL_ERROR;
        }
        store.clear();
        wal.commit();
        wrote = true;
        return ErrorCode.NONE;
    }

    /**
     * Logs a tombstone for each key the store dropped outside a request (the executor's expiry sweep).
     */
    public void logDropped() {
        committed = false;
        logDropped(null, 0, 0);
    }

    private void logDropped(final DirectBuffer key, final int keyOffset, final int keyLength) {
        if (dropped.count() == 0) {
            return;
        }
        if (committed) {
            wal.appendDropped(dropped, key, keyOffset, keyLength);
        } else {
            wal.appendDropped(dropped, null, 0, 0);
        }
    }

    private int get(final long correlationId, final DirectBuffer key, final int keyOffset, final int keyLength) {
        final int valueLength = store.getView(key, keyOffset, keyLength, valueView);
        return valueLength < 0 ? encoder.notFound(correlationId) :
            encoder.value(correlationId, valueView, 0, valueLength);
    }

    private int put(final MapRequestDecoder request, final boolean ifAbsent) {
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final int valueOffset = request.valueOffset();
        final int valueLength = request.valueLength();
        final long ttlMs = request.ttlMs();
        if (!wal.claim(WalRecordDescriptor.TYPE_PUT, deadline(ttlMs), buffer, keyOffset, keyLength, buffer,
            valueOffset, valueLength)) {
            return REFUSED;
        }
        final int result = ifAbsent ?
            store.putIfAbsent(buffer, keyOffset, keyLength, buffer, valueOffset, valueLength, ttlMs) :
            store.put(buffer, keyOffset, keyLength, buffer, valueOffset, valueLength, ttlMs);
        if (result < 0) {
            wal.abort();
            return result == OffHeapStore.KEY_EXISTS ? encoder.booleanResult(request.correlationId(), false) :
                -storeError(result);
        }
        commit();
        return ifAbsent ? encoder.booleanResult(request.correlationId(), true) : encoder.ok(request.correlationId());
    }

    private int remove(final long correlationId, final DirectBuffer key, final int keyOffset, final int keyLength) {
        final int removed = erase(key, keyOffset, keyLength);
        return removed == REFUSED ? REFUSED : encoder.booleanResult(correlationId, removed == 1);
    }

    /**
     * Claims a REMOVE record (logged whether or not the key is there), removes the key and commits.
     *
     * @return 1 when the key was there, 0 when not, REFUSED when the log refused the record.
     */
    private int erase(final DirectBuffer key, final int keyOffset, final int keyLength) {
        if (!wal.claim(WalRecordDescriptor.TYPE_REMOVE, 0, key, keyOffset, keyLength, null, 0, 0)) {
            return REFUSED;
        }
        final boolean removed = store.remove(key, keyOffset, keyLength);
        commit();
        return removed ? 1 : 0;
    }

    private int replace(final MapRequestDecoder request) {
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final long expireAtMs = currentExpireAtMs(buffer, keyOffset, keyLength);
        if (expireAtMs < 0 || !WalWriter.sameBytes(expiryReader.value(), 0, expiryReader.value().capacity(), buffer,
            request.expectedOffset(), request.expectedLength())) {
            return encoder.booleanResult(request.correlationId(), false);
        }
        final long ttlMs = expireAtMs == 0 ? 0 : Math.max(1, expireAtMs - epochClock.time());
        if (!wal.claim(WalRecordDescriptor.TYPE_PUT, expireAtMs, buffer, keyOffset, keyLength, buffer,
            request.valueOffset(), request.valueLength())) {
            return REFUSED;
        }
        final int result = store.replace(buffer, keyOffset, keyLength, buffer, request.expectedOffset(),
            request.expectedLength(), request.valueOffset(), request.valueLength(), ttlMs);
        if (result < 0) {
            wal.abort();
            return result == OffHeapStore.VALUE_MISMATCH || result == OffHeapStore.NOT_FOUND ?
                encoder.booleanResult(request.correlationId(), false) : -storeError(result);
        }
        commit();
        return encoder.booleanResult(request.correlationId(), true);
    }

    private int expire(final MapRequestDecoder request) {
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final int valueLength = store.getView(buffer, keyOffset, keyLength, valueView);
        if (valueLength < 0) {
            return encoder.booleanResult(request.correlationId(), false);
        }
        valueCopy.putBytes(0, valueView, 0, valueLength);
        final long ttlMs = request.ttlMs();
        // a PUT, not an EXPIRE: replay drops a PUT whose old deadline passed before it meets a later EXPIRE
        if (!wal.claim(WalRecordDescriptor.TYPE_PUT, deadline(ttlMs), buffer, keyOffset, keyLength, valueCopy, 0,
            valueLength)) {
            return REFUSED;
        }
        final int result = store.put(buffer, keyOffset, keyLength, valueCopy, 0, valueLength, ttlMs);
        if (result < 0) {
            wal.abort();
            return -storeError(result);
        }
        commit();
        return encoder.booleanResult(request.correlationId(), true);
    }

    /**
     * MAP_EXPIRE_IF, Redis EXPIRE with NX/XX/GT/LT: the conditions first (a key without TTL counts as never
     * expiring for GT and LT, as in Redis), then a deadline already past removes the key, else the key is written
     * again with the new deadline (a PUT record, as MAP_EXPIRE).
     */
    private int expireIf(final MapRequestDecoder request) {
        final DirectBuffer key = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final long expireAtMs = currentExpireAtMs(key, keyOffset, keyLength);
        if (expireAtMs < 0) {
            return encoder.booleanResult(request.correlationId(), false);
        }
        final int conditions = request.valueLength() == 0 ? 0 : key.getByte(request.valueOffset());
        final long deadline = request.argument();
        final long current = expireAtMs == 0 ? Long.MAX_VALUE : expireAtMs;
        if ((conditions & MapRequestDescriptor.EXPIRE_NX) != 0 && expireAtMs != 0 ||
            (conditions & MapRequestDescriptor.EXPIRE_XX) != 0 && expireAtMs == 0 ||
            (conditions & MapRequestDescriptor.EXPIRE_GT) != 0 && deadline <= current ||
            (conditions & MapRequestDescriptor.EXPIRE_LT) != 0 && deadline >= current) {
            return encoder.booleanResult(request.correlationId(), false);
        }
        if (deadline <= epochClock.time()) {
            return remove(request.correlationId(), key, keyOffset, keyLength);
        }
        final UnsafeBuffer value = expiryReader.value();
        final int valueLength = value.capacity();
        valueCopy.putBytes(0, value, 0, valueLength);
        final int result = writeKeepingDeadline(key, keyOffset, keyLength, valueCopy, 0, valueLength, deadline);
        return result < 0 ? result : encoder.booleanResult(request.correlationId(), true);
    }

    /**
     * MAP_SET_IF, Redis SET with GET and NX/XX or KEEPTTL with XX/GET: the condition on the key's presence, then the
     * put (with the request's TTL, or the key's own under KEEPTTL); under GET the answer is the previous value, copied
     * before the put replaces it.
     */
    private int setIf(final MapRequestDecoder request) {
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final long argument = request.argument();
        final int options = (int)(argument >>> MapRequestDescriptor.SET_IF_OPTIONS_SHIFT);
        final long ttlMs = argument & ((1L << MapRequestDescriptor.SET_IF_OPTIONS_SHIFT) - 1);
        final long expireAtMs = currentExpireAtMs(buffer, keyOffset, keyLength);
        final boolean exists = expireAtMs >= 0;
        final boolean get = (options & MapRequestDescriptor.SET_IF_GET) != 0;
        int oldLength = -1;
        if (get && exists) {
            oldLength = expiryReader.value().capacity();
            valueCopy.putBytes(0, expiryReader.value(), 0, oldLength);
        }
        final boolean allowed = (options & MapRequestDescriptor.SET_IF_NX) != 0 ? !exists :
            (options & MapRequestDescriptor.SET_IF_XX) == 0 || exists;
        if (allowed) {
            final int result = (options & MapRequestDescriptor.SET_IF_KEEPTTL) != 0 ?
                writeKeepingDeadline(buffer, keyOffset, keyLength, buffer, request.valueOffset(),
                    request.valueLength(), expireAtMs) :
                write(buffer, keyOffset, keyLength, buffer, request.valueOffset(), request.valueLength(),
                    deadline(ttlMs), ttlMs);
            if (result < 0) {
                return result;
            }
        }
        if (!get) {
            return encoder.booleanResult(request.correlationId(), allowed);
        }
        return oldLength < 0 ? encoder.notFound(request.correlationId()) :
            encoder.value(request.correlationId(), valueCopy, 0, oldLength);
    }

    /**
     * MAP_RENAME, Redis RENAME/RENAMENX: the source's value and deadline are written under the new key (a PUT with
     * the source's absolute deadline, replacing what the new key held), then the source is removed (a REMOVE), in
     * one step on the executor that owns both keys' slot. A WAL that fails between the two leaves both keys, never
     * neither; in a cluster the request is one Raft entry.
     */
    private int rename(final MapRequestDecoder request) {
        final long correlationId = request.correlationId();
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final int newOffset = request.valueOffset();
        final int newLength = request.valueLength();
        if (KeySlot.slot(buffer, keyOffset, keyLength) != KeySlot.slot(buffer, newOffset, newLength)) {
            return encoder.error(correlationId, ErrorCode.WRONG_PARTITION, CROSS_SLOT, 0, CROSS_SLOT.capacity());
        }
        final long expireAtMs = currentExpireAtMs(buffer, keyOffset, keyLength);
        if (expireAtMs < 0) {
            return encoder.notFound(correlationId);
        }
        final boolean onlyIfNew = (request.argument() & MapRequestDescriptor.RENAME_NX) != 0;
        if (WalWriter.sameBytes(buffer, keyOffset, keyLength, buffer, newOffset, newLength)) {
            return encoder.booleanResult(correlationId, !onlyIfNew);
        }
        final int valueLength = expiryReader.value().capacity();
        valueCopy.putBytes(0, expiryReader.value(), 0, valueLength);
        if (onlyIfNew && store.containsKey(buffer, newOffset, newLength)) {
            return encoder.booleanResult(correlationId, false);
        }
        final int result = writeKeepingDeadline(buffer, newOffset, newLength, valueCopy, 0, valueLength, expireAtMs);
        if (result < 0) {
            return result;
        }
        logDroppedExcept(buffer, newOffset, newLength);
        return erase(buffer, keyOffset, keyLength) == REFUSED ? partlyApplied(correlationId) :
            encoder.booleanResult(correlationId, true);
    }

    /**
     * MAP_GET_AND_EXPIRE, Redis GETEX with an option: the value is copied, then the key's deadline changes (a PUT
     * with the new absolute deadline, none for 0, when it differs from the current one; a REMOVE when it has passed),
     * and the copy is the answer.
     */
    private int getAndExpire(
        final long correlationId, final DirectBuffer key, final int keyOffset, final int keyLength,
        final long deadline) {
        final long expireAtMs = currentExpireAtMs(key, keyOffset, keyLength);
        if (expireAtMs < 0) {
            return encoder.notFound(correlationId);
        }
        final int length = expiryReader.value().capacity();
        valueCopy.putBytes(0, expiryReader.value(), 0, length);
        final long nowMs = epochClock.time();
        if (deadline != 0 && deadline <= nowMs) {
            if (erase(key, keyOffset, keyLength) == REFUSED) {
                return REFUSED;
            }
        } else if (deadline != expireAtMs) {
            final int result = write(key, keyOffset, keyLength, valueCopy, 0, length, deadline,
                deadline == 0 ? 0 : deadline - nowMs);
            if (result < 0) {
                return result;
            }
        }
        return encoder.value(correlationId, valueCopy, 0, length);
    }

    /**
     * MAP_PUT_ALL_IF_ABSENT, Redis MSETNX: when none of the keys exists, a PUT (no TTL) for each pair in order (a key
     * given twice ends with its last value); when the store refuses one, the pairs already put are removed again
     * (they were all absent), so the request puts all or nothing. One step on the executor that owns the slot. Its
     * records are one per pair: a crash while they are written (or a log that fails between them, answered with
     * {@link #PARTLY_APPLIED}) may keep the first pairs only; in a cluster the request is one Raft entry.
     */
    private int putAllIfAbsent(final MapRequestDecoder request) {
        final long correlationId = request.correlationId();
        final DirectBuffer buffer = request.buffer();
        final int slot = KeySlot.slot(buffer, request.keyOffset(), request.keyLength());
        final int start = request.valueOffset();
        final int end = start + request.valueLength();
        boolean anyExists = false;
        int pairs = 0;
        for (int position = start; position < end; pairs++) {
            final int keyOffset = pairKeyOffset(buffer, position, end);
            final int valueOffset = keyOffset < 0 ? -1 : pairValueOffset(buffer, keyOffset, end);
            if (valueOffset < 0) {
                return encoder.error(correlationId, ErrorCode.MALFORMED_FRAME, BAD_PAIRS, 0, BAD_PAIRS.capacity());
            }
            final int keyLength = pairLength(buffer, keyOffset);
            if (position == start && !WalWriter.sameBytes(buffer, keyOffset, keyLength, buffer, request.keyOffset(),
                request.keyLength())) {
                return encoder.error(correlationId, ErrorCode.MALFORMED_FRAME, BAD_PAIRS, 0, BAD_PAIRS.capacity());
            }
            if (KeySlot.slot(buffer, keyOffset, keyLength) != slot) {
                return encoder.error(correlationId, ErrorCode.WRONG_PARTITION, CROSS_SLOT, 0, CROSS_SLOT.capacity());
            }
            anyExists |= store.containsKey(buffer, keyOffset, keyLength);
            position = valueOffset + pairLength(buffer, valueOffset);
        }
        if (anyExists || pairs == 0) {
            return encoder.booleanResult(correlationId, false);
        }
        for (int position = start; position < end; ) {
            final int keyOffset = position + MapRequestDescriptor.PAIR_LENGTH_PREFIX;
            final int keyLength = pairLength(buffer, keyOffset);
            final int valueOffset = keyOffset + keyLength + MapRequestDescriptor.PAIR_LENGTH_PREFIX;
            final int valueLength = pairLength(buffer, valueOffset);
            final int result = write(buffer, keyOffset, keyLength, buffer, valueOffset, valueLength, 0, 0);
            if (result < 0) {
                if (position == start) {
                    return result;
                }
                // the log failed (what was logged stays, as a restart will show it), or the store refused a pair:
                // the pairs already put were all absent, so removing them again undoes the request
                return result == REFUSED || !undoPuts(buffer, start, position) ? partlyApplied(correlationId) : result;
            }
            logDroppedExcept(buffer, keyOffset, keyLength);
            position = valueOffset + valueLength;
        }
        return encoder.booleanResult(correlationId, true);
    }

    /**
     * Removes the keys of the pairs in [start, end) again (MAP_PUT_ALL_IF_ABSENT refused part way).
     *
     * @return false when the log failed meanwhile (the keys from there on stay).
     */
    private boolean undoPuts(final DirectBuffer buffer, final int start, final int end) {
        for (int position = start; position < end; ) {
            final int keyOffset = position + MapRequestDescriptor.PAIR_LENGTH_PREFIX;
            final int keyLength = pairLength(buffer, keyOffset);
            if (erase(buffer, keyOffset, keyLength) == REFUSED) {
                return false;
            }
            final int valueOffset = keyOffset + keyLength + MapRequestDescriptor.PAIR_LENGTH_PREFIX;
            position = valueOffset + pairLength(buffer, valueOffset);
        }
        return true;
    }

    /** The answer to a multi-key write the failed log cut short. */
    private int partlyApplied(final long correlationId) {
        return encoder.error(correlationId, ErrorCode.INTERNAL_ERROR, PARTLY_APPLIED, 0, PARTLY_APPLIED.capacity());
    }

    /** The offset of a packed pair's key, after its length; -1 when the length does not fit before {@code end}. */
    private static int pairKeyOffset(final DirectBuffer buffer, final int position, final int end) {
        if (end - position < MapRequestDescriptor.PAIR_LENGTH_PREFIX) {
            return -1;
        }
        final int keyLength = pairLength(buffer, position + MapRequestDescriptor.PAIR_LENGTH_PREFIX);
        final int keyOffset = position + MapRequestDescriptor.PAIR_LENGTH_PREFIX;
        return keyLength < 0 || keyLength > end - keyOffset ? -1 : keyOffset;
    }

    /** The offset of a packed pair's value, after its length; -1 when it does not fit before {@code end}. */
    private static int pairValueOffset(final DirectBuffer buffer, final int keyOffset, final int end) {
        final int lengthOffset = keyOffset + pairLength(buffer, keyOffset);
        if (end - lengthOffset < MapRequestDescriptor.PAIR_LENGTH_PREFIX) {
            return -1;
        }
        final int valueOffset = lengthOffset + MapRequestDescriptor.PAIR_LENGTH_PREFIX;
        final int valueLength = pairLength(buffer, valueOffset);
        return valueLength < 0 || valueLength > end - valueOffset ? -1 : valueOffset;
    }

    /** The int32 length written just before {@code fieldOffset}. */
    private static int pairLength(final DirectBuffer buffer, final int fieldOffset) {
        return buffer.getInt(fieldOffset - MapRequestDescriptor.PAIR_LENGTH_PREFIX, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Logs the tombstones of keys the store dropped while a multi-key request ran, except the key just written: its
     * PUT record supersedes the drop of its old entry, and a REMOVE after it would delete it at replay.
     */
    private void logDroppedExcept(final DirectBuffer key, final int keyOffset, final int keyLength) {
        if (dropped.count() != 0) {
            wal.appendDropped(dropped, key, keyOffset, keyLength);
        }
    }

    private int ttl(final long correlationId, final DirectBuffer key, final int keyOffset, final int keyLength) {
        final long expireAtMs = currentExpireAtMs(key, keyOffset, keyLength);
        if (expireAtMs < 0) {
            return encoder.notFound(correlationId);
        }
        return encoder.longResult(correlationId, expireAtMs == 0 ? 0 : Math.max(1, expireAtMs - epochClock.time()));
    }

    /** MAP_INCREMENT, Redis INCRBY: see {@link Opcodes#MAP_INCREMENT}. */
    private int increment(final MapRequestDecoder request) {
        final DirectBuffer key = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final long expireAtMs = currentExpireAtMs(key, keyOffset, keyLength);
        long current = 0;
        if (expireAtMs >= 0) {
            final UnsafeBuffer value = expiryReader.value();
            if (!decimal.parse(value, 0, value.capacity())) {
                return -ErrorCode.NOT_AN_INTEGER;
            }
            current = decimal.value();
        }
        final long delta = request.argument();
        final long sum = current + delta;
        if (((current ^ sum) & (delta ^ sum)) < 0) {
            return -ErrorCode.INTEGER_OVERFLOW;
        }
        final int length = DecimalInteger.length(sum);
        if (length > maxValueLength) {
            return -ErrorCode.VALUE_TOO_LONG;
        }
        DecimalInteger.write(sum, valueCopy, 0);
        final int result = writeKeepingDeadline(key, keyOffset, keyLength, valueCopy, 0, length, expireAtMs);
        return result < 0 ? result : encoder.longResult(request.correlationId(), sum);
    }

    /**
     * MAP_INCREMENT_FLOAT, Redis INCRBYFLOAT: the increment is checked first, then the value (a missing key counts as
     * 0), as Redis does; the sum is stored as text keeping the deadline. Allocates (see {@link LongDouble}).
     */
    private int incrementFloat(final MapRequestDecoder request) {
        final DirectBuffer key = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final LongDouble.Parsed increment = LongDouble.parse(key, request.valueOffset(), request.valueLength());
        if (increment.kind() == LongDouble.Kind.INVALID) {
            return -ErrorCode.NOT_A_FLOAT;
        }
        final long expireAtMs = currentExpireAtMs(key, keyOffset, keyLength);
        LongDouble.Parsed current = null;
        if (expireAtMs >= 0) {
            final UnsafeBuffer value = expiryReader.value();
            current = LongDouble.parse(value, 0, value.capacity());
            if (current.kind() == LongDouble.Kind.INVALID) {
                return -ErrorCode.NOT_A_FLOAT;
            }
        }
        if (increment.kind() == LongDouble.Kind.INFINITE ||
            current != null && current.kind() == LongDouble.Kind.INFINITE) {
            return -ErrorCode.NAN_OR_INFINITY;
        }
        final java.math.BigDecimal sum = LongDouble.round(current == null ? increment.value() :
            current.value().add(increment.value()));
        if (sum == LongDouble.INFINITE) {
            return -ErrorCode.NAN_OR_INFINITY;
        }
        final byte[] text = LongDouble.format(sum).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (text.length > maxValueLength) {
            return -ErrorCode.VALUE_TOO_LONG;
        }
        valueCopy.putBytes(0, text);
        final int result = writeKeepingDeadline(key, keyOffset, keyLength, valueCopy, 0, text.length, expireAtMs);
        return result < 0 ? result : encoder.value(request.correlationId(), valueCopy, 0, text.length);
    }

    /** MAP_APPEND, Redis APPEND: see {@link Opcodes#MAP_APPEND}. */
    private int append(final MapRequestDecoder request) {
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final int valueLength = request.valueLength();
        final long expireAtMs = currentExpireAtMs(buffer, keyOffset, keyLength);
        final int result;
        final int length;
        if (expireAtMs < 0) {
            length = valueLength;
            result = writeKeepingDeadline(buffer, keyOffset, keyLength, buffer, request.valueOffset(), valueLength,
                expireAtMs);
        } else {
            final UnsafeBuffer current = expiryReader.value();
            final int currentLength = current.capacity();
            if ((long)currentLength + valueLength > maxValueLength) {
                return -ErrorCode.VALUE_TOO_LONG;
            }
            length = currentLength + valueLength;
            valueCopy.putBytes(0, current, 0, currentLength);
            valueCopy.putBytes(currentLength, buffer, request.valueOffset(), valueLength);
            result = writeKeepingDeadline(buffer, keyOffset, keyLength, valueCopy, 0, length, expireAtMs);
        }
        return result < 0 ? result : encoder.longResult(request.correlationId(), length);
    }

    /** MAP_GET_AND_PUT, Redis GETSET: puts as MAP_PUT does and answers the previous value. */
    private int getAndPut(final MapRequestDecoder request) {
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final int previousLength = store.getView(buffer, keyOffset, keyLength, valueView);
        if (previousLength >= 0) {
            valueCopy.putBytes(0, valueView, 0, previousLength);
        }
        final long ttlMs = request.ttlMs();
        final int result = write(buffer, keyOffset, keyLength, buffer, request.valueOffset(), request.valueLength(),
            deadline(ttlMs), ttlMs);
        if (result < 0) {
            return result;
        }
        return previousLength < 0 ? encoder.notFound(request.correlationId()) :
            encoder.value(request.correlationId(), valueCopy, 0, previousLength);
    }

    /** MAP_GET_AND_REMOVE, Redis GETDEL: logs a REMOVE whether it found the key or not, as MAP_REMOVE does. */
    private int getAndRemove(
        final long correlationId, final DirectBuffer key, final int keyOffset, final int keyLength) {
        final int valueLength = store.getView(key, keyOffset, keyLength, valueView);
        if (valueLength >= 0) {
            valueCopy.putBytes(0, valueView, 0, valueLength);
        }
        if (erase(key, keyOffset, keyLength) == REFUSED) {
            return REFUSED;
        }
        return valueLength < 0 ? encoder.notFound(correlationId) :
            encoder.value(correlationId, valueCopy, 0, valueLength);
    }

    /** MAP_PUT_IF_PRESENT, Redis SET XX: puts as MAP_PUT does when the key has a live entry. */
    private int putIfPresent(final MapRequestDecoder request) {
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        if (!store.containsKey(buffer, keyOffset, keyLength)) {
            return encoder.booleanResult(request.correlationId(), false);
        }
        final long ttlMs = request.ttlMs();
        final int result = write(buffer, keyOffset, keyLength, buffer, request.valueOffset(), request.valueLength(),
            deadline(ttlMs), ttlMs);
        return result < 0 ? result : encoder.booleanResult(request.correlationId(), true);
    }

    /** MAP_PERSIST, Redis PERSIST: true only when the key had a TTL, which is then gone. */
    private int persist(final long correlationId, final DirectBuffer key, final int keyOffset, final int keyLength) {
        if (currentExpireAtMs(key, keyOffset, keyLength) <= 0) {
            return encoder.booleanResult(correlationId, false);
        }
        final UnsafeBuffer current = expiryReader.value();
        final int length = current.capacity();
        valueCopy.putBytes(0, current, 0, length);
        final int result = write(key, keyOffset, keyLength, valueCopy, 0, length, 0, 0);
        return result < 0 ? result : encoder.booleanResult(correlationId, true);
    }

    /** MAP_SET_RANGE, Redis SETRANGE: see {@link Opcodes#MAP_SET_RANGE}. */
    private int setRange(final MapRequestDecoder request) {
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final int valueLength = request.valueLength();
        final long offset = request.argument();
        final long expireAtMs = currentExpireAtMs(buffer, keyOffset, keyLength);
        final int currentLength = expireAtMs < 0 ? 0 : expiryReader.value().capacity();
        if (valueLength == 0) {
            return encoder.longResult(request.correlationId(), currentLength);
        }
        if (offset > maxValueLength - valueLength) {
            return -ErrorCode.VALUE_TOO_LONG;
        }
        final int start = (int)offset;
        final int length = Math.max(currentLength, start + valueLength);
        if (currentLength > 0) {
            valueCopy.putBytes(0, expiryReader.value(), 0, currentLength);
        }
        if (start > currentLength) {
            valueCopy.setMemory(currentLength, start - currentLength, (byte)0);
        }
        valueCopy.putBytes(start, buffer, request.valueOffset(), valueLength);
        final int result = writeKeepingDeadline(buffer, keyOffset, keyLength, valueCopy, 0, length, expireAtMs);
        return result < 0 ? result : encoder.longResult(request.correlationId(), length);
    }

    /** MAP_PUT_KEEP_TTL, Redis SET KEEPTTL: puts and keeps the live key's deadline (none for a new key). */
    private int putKeepTtl(final MapRequestDecoder request) {
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final long expireAtMs = currentExpireAtMs(buffer, keyOffset, keyLength);
        final int result = writeKeepingDeadline(buffer, keyOffset, keyLength, buffer, request.valueOffset(),
            request.valueLength(), expireAtMs);
        return result < 0 ? result : encoder.ok(request.correlationId());
    }

    /**
     * Stores a value keeping a deadline read from the store: a PUT record with that deadline, and the TTL left until
     * it (the key is live, so the deadline is ahead of the clock).
     *
     * @param expireAtMs the deadline, 0 for none, negative for a key that had no entry (stored without TTL).
     * @return 0 when stored, else REFUSED or minus an error code.
     */
    private int writeKeepingDeadline(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long expireAtMs) {
        final long deadline = Math.max(0, expireAtMs);
        final long ttlMs = deadline == 0 ? 0 : Math.max(1, deadline - epochClock.time());
        return write(key, keyOffset, keyLength, value, valueOffset, valueLength, deadline, ttlMs);
    }

    /**
     * Claims a PUT record, stores the value (never a view of the store) and commits, or aborts when the store refuses.
     *
     * @return 0 when stored, else REFUSED or minus an error code.
     */
    private int write(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long deadline,
        final long ttlMs) {
        if (!wal.claim(WalRecordDescriptor.TYPE_PUT, deadline, key, keyOffset, keyLength, value, valueOffset,
            valueLength)) {
            return REFUSED;
        }
        final int result = store.put(key, keyOffset, keyLength, value, valueOffset, valueLength, ttlMs);
        if (result < 0) {
            wal.abort();
            return -storeError(result);
        }
        commit();
        return 0;
    }

    private void commit() {
        wal.commit();
        wrote = true;
        committed = true;
    }

    private long currentExpireAtMs(final DirectBuffer key, final int keyOffset, final int keyLength) {
        return expiryReader.read(store, key, keyOffset, keyLength, entryView);
    }

    private long deadline(final long ttlMs) {
        if (ttlMs == 0) {
            return 0;
        }
        final long nowMs = epochClock.time();
        return ttlMs > Long.MAX_VALUE - nowMs ? Long.MAX_VALUE : nowMs + ttlMs;
    }

    private static int storeError(final int result) {
        return switch (result) {
            case OffHeapStore.STORE_FULL, OffHeapStore.TOO_LARGE -> ErrorCode.STORE_FULL;
            case OffHeapStore.INVALID_TTL -> ErrorCode.INVALID_ARGUMENT;
            default -> ErrorCode.INTERNAL_ERROR;
        };
    }
}
