package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.server.log.NodeLog;
import io.loomcache.store.EvictionPolicy;
import io.loomcache.store.OffHeapStore;
import io.loomcache.store.StoreContext;
import io.loomcache.testkit.Allocations;
import io.loomcache.testkit.Await;
import io.loomcache.testkit.gen.Gen;
import io.loomcache.testkit.gen.Property;
import io.loomcache.wal.FsyncPolicy;
import io.loomcache.wal.WalContext;
import io.loomcache.wal.WriteAheadLog;

/**
 * The fuzzy snapshot against recovery: writes, removes, evictions, expiries and clears are interleaved with small
 * steps of {@link IncrementalSnapshot}, the log is closed with a snapshot published, in progress or none, and the
 * store recovered from the directory must equal the store that wrote it, entry by entry, deadlines included.
 */
class IncrementalSnapshotTest {
    private static final long START_MS = 1_800_000_000_000L;
    private static final int KEYS = 300;

    @TempDir
    Path directory;

    private int tries;
    private long published;
    private long abandonedMidWalk;

    @Test
    void shouldRecoverExactlyTheStoreFromAFuzzySnapshotPlusTheLogTail() {
        Property.forAll(40, gen -> {
            try {
                checkOneHistory(gen, directory.resolve("try-" + tries++));
            } catch (final IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
        assertTrue(published > 20, "snapshots published across the tries: " + published);
        assertTrue(abandonedMidWalk > 0, "histories ending mid-snapshot: " + abandonedMidWalk);
    }

    private void checkOneHistory(final Gen gen, final Path dir) throws IOException {
        final CachedEpochClock epochClock = new CachedEpochClock();
        final CachedNanoClock nanoClock = new CachedNanoClock();
        epochClock.update(START_MS);
        final StoreContext storeContext = new StoreContext().maxMemoryBytes(192 * 1024).chunkLength(4096)
            .evictionPolicy(gen.bool() ? EvictionPolicy.LRU : EvictionPolicy.NONE);
        final ExecutorStore executorStore = ExecutorStore.create(storeContext, epochClock, nanoClock);
        final OffHeapStore store = executorStore.store();
        executorStore.dropped().recording(true);
        final Map<String, String> expected;
        final NodeLog nodeLog = new NodeLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            epochClock, nanoClock);
        try (WriteAheadLog log = WriteAheadLog.open(walContext(dir))) {
            final Writes writes = new Writes(executorStore, new WalWriter(log));
            final IncrementalSnapshot snapshot = new IncrementalSnapshot(store, log, nanoClock, nodeLog, "test",
                gen.ints(1, 64), gen.ints(1, 8192), false);
            long nowMs = START_MS;
            for (int step = 0, steps = gen.size(1500); step < steps; step++) {
                switch (gen.weighted(40, 10, 6, 20, 2, 1)) {
                    case 0 -> writes.put(gen);
                    case 1 -> writes.remove(gen);
                    case 2 -> {
                        nowMs += gen.ints(1, 50);
                        epochClock.update(nowMs);
                        executorStore.tick(nowMs, nowMs * 1_000_000L);
                        store.expireSweep(nowMs, gen.ints(1, 64));
                        writes.logDropped();
                    }
                    case 3 -> snapshot.doWork();
                    case 4 -> snapshot.start();
                    default -> writes.clear(gen);
                }
            }
            if (snapshot.inProgress() && gen.bool()) {
                Await.until("the snapshot to be published", () -> {
                    snapshot.doWork();
                    return !snapshot.inProgress();
                });
            }
            abandonedMidWalk += snapshot.inProgress() ? 1 : 0;
            published += snapshot.snapshots();
            assertEquals(0, snapshot.failures(), "snapshot failures");
            expected = entries(store);
            snapshot.abandon();
            assertTrue(log.force() >= 0);
        } finally {
            store.close();
        }
        final ExecutorStore recovered = ExecutorStore.create(storeContext, epochClock, nanoClock);
        try (WriteAheadLog log = WriteAheadLog.open(walContext(dir))) {
            new StoreRecovery(recovered.store(), recovered.clock()).recover(log);
            assertEquals(expected, entries(recovered.store()), "recovered store");
        } finally {
            recovered.store().close();
        }
    }

    @Test
    void shouldWalkTheStoreIntoTheFileWithoutAllocating() throws IOException {
        try (FilledStore filled = new FilledStore(20_000);
            WriteAheadLog log = WriteAheadLog.open(walContext(directory.resolve("allocation")))) {
            final IncrementalSnapshot snapshot = new IncrementalSnapshot(filled.store, log, filled.nanoClock,
                filled.nodeLog, "test", 16, IncrementalSnapshot.MAX_BYTES_PER_STEP, false);
            assertTrue(snapshot.start());
            Allocations.assertAllocationFree(() -> {
                for (int i = 0; i < 20; i++) {
                    snapshot.doWork();
                }
            }, 5, "snapshot walk steps");
            assertTrue(snapshot.inProgress(), "still walking");
            snapshot.abandon();
        }
    }

    @Test
    void shouldPaceTheWalkByWallTimeNotByHowOftenItIsCalled() throws IOException {
        try (FilledStore filled = new FilledStore(20_000);
            WriteAheadLog log = WriteAheadLog.open(walContext(directory.resolve("paced")))) {
            final CachedNanoClock nanoClock = filled.nanoClock;
            final IncrementalSnapshot snapshot = new IncrementalSnapshot(filled.store, log, nanoClock, filled.nodeLog,
                "test");
            assertTrue(snapshot.start());
            assertEquals(1, snapshot.doWork(), "the first step spends the starting credit");
            final long first = snapshot.bytesWritten();
            final int step = IncrementalSnapshot.MAX_BYTES_PER_STEP;
            assertTrue(first > step / 2 && first < 2 * step, "first step " + first);
            for (int i = 0; i < 1_000; i++) {
                assertEquals(0, snapshot.doWork(), "no time has passed: no step");
            }
            assertEquals(first, snapshot.bytesWritten());
            nanoClock.advance(TimeUnit.MICROSECONDS.toNanos(500));
            assertEquals(1, snapshot.doWork());
            final long half = snapshot.bytesWritten() - first;
            assertTrue(half > IncrementalSnapshot.BYTES_PER_MS / 4 && half < IncrementalSnapshot.BYTES_PER_MS,
                "half a millisecond's step " + half);
            // calls every 100 us (an unpaced walk would take a whole step each time, 10x the pace), with a late
            // cycle of 3 ms now and then (its banked credit is still spent, over the next steps)
            final long fromBytes = snapshot.bytesWritten();
            long elapsedUs = 0;
            for (int call = 1; snapshot.bytesWritten() < 20_000 * 100 && elapsedUs < 1_000_000; call++) {
                final long stepUs = call % 20 == 0 ? 3_000 : 100;
                nanoClock.advance(TimeUnit.MICROSECONDS.toNanos(stepUs));
                elapsedUs += stepUs;
                snapshot.doWork();
            }
            final double bytesPerMs = (snapshot.bytesWritten() - fromBytes) * 1_000.0 / elapsedUs;
            final long pace = IncrementalSnapshot.BYTES_PER_MS;
            assertTrue(Math.abs(bytesPerMs - pace) < pace / 10.0,
                bytesPerMs + " B/ms over " + elapsedUs + " us, paced at " + pace);
            snapshot.abandon();
        }
    }

    /** A 64 MiB store of {@code entries} 100-byte values under cached clocks, and a log that prints nowhere. */
    private static final class FilledStore implements AutoCloseable {
        final CachedEpochClock epochClock = new CachedEpochClock();
        final CachedNanoClock nanoClock = new CachedNanoClock();
        final OffHeapStore store;
        final NodeLog nodeLog;

        FilledStore(final int entries) {
            epochClock.update(START_MS);
            store = ExecutorStore.create(new StoreContext().maxMemoryBytes(64L << 20), epochClock, nanoClock).store();
            nodeLog = new NodeLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                epochClock, nanoClock);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[100]);
            for (int i = 0; i < entries; i++) {
                final UnsafeBuffer key = new UnsafeBuffer(("key-" + i).getBytes(StandardCharsets.US_ASCII));
                store.put(key, 0, key.capacity(), value, 0, value.capacity(), 0);
            }
        }

        @Override
        public void close() {
            store.close();
        }
    }

