package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.store.EvictionPolicy;
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
        assertTrue(wal.claim(WalRecordDescriptor.TYPE_PUT, expireAtMs, k, 0, k.capacity(), v, 0, v.capacity()));
        wal.commit();
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
            wal.appendKey(WalRecordDescriptor.TYPE_REMOVE, 0, removed, 0, removed.capacity());
            final UnsafeBuffer renewed = bytes("key-2");
            wal.appendKey(WalRecordDescriptor.TYPE_EXPIRE, clock.time() + 5_000, renewed, 0, renewed.capacity());
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
    /**
     * Issue 9: with the newest snapshot corrupt and the segments it covered deleted, recovery loaded the older
     * snapshot and replayed from the first record left, silently skipping the records in between.
     */
    @Test
    void shouldRefuseToRecoverWhenRecordsBetweenTheSnapshotAndTheLogAreMissing() throws Exception {
        clock.update(1_000_000);
        final String value = "v".repeat(2_000);
        try (WriteAheadLog log = log(); OffHeapStore store = store()) {
            final WalWriter wal = new WalWriter(log);
            for (int i = 0; i < 10; i++) {
                put(store, wal, "key-" + i, value, 0, clock.time());
            }
            log.writeSnapshot(log.lastAppendedIndex(), 0, new StoreSnapshotWriter(store));
            for (int i = 10; i < 100; i++) {
                put(store, wal, "key-" + i, value, 0, clock.time());
            }
            log.force();
            log.writeSnapshot(log.lastAppendedIndex(), 0, new StoreSnapshotWriter(store));
            assertTrue(log.deleteSegmentsUpTo(log.lastAppendedIndex()) > 0);
            log.force();
        }
        final Path newest = dir.resolve("%020d.snapshot".formatted(100));
        assertTrue(Files.exists(newest));
        flipLastByte(newest);
        try (WriteAheadLog log = log(); OffHeapStore store = store()) {
            final long firstIndex = log.firstIndex();
            assertTrue(firstIndex > 11, "the segments holding records 11 to 100 are gone");
            final IOException refused = assertThrows(IOException.class,
                () -> new StoreRecovery(store, clock, dir.toString(), "test limits").recover(log));
            final String message = refused.getMessage();
            assertTrue(message.contains(dir.toString()), message);
            assertTrue(message.contains("snapshot ends at index 10"), message);
            assertTrue(message.contains("log starts at index " + firstIndex), message);
            assertTrue(message.contains("records 11 to " + (firstIndex - 1) + " are missing"), message);
        }
    }

    @Test
    void shouldRefuseToRecoverWhenTheLogEndsBeforeTheSnapshot() throws Exception {
        clock.update(1_000_000);
        try (WriteAheadLog log = log(); OffHeapStore store = store()) {
            final WalWriter wal = new WalWriter(log);
            for (int i = 0; i < 20; i++) {
                put(store, wal, "key-" + i, "value", 0, clock.time());
            }
            log.force();
            log.writeSnapshot(log.lastAppendedIndex(), 0, new StoreSnapshotWriter(store));
        }
        try (var segments = Files.list(dir)) {
            for (final Path segment : segments.filter(file -> file.toString().endsWith(".dat")).toList()) {
                Files.delete(segment);
            }
        }
        try (WriteAheadLog log = log(); OffHeapStore store = store()) {
            final IOException refused = assertThrows(IOException.class,
                () -> new StoreRecovery(store, clock, dir.toString(), "test limits").recover(log));
            assertTrue(refused.getMessage().contains("snapshot ends at index 20 but the log ends at index 0"),
                refused.getMessage());
        }
    }

    /** Issue 9: recovery ignored the store's refusals, so data that no longer fitted was dropped in silence. */
    @Test
    void shouldRefuseToRecoverWhatNoLongerFitsTheStore() throws Exception {
        clock.update(1_000_000);
        try (WriteAheadLog log = log(); OffHeapStore store = store()) {
            final WalWriter wal = new WalWriter(log);
            put(store, wal, "small", "s", 0, clock.time());
            put(store, wal, "large", "l".repeat(5_000), 0, clock.time());
            log.force();
        }
        try (WriteAheadLog log = log(); OffHeapStore store = new OffHeapStore(new StoreContext()
            .maxMemoryBytes(8L * 1024 * 1024).maxValueLength(4_096).epochClock(clock))) {
            final IOException refused = assertThrows(IOException.class,
                () -> new StoreRecovery(store, clock, dir.toString(), "--max-frame-length 4k").recover(log));
            final String message = refused.getMessage();
            assertTrue(message.startsWith("recovery of " + dir + " needs more than --max-frame-length 4k"), message);
            assertTrue(message.contains("WAL record 2 (a 5-byte key with a 5000-byte value) with TOO_LARGE"), message);
        }
    }

    @Test
    void shouldLetTheStorePassItsCapByAnEighthWhileRecoveringAndSetItBackAfter() throws Exception {
        clock.update(1_000_000);
        final long cap = 256 * 1024;
        final String value = "v".repeat(1_000);
        int written = 0;
        try (WriteAheadLog log = log(); OffHeapStore store = new OffHeapStore(new StoreContext().maxMemoryBytes(cap)
            .evictionPolicy(EvictionPolicy.NONE).epochClock(clock))) {
            final WalWriter wal = new WalWriter(log);
            while (store.nativeBytesReserved() < cap - 8 * 1024) {
                put(store, wal, "key-" + written++, value, 0, clock.time());
            }
            log.force();
        }
        final long smaller = cap - 16 * 1024;
        try (WriteAheadLog log = log(); OffHeapStore store = new OffHeapStore(new StoreContext()
            .maxMemoryBytes(smaller).evictionPolicy(EvictionPolicy.NONE).epochClock(clock))) {
            new StoreRecovery(store, clock).recover(log);
            assertEquals(written, store.size(), "everything recovered");
            assertTrue(store.nativeBytesReserved() > smaller, "above the cap it is set back to");
            assertEquals(smaller, store.maxMemoryBytes());
            final UnsafeBuffer key = bytes("key-0");
            final UnsafeBuffer same = bytes("w".repeat(1_000));
            assertEquals(OffHeapStore.REPLACED, store.put(key, 0, key.capacity(), same, 0, same.capacity(), 0),
                "a write that needs no new memory");
            final long reserved = store.nativeBytesReserved();
            int result = OffHeapStore.INSERTED;
            for (int i = 0; i < 100 && result == OffHeapStore.INSERTED; i++) {
                final UnsafeBuffer fresh = bytes("fresh-" + i);
                result = store.put(fresh, 0, fresh.capacity(), same, 0, same.capacity(), 0);
            }
            assertEquals(OffHeapStore.STORE_FULL, result, "once the free blocks are used, a write that needs a new " +
                "chunk waits until the store is under its cap");
            assertEquals(reserved, store.nativeBytesReserved());
        }
    }

    private static void flipLastByte(final Path file) throws IOException {
        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x5A;
        Files.write(file, bytes);
    }
}
