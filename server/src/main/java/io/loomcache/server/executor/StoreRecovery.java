package io.loomcache.server.executor;

import static io.loomcache.server.executor.WalRecordDescriptor.EXPIRE_AT_MS_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.HEADER_LENGTH;
import static io.loomcache.server.executor.WalRecordDescriptor.KEY_LENGTH_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.KEY_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.VALUE_LENGTH_OFFSET;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.store.OffHeapStore;
import io.loomcache.wal.RecordHandler;
import io.loomcache.wal.Snapshot;
import io.loomcache.wal.WriteAheadLog;

/**
 * Rebuilds an executor's store at start: loads the newest valid snapshot (entries laid out as
 * {@link WalRecordDescriptor} PUT payloads), then replays the WAL records after it. Deadlines are absolute, so an
 * entry whose TTL ran out while the node was down is dropped (and removes any older value of its key); such drops,
 * and evictions, have no tombstone in the log, so the caller pins them with a snapshot ({@link #expiredEntries()}).
 * <p>
 * Recovery refuses, with an IOException naming the directory, rather than start with silently missing data: when
 * the log does not start right after the snapshot (records between them are gone, e.g. a newer snapshot was corrupt
 * and the segments it covered were deleted) or ends before it, and when the store refuses an entry (STORE_FULL or
 * TOO_LARGE: the settings shrank since the data was written).
 * <p>
 * Replay does not rebuild the slab layout the store had (which blocks were free, which spare chunks it kept, how
 * large each chunk was cut near the cap), so entries that fitted the first time may need somewhat more room now.
 * As Redis ignores maxmemory while it loads, recovery lets the store pass its cap by an eighth
 * ({@link #HEADROOM_DIVISOR}) and sets the cap back afterwards; a store left above it then makes room under the cap
 * before each write that needs more memory (evicting, or refusing under eviction policy none). Beyond that headroom
 * the store refuses, or evicts under LRU and LFU, which the caller sees on the store's listener. Runs on the thread
 * that builds the executor, before the executor thread starts.
 */
public final class StoreRecovery implements RecordHandler {
    /** The store may pass its cap by this fraction of it while recovering. */
    public static final int HEADROOM_DIVISOR = 8;

