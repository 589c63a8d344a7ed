package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.store.OffHeapStore;
import io.loomcache.store.StoreContext;
import io.loomcache.wal.FsyncPolicy;
import io.loomcache.wal.WalContext;
import io.loomcache.wal.WriteAheadLog;

class StoreRecoveryTest {
    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();

    private OffHeapStore store() {
        return new OffHeapStore(new StoreContext().maxMemoryBytes(8L * 1024 * 1024).epochClock(clock));
    }

    private WriteAheadLog log() throws Exception {
        return WriteAheadLog.open(new WalContext().directory(dir).segmentLength(64 * 1024)
            .fsyncPolicy(FsyncPolicy.BATCH).epochClock(clock));
    }

    private static UnsafeBuffer bytes(final String text) {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void put(final OffHeapStore store, final WalWriter wal, final String key, final String value,
        final long expireAtMs, final long nowMs) {
        final UnsafeBuffer k = bytes(key);
        final UnsafeBuffer v = bytes(value);
        store.put(k, 0, k.capacity(), v, 0, v.capacity(), expireAtMs == 0 ? 0 : expireAtMs - nowMs);
        assertTrue(wal.append(WalRecordDescriptor.TYPE_PUT, expireAtMs, k, 0, k.capacity(), v, 0, v.capacity()));
    }

    private static String get(final OffHeapStore store, final String key) {
        final UnsafeBuffer k = bytes(key);
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        final int length = store.getView(k, 0, k.capacity(), view);
        return length < 0 ? null : view.getStringWithoutLengthUtf8(0, length);
    }

    @Test
    void shouldRebuildTheStoreFromTheSnapshotAndTheRecordsAfterIt() throws Exception {
        clock.update(1_000_000);
        try (WriteAheadLog log = log(); OffHeapStore store = store()) {
            final WalWriter wal = new WalWriter(log);
            for (int i = 0; i < 300; i++) {
                put(store, wal, "key-" + i, "value-" + i, 0, clock.time());
            }
            put(store, wal, "expiring", "soon", clock.time() + 1_000, clock.time());
            final StoreSnapshotWriter snapshot = new StoreSnapshotWriter(store);
            log.writeSnapshot(log.lastAppendedIndex(), 0, snapshot);
            assertEquals(301, snapshot.entries());
            log.deleteSegmentsUpTo(log.lastAppendedIndex());
            put(store, wal, "key-0", "changed", 0, clock.time());
            final UnsafeBuffer removed = bytes("key-1");
            store.remove(removed, 0, removed.capacity());
            wal.append(WalRecordDescriptor.TYPE_REMOVE, 0, removed, 0, removed.capacity(), null, 0, 0);
            final UnsafeBuffer renewed = bytes("key-2");
            wal.append(WalRecordDescriptor.TYPE_EXPIRE, clock.time() + 5_000, renewed, 0, renewed.capacity(), null,
                0, 0);
            put(store, wal, "tail-only", "t", clock.time() + 500, clock.time());
            log.force();
        }
        clock.update(1_000_700);
        try (WriteAheadLog log = log(); OffHeapStore store = store()) {
            final StoreRecovery recovery = new StoreRecovery(store, clock);
            recovery.recover(log);
            assertEquals(301, recovery.snapshotEntries());
            assertEquals(4, recovery.replayedRecords());
            assertEquals("changed", get(store, "key-0"));
            assertEquals(null, get(store, "key-1"));
            assertEquals("value-2", get(store, "key-2"));
            assertEquals("value-299", get(store, "key-299"));
            assertEquals("soon", get(store, "expiring"), "300 ms of its TTL are left");
            assertEquals(null, get(store, "tail-only"), "its deadline passed while the node was down");
            clock.update(1_001_000);
            assertEquals(null, get(store, "expiring"));
            clock.update(1_004_999);
            assertEquals("value-2", get(store, "key-2"));
            clock.update(1_005_000);
            assertFalse(get(store, "key-2") != null, "the EXPIRE deadline holds after replay");
        }
    }
}
