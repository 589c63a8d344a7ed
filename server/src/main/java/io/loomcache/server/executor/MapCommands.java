package io.loomcache.server.executor;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.MapRequestDecoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ResponseEncoder;
import io.loomcache.store.OffHeapStore;

/**
 * Applies one decoded map request to an executor's store, logs its effect through the {@link WalWriter} and
 * encodes the response (or the fan-out partial) into the {@link ResponseStaging} area. The log holds effects with
 * absolute deadlines: put-if-absent and replace that succeed are PUTs, failed conditional writes log nothing.
 * A write the store applied but the WAL refused is answered INTERNAL_ERROR (outcome unknown). Owned by the
 * executor thread; allocation-free.
 */
public final class MapCommands {
    private final OffHeapStore store;
    private final WalWriter wal;
    private final ResponseStaging staging;
    private final EpochClock epochClock;
    private final ResponseEncoder encoder;
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer entryView = new UnsafeBuffer(0, 0);
    private final MutableDirectBuffer valueCopy;
    private final ExpiryReader expiryReader = new ExpiryReader();
    private boolean wrote;

    /**
     * Creates the command set of one executor.
     *
     * @param store the executor's store.
     * @param wal the executor's log writer.
     * @param staging the executor's response area.
     * @param epochClock the store's clock, for TTL deadlines.
     * @param encoder the executor's response encoder, built with the node's limits.
     * @param maxValueLength the largest value, for the copy buffer of MAP_EXPIRE.
     */
    public MapCommands(
        final OffHeapStore store,
        final WalWriter wal,
        final ResponseStaging staging,
        final EpochClock epochClock,
        final ResponseEncoder encoder,
        final int maxValueLength) {
        this.store = store;
        this.wal = wal;
        this.staging = staging;
        this.epochClock = epochClock;
        this.encoder = encoder;
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
        encoder.wrap(staging.buffer(), staging.frameOffset());
        final long correlationId = request.correlationId();
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final int length = switch (request.opcode()) {
            case Opcodes.MAP_GET -> get(correlationId, buffer, keyOffset, keyLength);
            case Opcodes.MAP_PUT -> put(request, false);
            case Opcodes.MAP_PUT_IF_ABSENT -> put(request, true);
            case Opcodes.MAP_REMOVE -> remove(correlationId, buffer, keyOffset, keyLength);
            case Opcodes.MAP_REPLACE -> replace(request);
            case Opcodes.MAP_CONTAINS_KEY ->
                encoder.booleanResult(correlationId, store.containsKey(buffer, keyOffset, keyLength));
            case Opcodes.MAP_EXPIRE -> expire(request);
            case Opcodes.MAP_TTL -> ttl(correlationId, buffer, keyOffset, keyLength);
            default -> encoder.error(correlationId, ErrorCode.UNSUPPORTED_OPERATION);
        };
        return length >= 0 ? length : encoder.error(correlationId, -length);
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
     * Runs this executor's part of MAP_SIZE.
     *
     * @return entries in the store (expired ones not yet swept included).
     */
    public long size() {
        wrote = false;
        return store.size();
    }

    /**
     * Runs this executor's part of MAP_CLEAR.
     *
     * @return {@link ErrorCode#NONE}, or INTERNAL_ERROR when the WAL refused the record.
     */
    public int clear() {
        store.clear();
        wrote = true;
        return wal.append(WalRecordDescriptor.TYPE_CLEAR, 0, null, 0, 0, null, 0, 0) ?
            ErrorCode.NONE : ErrorCode.INTERNAL_ERROR;
    }

    private int get(final long correlationId, final DirectBuffer key, final int keyOffset, final int keyLength) {
        final int valueLength = store.getView(key, keyOffset, keyLength, valueView);
        return valueLength < 0 ? encoder.notFound(correlationId) :
            encoder.value(correlationId, valueView, 0, valueLength);
    }

    private int put(final MapRequestDecoder request, final boolean ifAbsent) {
        final DirectBuffer buffer = request.buffer();
        final long ttlMs = request.ttlMs();
        final long expireAtMs = deadline(ttlMs);
        final int result = ifAbsent ?
            store.putIfAbsent(buffer, request.keyOffset(), request.keyLength(), buffer, request.valueOffset(),
                request.valueLength(), ttlMs) :
            store.put(buffer, request.keyOffset(), request.keyLength(), buffer, request.valueOffset(),
                request.valueLength(), ttlMs);
        if (result == OffHeapStore.KEY_EXISTS) {
            return encoder.booleanResult(request.correlationId(), false);
        }
        if (result < 0) {
            return -storeError(result);
        }
        if (!logPut(buffer, request.keyOffset(), request.keyLength(), buffer, request.valueOffset(),
            request.valueLength(), expireAtMs)) {
            return -ErrorCode.INTERNAL_ERROR;
        }
        return ifAbsent ? encoder.booleanResult(request.correlationId(), true) : encoder.ok(request.correlationId());
    }

    private int remove(final long correlationId, final DirectBuffer key, final int keyOffset, final int keyLength) {
        if (!store.remove(key, keyOffset, keyLength)) {
            return encoder.booleanResult(correlationId, false);
        }
        wrote = true;
        if (!wal.append(WalRecordDescriptor.TYPE_REMOVE, 0, key, keyOffset, keyLength, null, 0, 0)) {
            return -ErrorCode.INTERNAL_ERROR;
        }
        return encoder.booleanResult(correlationId, true);
    }

    private int replace(final MapRequestDecoder request) {
        final DirectBuffer buffer = request.buffer();
        final int keyOffset = request.keyOffset();
        final int keyLength = request.keyLength();
        final long expireAtMs = currentExpireAtMs(buffer, keyOffset, keyLength);
        if (expireAtMs < 0) {
            return encoder.booleanResult(request.correlationId(), false);
        }
        final long nowMs = epochClock.time();
        final long ttlMs = expireAtMs == 0 ? 0 : Math.max(1, expireAtMs - nowMs);
        final int result = store.replace(buffer, keyOffset, keyLength, buffer, request.expectedOffset(),
            request.expectedLength(), request.valueOffset(), request.valueLength(), ttlMs);
        if (result == OffHeapStore.VALUE_MISMATCH || result == OffHeapStore.NOT_FOUND) {
            return encoder.booleanResult(request.correlationId(), false);
        }
        if (result < 0) {
            return -storeError(result);
        }
        if (!logPut(buffer, keyOffset, keyLength, buffer, request.valueOffset(), request.valueLength(), expireAtMs)) {
            return -ErrorCode.INTERNAL_ERROR;
        }
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
        final int result = store.put(buffer, keyOffset, keyLength, valueCopy, 0, valueLength, ttlMs);
        if (result < 0) {
            return -storeError(result);
        }
        wrote = true;
        if (!wal.append(WalRecordDescriptor.TYPE_EXPIRE, deadline(ttlMs), buffer, keyOffset, keyLength, null, 0, 0)) {
            return -ErrorCode.INTERNAL_ERROR;
        }
        return encoder.booleanResult(request.correlationId(), true);
    }

    private int ttl(final long correlationId, final DirectBuffer key, final int keyOffset, final int keyLength) {
        final long expireAtMs = currentExpireAtMs(key, keyOffset, keyLength);
        if (expireAtMs < 0) {
            return encoder.notFound(correlationId);
        }
        return encoder.longResult(correlationId, expireAtMs == 0 ? 0 : Math.max(1, expireAtMs - epochClock.time()));
    }

    private boolean logPut(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long expireAtMs) {
        wrote = true;
        return wal.append(WalRecordDescriptor.TYPE_PUT, expireAtMs, key, keyOffset, keyLength, value, valueOffset,
            valueLength);
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