    private static WalContext walContext(final Path dir) {
        return new WalContext().directory(dir).segmentLength(16 * 1024).fsyncPolicy(FsyncPolicy.NONE)
            .snapshotsToRetain(2);
    }

    /** Every live entry as key -> "expireAtMs:value length:value hash". */
    private static Map<String, String> entries(final OffHeapStore store) {
        final Map<String, String> entries = new HashMap<>();
        store.forEachEntry((entry, keyOffset, keyLength, valueOffset, valueLength, expireAtMs) -> {
            final byte[] value = new byte[valueLength];
            entry.getBytes(valueOffset, value);
            entries.put(entry.getStringWithoutLengthAscii(keyOffset, keyLength), expireAtMs + ":" + valueLength +
                ":" + Arrays.hashCode(value));
        });
        return entries;
    }

    /** Writes the way MapCommands does: the record claimed first, aborted when the store refuses. */
    private static final class Writes {
        private final ExecutorStore executorStore;
        private final OffHeapStore store;
        private final WalWriter wal;

        Writes(final ExecutorStore executorStore, final WalWriter wal) {
            this.executorStore = executorStore;
            this.store = executorStore.store();
            this.wal = wal;
        }

        void put(final Gen gen) {
            final UnsafeBuffer key = key(gen);
            final byte[] bytes = gen.bytes(0, gen.bool() ? 40 : 900);
            final UnsafeBuffer value = new UnsafeBuffer(bytes);
            final long ttlMs = gen.ints(0, 3) == 0 ? gen.ints(1, 400) : 0;
            final long expireAtMs = ttlMs == 0 ? 0 : executorStore.clock().time() + ttlMs;
            assertTrue(wal.claim(WalRecordDescriptor.TYPE_PUT, expireAtMs, key, 0, key.capacity(), value, 0,
                bytes.length));
            if (store.put(key, 0, key.capacity(), value, 0, bytes.length, ttlMs) < 0) {
                wal.abort();
                wal.appendDropped(executorStore.dropped(), null, 0, 0);
            } else {
                wal.commit();
                wal.appendDropped(executorStore.dropped(), key, 0, key.capacity());
            }
        }

        void remove(final Gen gen) {
            final UnsafeBuffer key = key(gen);
            assertTrue(wal.appendKey(WalRecordDescriptor.TYPE_REMOVE, 0, key, 0, key.capacity()));
            store.remove(key, 0, key.capacity());
            logDropped();
        }

        void clear(final Gen gen) {
            if (gen.ints(0, 3) == 0) {
                assertTrue(wal.appendKey(WalRecordDescriptor.TYPE_CLEAR, 0, key(gen), 0, 0));
                store.clear();
                executorStore.dropped().clear();
            }
        }

        void logDropped() {
            wal.appendDropped(executorStore.dropped(), null, 0, 0);
        }

        private static UnsafeBuffer key(final Gen gen) {
            return new UnsafeBuffer(("key-" + gen.ints(0, KEYS - 1)).getBytes(StandardCharsets.US_ASCII));
        }
    }
}
