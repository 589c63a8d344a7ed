package io.loomcache.server.executor;

import static io.loomcache.server.executor.WalRecordDescriptor.EXPIRE_AT_MS_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.HEADER_LENGTH;
import static io.loomcache.server.executor.WalRecordDescriptor.KEY_LENGTH_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.KEY_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.VALUE_LENGTH_OFFSET;

import java.io.IOException;

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
 * entry whose TTL ran out while the node was down is dropped (and removes any older value of its key). Runs on
 * the thread that builds the executor, before the executor thread starts.
 */
public final class StoreRecovery implements RecordHandler {
    private final OffHeapStore store;
    private final EpochClock epochClock;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);
    private UnsafeBuffer valueCopy = new UnsafeBuffer(new byte[1024]);
    private long snapshotEntries;
    private long replayedRecords;

    /**
     * Creates a recovery for one store.
     *
     * @param store the empty store to fill.
     * @param epochClock the store's clock.
     */
    public StoreRecovery(final OffHeapStore store, final EpochClock epochClock) {
        this.store = store;
        this.epochClock = epochClock;
    }

    /**
     * Loads the snapshot and replays the log tail.
     *
     * @param log the executor's open log.
     * @throws IOException when the snapshot cannot be read.
     */
    public void recover(final WriteAheadLog log) throws IOException {
        long fromIndex = log.firstIndex();
        try (Snapshot snapshot = log.loadLatestSnapshot()) {
            if (snapshot != null) {
                loadSnapshot(snapshot);
                fromIndex = snapshot.lastIncludedIndex() + 1;
            }
        }
        replayedRecords = log.replay(fromIndex, this);
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
            applyPut(view, KEY_OFFSET, keyLength, view, KEY_OFFSET + keyLength, valueLength, expireAtMs);
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
                applyPut(buffer, keyOffset, keyLength, buffer, keyOffset + keyLength, valueLength, expireAtMs);
            case WalRecordDescriptor.TYPE_REMOVE -> store.remove(buffer, keyOffset, keyLength);
            case WalRecordDescriptor.TYPE_EXPIRE -> applyExpire(buffer, keyOffset, keyLength, expireAtMs);
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
        final long expireAtMs) {
        final long ttlMs = remainingMs(expireAtMs);
        if (ttlMs < 0) {
            store.remove(key, keyOffset, keyLength);
        } else {
            store.put(key, keyOffset, keyLength, value, valueOffset, valueLength, ttlMs);
        }
    }

    private void applyExpire(final DirectBuffer key, final int keyOffset, final int keyLength, final long expireAtMs) {
        final int valueLength = store.getView(key, keyOffset, keyLength, valueView);
        if (valueLength < 0) {
            return;
        }
        if (valueCopy.capacity() < valueLength) {
            valueCopy = new UnsafeBuffer(new byte[valueLength]);
        }
        valueCopy.putBytes(0, valueView, 0, valueLength);
        applyPut(key, keyOffset, keyLength, valueCopy, 0, valueLength, expireAtMs);
    }

    private long remainingMs(final long expireAtMs) {
        if (expireAtMs == 0) {
            return 0;
        }
        final long remaining = expireAtMs - epochClock.time();
        return remaining > 0 ? remaining : -1;
    }
}
