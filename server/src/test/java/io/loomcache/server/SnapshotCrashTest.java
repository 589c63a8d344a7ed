package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.Await;

/**
 * kill -9 while a snapshot is being walked or synced: a node with 1 KiB values and a snapshot every 2,000 records
 * per executor takes snapshots often and long; a client overwrites a fixed set of keys, each write's value naming
 * its sequence number, and the test kills the node as soon as /metrics shows a snapshot in progress. After each
 * restart on the same directory every key holds its last acknowledged write or a later one that was in flight when
 * the node died, and no key holds a write that was never sent. Three rounds kill at different points of the walk.
 */
class SnapshotCrashTest {
    private static final int KEYS = 12_000;
    private static final int VALUE_LENGTH = 1024;
    private static final int WINDOW = 128;
    private static final int ROUNDS = 3;
    private static final String IN_PROGRESS = "loomcache_snapshot_in_progress{executor=\"%d\"} 1.0";

    @TempDir
    Path workDir;

    private final AtomicLongArray lastSent = new AtomicLongArray(KEYS);
    private final AtomicLongArray lastAcknowledged = new AtomicLongArray(KEYS);
    private long nextSequence;

    @Test
    void shouldKeepEveryAcknowledgedWriteWhenKilledDuringASnapshot() throws Exception {
        for (int key = 0; key < KEYS; key++) {
            lastSent.set(key, -1);
            lastAcknowledged.set(key, -1);
        }
        int killedWithTemporaryFile = 0;
        for (int round = 0; round < ROUNDS; round++) {
            try (NodeProcess node = start()) {
                if (round > 0) {
                    verify(node);
                }
                writeUntilSnapshotInProgressThenKill(node, KEYS + round * KEYS / 3);
            }
            killedWithTemporaryFile += temporarySnapshotFiles();
        }
        try (NodeProcess node = start()) {
            verify(node);
        }
        System.out.println("SnapshotCrashTest: " + killedWithTemporaryFile + " of " + ROUNDS +
            " kills left a snapshot being written");
    }

    private NodeProcess start() throws Exception {
        return NodeProcess.start(workDir, "--wal-fsync", "batch", "--snapshot-every", "2000", "--max-memory",
            "128m");
    }

    /**
     * Overwrites the keys in sequence with a bounded window of writes in flight; once {@code minimumAcks} were
     * acknowledged, kills the node as soon as a snapshot shows in progress.
     */
    private void writeUntilSnapshotInProgressThenKill(final NodeProcess node, final int minimumAcks)
        throws Exception {
        final RawClient client = new RawClient(node.port());
        final Semaphore window = new Semaphore(WINDOW);
        final AtomicLong acks = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final long firstSequence = nextSequence;
        final long lastSequence = firstSequence + 20L * KEYS;
        final Thread writer = Thread.ofPlatform().start(() -> {
            try {
                for (long sequence = firstSequence; sequence < lastSequence && !stop.get(); sequence++) {
                    while (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        if (stop.get()) {
                            return;
                        }
                    }
                    final int key = (int)(sequence % KEYS);
                    lastSent.set(key, sequence);
                    client.send(client.frame(Opcodes.MAP_PUT, sequence, 0, RawClient.bytes("key-" + key), null,
                        RawClient.bytes(value(sequence))));
                }
            } catch (final IOException | InterruptedException ex) {
                stop.set(true);
            }
        });
        final Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (true) {
                    final RawClient.Response response = client.read();
                    window.release();
                    if (response.opcode() == Opcodes.RESPONSE_OK) {
                        acks.incrementAndGet();
                        final int key = (int)(response.correlationId() % KEYS);
                        lastAcknowledged.accumulateAndGet(key, response.correlationId(), Math::max);
                    }
                }
            } catch (final IOException ex) {
                stop.set(true);
            }
        });
        try {
            Await.until(minimumAcks + " writes acknowledged", 120_000,
                () -> acks.get() >= minimumAcks || stop.get());
            Await.until("a snapshot in progress", 120_000, () -> snapshotInProgress(node) || stop.get());
            assertTrue(!stop.get(), "the writer or reader stopped before the kill");
            node.signal("KILL");
            assertEquals(137, node.awaitExit(30_000));
        } finally {
            stop.set(true);
            client.close();
            writer.join(30_000);
            reader.join(30_000);
        }
        nextSequence = lastSequence;
    }

    private static boolean snapshotInProgress(final NodeProcess node) throws Exception {
        final String metrics = Http.get(node.metricsPort(), "/metrics").body();
        return metrics.contains(IN_PROGRESS.formatted(0)) || metrics.contains(IN_PROGRESS.formatted(1));
    }

    /** Every key holds its last acknowledged write or a later one that was sent; a key never sent is absent. */
    private void verify(final NodeProcess node) throws Exception {
        try (RawClient client = new RawClient(node.port())) {
            long present = 0;
            for (int key = 0; key < KEYS; key++) {
                final RawClient.Response response = client.get(key, "key-" + key);
                final long acknowledged = lastAcknowledged.get(key);
                if (response.opcode() == Opcodes.RESPONSE_NOT_FOUND) {
                    assertEquals(-1, acknowledged, "key-" + key + " lost its acknowledged write " + acknowledged);
                    continue;
                }
                assertEquals(Opcodes.RESPONSE_VALUE, response.opcode(), "key-" + key + ": " + response);
                final String value = response.valueAsString();
                final long sequence = Long.parseLong(value.substring(0, value.indexOf(':')));
                assertEquals(value(sequence), value, "key-" + key + " value intact");
                assertEquals(key, sequence % KEYS, "key-" + key + " holds another key's write");
                assertTrue(sequence >= acknowledged, "key-" + key + " holds " + sequence +
                    ", older than its acknowledged write " + acknowledged);
                assertTrue(sequence <= lastSent.get(key), "key-" + key + " holds " + sequence +
                    ", which was never sent (last sent " + lastSent.get(key) + ")");
                lastAcknowledged.set(key, sequence);
                present++;
            }
            assertEquals(present, client.call(client.frame(Opcodes.MAP_SIZE, -1, 0, null, null, null)).number(),
                "no key beyond the ones written");
        }
    }

    private int temporarySnapshotFiles() throws IOException {
        try (Stream<Path> files = Files.walk(workDir)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".snapshot.tmp")) ? 1 : 0;
        }
    }

    private static String value(final long sequence) {
        final StringBuilder value = new StringBuilder(VALUE_LENGTH).append(sequence).append(':');
        while (value.length() < VALUE_LENGTH) {
            value.append((char)('a' + (sequence + value.length()) % 26));
        }
        return value.toString();
    }
}