    private final OffHeapStore store;
    private final EpochClock epochClock;
    private final String source;
    private final String limits;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);
    private UnsafeBuffer valueCopy = new UnsafeBuffer(new byte[1024]);
    private long snapshotIndex = -1;
    private long snapshotEntries;
    private long replayedRecords;
    private long expiredEntries;

    /**
     * Creates a recovery for one store, whose refusals name no directory or settings.
     *
     * @param store the empty store to fill.
     * @param epochClock the store's clock.
     */
    public StoreRecovery(final OffHeapStore store, final EpochClock epochClock) {
        this(store, epochClock, "the WAL", "the store's limits");
    }

    /**
     * Creates a recovery for one store.
     *
     * @param store the empty store to fill.
     * @param epochClock the store's clock.
     * @param source the log's directory, for messages.
     * @param limits the settings that bound the store, for messages, e.g. "--max-memory 1m (...)".
     */
    public StoreRecovery(final OffHeapStore store, final EpochClock epochClock, final String source,
        final String limits) {
        this.store = store;
        this.epochClock = epochClock;
        this.source = source;
        this.limits = limits;
    }

    /**
     * Loads the snapshot and replays the log tail.
     *
     * @param log the executor's open log.
     * @throws IOException when the snapshot cannot be read, when records between the snapshot and the log are
     *     missing, or when the store refuses an entry; the message names the directory and the cause.
     */
    public void recover(final WriteAheadLog log) throws IOException {
        final long maxMemoryBytes = store.maxMemoryBytes();
        store.maxMemoryBytes(maxMemoryBytes + maxMemoryBytes / HEADROOM_DIVISOR);
        try {
            load(log);
        } finally {
            store.maxMemoryBytes(maxMemoryBytes);
        }
    }

    private void load(final WriteAheadLog log) throws IOException {
        long fromIndex = 1;
        try (Snapshot snapshot = log.loadLatestSnapshot()) {
            if (snapshot != null) {
                snapshotIndex = snapshot.lastIncludedIndex();
                fromIndex = snapshotIndex + 1;
                checkContiguous(log, snapshot.lastIncludedIndex());
                loadSnapshot(snapshot);
            } else {
                checkContiguous(log, 0);
            }
        } catch (final UncheckedIOException ex) {
            throw ex.getCause();
        }
        try {
            replayedRecords = log.replay(fromIndex, this);
        } catch (final UncheckedIOException ex) {
            throw ex.getCause();
        }
    }

    /**
     * Entries loaded from the snapshot.
     *
     * @return the count.
     */
    public long snapshotEntries() {
        return snapshotEntries;
    }

    /**
     * WAL records replayed after the snapshot.
     *
     * @return the count.
     */
    public long replayedRecords() {
        return replayedRecords;
    }

    /**
     * Snapshot entries and PUT or EXPIRE records whose deadline had passed, so that recovery dropped them without
     * a tombstone: a later recovery under a clock set back would bring them back unless a snapshot now covers them.
     *
     * @return the count.
     */
    public long expiredEntries() {
        return expiredEntries;
    }

    private void checkContiguous(final WriteAheadLog log, final long snapshotIndex) throws IOException {
        final String snapshot = snapshotIndex == 0 ? "there is no valid snapshot" :
            "the newest valid snapshot ends at index " + snapshotIndex;
        if (log.firstIndex() > snapshotIndex + 1) {
            throw new IOException("recovery of " + source + " refused: " + snapshot + " but the log starts at index " +
                log.firstIndex() + ", so records " + (snapshotIndex + 1) + " to " + (log.firstIndex() - 1) +
                " are missing (was a newer snapshot corrupt or deleted?); restore them, or move the directory away " +
                "to start empty");
        }
        if (log.lastAppendedIndex() < snapshotIndex) {
            throw new IOException("recovery of " + source + " refused: " + snapshot + " but the log ends at index " +
                log.lastAppendedIndex() + ", so new records would be hidden behind the snapshot (were segments " +
                "deleted?); restore them, or move the directory away to start empty");
        }
    }

    private void loadSnapshot(final Snapshot snapshot) {
        final long bodyLength = snapshot.bodyLength();
        long position = 0;
        while (position + HEADER_LENGTH <= bodyLength) {
            snapshot.wrapBody(view, position, HEADER_LENGTH);
            final long expireAtMs = view.getLong(EXPIRE_AT_MS_OFFSET);
            final int keyLength = view.getInt(KEY_LENGTH_OFFSET);
            final int valueLength = view.getInt(VALUE_LENGTH_OFFSET);
            final int length = WalRecordDescriptor.length(keyLength, valueLength);
            snapshot.wrapBody(view, position, length);
            applyPut(view, KEY_OFFSET, keyLength, view, KEY_OFFSET + keyLength, valueLength, expireAtMs, -1);
            snapshotEntries++;
            position += length;
        }
    }

    @Override
    public void onRecord(
        final int type,
        final long term,
        final long index,
        final DirectBuffer buffer,
        final int offset,
        final int payloadLength) {
        final long expireAtMs = buffer.getLong(offset + EXPIRE_AT_MS_OFFSET);
        final int keyLength = buffer.getInt(offset + KEY_LENGTH_OFFSET);
        final int valueLength = buffer.getInt(offset + VALUE_LENGTH_OFFSET);
        final int keyOffset = offset + KEY_OFFSET;
        switch (type) {
            case WalRecordDescriptor.TYPE_PUT ->
                applyPut(buffer, keyOffset, keyLength, buffer, keyOffset + keyLength, valueLength, expireAtMs, index);
            case WalRecordDescriptor.TYPE_REMOVE -> store.remove(buffer, keyOffset, keyLength);
            case WalRecordDescriptor.TYPE_EXPIRE -> applyExpire(buffer, keyOffset, keyLength, expireAtMs, index);
            case WalRecordDescriptor.TYPE_CLEAR -> store.clear();
            default -> throw new IllegalStateException("unknown WAL record type " + type + " at index " + index);
        }
    }

    private void applyPut(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long expireAtMs,
        final long index) {
        final long ttlMs = remainingMs(expireAtMs);
        if (ttlMs < 0) {
            store.remove(key, keyOffset, keyLength);
            expiredEntries++;
            return;
        }
        final int result = store.put(key, keyOffset, keyLength, value, valueOffset, valueLength, ttlMs);
        if (result < 0) {
            throw new UncheckedIOException(refusal(result, index, keyLength, valueLength));
        }
    }

    private void applyExpire(
        final DirectBuffer key, final int keyOffset, final int keyLength, final long expireAtMs, final long index) {
        final int valueLength = store.getView(key, keyOffset, keyLength, valueView);
        if (valueLength < 0) {
            return;
        }
        if (valueCopy.capacity() < valueLength) {
            valueCopy = new UnsafeBuffer(new byte[valueLength]);
        }
        valueCopy.putBytes(0, valueView, 0, valueLength);
        applyPut(key, keyOffset, keyLength, valueCopy, 0, valueLength, expireAtMs, index);
    }

    /**
     * The refusal of a WAL record, or of the snapshot entry being loaded when {@code index} is -1.
     */
    private IOException refusal(final int result, final long index, final int keyLength, final int valueLength) {
        final String cause = switch (result) {
            case OffHeapStore.STORE_FULL -> "STORE_FULL (the memory cap is reached and the eviction policy is none)";
            case OffHeapStore.TOO_LARGE -> "TOO_LARGE (longer than the key or value limit, or larger than the " +
                "memory cap)";
            default -> "result " + result;
        };
        final String where = index < 0 ?
            "entry " + snapshotEntries + " of the snapshot at index " + snapshotIndex : "WAL record " + index;
        return new IOException("recovery of " + source + " needs more than " + limits + ": the store refused " +
            where + " (a " + keyLength + "-byte key with a " + valueLength + "-byte value) with " + cause + " after " +
            store.size() + " entries (" + store.usedBytes() + " bytes in use, " + store.nativeBytesReserved() +
            " reserved) were recovered; start with settings that " +
            "hold the data, or move the directory away to start empty");
    }

    private long remainingMs(final long expireAtMs) {
        if (expireAtMs == 0) {
            return 0;
        }
        final long remaining = expireAtMs - epochClock.time();
        return remaining > 0 ? remaining : -1;
    }
}
