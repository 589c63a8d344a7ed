package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.protocol.Opcodes;
import io.loomcache.server.config.ServerContext;
import io.loomcache.store.EvictionPolicy;
import io.loomcache.testkit.Await;
import io.loomcache.wal.FsyncPolicy;

class PersistenceTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private final CachedEpochClock clock = TestNodes.epochClockAt(5_000_000L);
    private LoomCacheNode node;

    private ServerContext context(final FsyncPolicy fsync, final int snapshotEvery) {
        return nodes.context("nio").persistenceEnabled(true).walFsync(fsync)
            .snapshotEvery(snapshotEvery).epochClock(clock);
    }

    private RawClient restart(final ServerContext context) throws Exception {
        node.close();
        node = nodes.start(context);
        return new RawClient(node.port());
    }

    @Test
    void shouldRecoverEveryWriteKindAndKeepDeadlinesAbsoluteAcrossARestart() throws Exception {
        node = nodes.start(context(FsyncPolicy.BATCH, 0));
        try (RawClient client = new RawClient(node.port())) {
            for (int i = 0; i < 200; i++) {
                assertEquals(Opcodes.RESPONSE_OK, client.put(i, "key-" + i, "value-" + i, 0).opcode());
            }
            putOk(client, 1000, "short", "lived", 1_000);
            putOk(client, 1001, "long", "lived", 100_000);
            putOk(client, 1002, "renewed", "x", 0);
            assertTrue(client.call(client.frame(Opcodes.MAP_EXPIRE, 1003, 500, RawClient.bytes("renewed"), null,
                null)).bool());
            assertTrue(client.keyed(Opcodes.MAP_REMOVE, 1004, "key-3").bool());
            assertTrue(client.call(client.frame(Opcodes.MAP_REPLACE, 1005, 0, RawClient.bytes("key-4"),
                RawClient.bytes("value-4"), RawClient.bytes("swapped"))).bool());
        }
        clock.advance(2_000);
        try (RawClient client = restart(context(FsyncPolicy.BATCH, 0))) {
            assertEquals("value-0", client.get(1, "key-0").valueAsString());
            assertEquals("value-199", client.get(2, "key-199").valueAsString());
            assertEquals(Opcodes.RESPONSE_NOT_FOUND, client.get(3, "key-3").opcode());
            assertEquals("swapped", client.get(4, "key-4").valueAsString());
            assertEquals(Opcodes.RESPONSE_NOT_FOUND, client.get(5, "short").opcode(), "TTL ran out while down");
            assertEquals(Opcodes.RESPONSE_NOT_FOUND, client.get(6, "renewed").opcode());
            assertEquals(98_000, client.keyed(Opcodes.MAP_TTL, 7, "long").number());
            assertEquals(200, client.call(client.frame(Opcodes.MAP_SIZE, 8, 0, null, null, null)).number());
            assertEquals(Opcodes.RESPONSE_OK, client.call(client.frame(Opcodes.MAP_CLEAR, 9, 0, null, null, null))
                .opcode());
        }
        try (RawClient client = restart(context(FsyncPolicy.BATCH, 0))) {
            assertEquals(0, client.call(client.frame(Opcodes.MAP_SIZE, 10, 0, null, null, null)).number());
        }
    }

    @Test
    void shouldRecoverFromSnapshotsPlusTheWalTail() throws Exception {
        node = nodes.start(context(FsyncPolicy.INTERVAL, 100));
        try (RawClient client = new RawClient(node.port())) {
            for (int i = 0; i < 1_000; i++) {
                putOk(client, i, "key-" + i, "value-" + i, 0);
            }
            for (int i = 0; i < 1_000; i += 10) {
                putOk(client, 2_000 + i, "key-" + i, "updated-" + i, 0);
            }
            assertTrue(client.keyed(Opcodes.MAP_REMOVE, 5_000, "key-1").bool());
        }
        node.close();
        assertTrue(countFiles(".snapshot") >= 2, "each executor wrote snapshots");
        try (RawClient client = restart(context(FsyncPolicy.INTERVAL, 100))) {
            assertEquals(999, client.call(client.frame(Opcodes.MAP_SIZE, 1, 0, null, null, null)).number());
            for (int i = 0; i < 1_000; i++) {
                final RawClient.Response value = client.get(10_000 + i, "key-" + i);
                if (i == 1) {
                    assertEquals(Opcodes.RESPONSE_NOT_FOUND, value.opcode());
                } else {
                    assertEquals((i % 10 == 0 ? "updated-" : "value-") + i, value.valueAsString());
                }
            }
        }
    }

    @Test
    void shouldRecoverEveryAcknowledgedWriteAndNoWriteShedWithServerBusy() throws Exception {
        final ServerContext shedding = context(FsyncPolicy.INTERVAL, 100).outboundBudgetBytes(1024 * 1024)
            .connectionSpillBytes(256L * 1024 * 1024);
        node = nodes.start(shedding);
        final List<String> acknowledged = new ArrayList<>();
        final List<String> shed = new ArrayList<>();
        final AtomicLong correlation = new AtomicLong();
        try (RawClient client = new RawClient(node.port())) {
            putOk(client, correlation.incrementAndGet(), "big", "x".repeat(30_000), 0);
            final StalledReaders flooders = new StalledReaders(node.port(), 12, "big");
            try {
                Await.until("a write shed with SERVER_BUSY", 20_000, () -> putRecorded(client,
                    correlation.incrementAndGet(), acknowledged, shed) == Opcodes.RESPONSE_SERVER_BUSY);
            } finally {
                flooders.close();
            }
            Await.until("writes to be accepted again", 30_000, () -> putRecorded(client,
                correlation.incrementAndGet(), acknowledged, shed) == Opcodes.RESPONSE_OK);
        }
        try (RawClient client = restart(shedding)) {
            assertEquals(acknowledged.size() + 1, client.call(client.frame(Opcodes.MAP_SIZE, 1, 0, null, null, null))
                .number(), "big plus every acknowledged write");
            for (final String key : acknowledged) {
                assertEquals("value-" + key, client.get(correlation.incrementAndGet(), key).valueAsString());
            }
            for (final String key : shed) {
                assertEquals(Opcodes.RESPONSE_NOT_FOUND, client.get(correlation.incrementAndGet(), key).opcode(),
                    key + " was answered SERVER_BUSY");
            }
        }
    }

    /** Puts a fresh key and files it under acknowledged (OK) or shed (SERVER_BUSY); any other answer fails. */
    private static int putRecorded(final RawClient client, final long correlationId, final List<String> acknowledged,
        final List<String> shed) throws IOException {
        final String key = "write-" + correlationId;
        final int opcode = client.put(correlationId, key, "value-" + key, 0).opcode();
        if (opcode == Opcodes.RESPONSE_OK) {
            acknowledged.add(key);
        } else {
            assertEquals(Opcodes.RESPONSE_SERVER_BUSY, opcode, "only OK or SERVER_BUSY for " + key);
            shed.add(key);
        }
        return opcode;
    }

    /** MAP_EXPIRE logged only the new deadline, which replay applied after dropping the PUT as expired. */
    @Test
    void shouldKeepAKeyWhoseTtlWasExtendedPastItsFirstDeadlineAcrossARestart() throws Exception {
        node = nodes.start(context(FsyncPolicy.BATCH, 0));
        try (RawClient client = new RawClient(node.port())) {
            putOk(client, 1, "extended", "kept", 1_000);
            assertTrue(client.call(client.frame(Opcodes.MAP_EXPIRE, 2, 60_000, RawClient.bytes("extended"), null,
                null)).bool());
            putOk(client, 3, "persisted", "kept", 1_000);
            assertTrue(client.call(client.frame(Opcodes.MAP_EXPIRE, 4, 0, RawClient.bytes("persisted"), null,
                null)).bool());
        }
        clock.advance(2_000);
        try (RawClient client = restart(context(FsyncPolicy.BATCH, 0))) {
            assertEquals("kept", client.get(1, "extended").valueAsString(), "its first deadline passed, not its TTL");
            assertEquals(58_000, client.keyed(Opcodes.MAP_TTL, 2, "extended").number());
            assertEquals("kept", client.get(3, "persisted").valueAsString());
            assertEquals(0, client.keyed(Opcodes.MAP_TTL, 4, "persisted").number());
        }
    }

    /** Issue 9: eviction wrote nothing to the WAL, so the victim's old PUT came back at the next start. */
    @Test
    void shouldNotBringBackAKeyThatWasEvictedAndThenRemovedWhenRestartedWithMoreMemory() throws Exception {
        final ServerContext small = context(FsyncPolicy.BATCH, 0).maxMemoryBytes(512 * 1024);
        node = nodes.start(small);
        final String value = "v".repeat(100);
        try (RawClient client = new RawClient(node.port())) {
            putOk(client, 1, "key-000000", value, 0);
            int filler = 1;
            while (client.keyed(Opcodes.MAP_CONTAINS_KEY, 2, "key-000000").bool()) {
                assertTrue(filler < 50_000, "the victim was never evicted");
                putOk(client, 3, "key-%06d".formatted(filler++), value, 0);
            }
            assertFalse(client.keyed(Opcodes.MAP_REMOVE, 4, "key-000000").bool(), "evicted, so nothing to remove");
            assertEquals(Opcodes.RESPONSE_NOT_FOUND, client.get(5, "key-000000").opcode());
        }
        try (RawClient client = restart(context(FsyncPolicy.BATCH, 0).maxMemoryBytes(64L * 1024 * 1024))) {
            assertEquals(Opcodes.RESPONSE_NOT_FOUND, client.get(1, "key-000000").opcode(),
                "a key absent before the restart must stay absent after it");
        }
    }

    /** Issue 9: recovery ignored STORE_FULL, so a node restarted with a smaller cap came up without some data. */
    @Test
    void shouldRefuseToStartWhenTheDataNoLongerFitsASmallerCapWithoutEviction() throws Exception {
        final ServerContext large = context(FsyncPolicy.BATCH, 0).eviction(EvictionPolicy.NONE)
            .maxMemoryBytes(16L * 1024 * 1024);
        node = nodes.start(large);
        final String value = "v".repeat(40_000);
        try (RawClient client = new RawClient(node.port())) {
            for (int i = 0; i < 100; i++) {
                putOk(client, i, "key-" + i, value, 0);
            }
        }
        node.close();
        node = null;
        final IOException refused = assertThrows(IOException.class, () -> nodes.start(
            context(FsyncPolicy.BATCH, 0).eviction(EvictionPolicy.NONE).maxMemoryBytes(1024 * 1024)));
        assertTrue(refused.getMessage().contains("needs more than --max-memory 1048576"), refused.getMessage());
        assertTrue(refused.getMessage().contains("STORE_FULL"), refused.getMessage());
        node = nodes.start(large);
        try (RawClient client = new RawClient(node.port())) {
            assertEquals(100, client.call(client.frame(Opcodes.MAP_SIZE, 1, 0, null, null, null)).number(),
                "the refused start changed nothing");
        }
    }

    /** Keys a recovery under a smaller cap evicted stay evicted, even when the next start has room for them. */
    @Test
    void shouldKeepKeysEvictedByARecoveryUnderASmallerCapEvictedAtTheNextStart() throws Exception {
        node = nodes.start(context(FsyncPolicy.BATCH, 0).maxMemoryBytes(16L * 1024 * 1024));
        final String value = "v".repeat(40_000);
        try (RawClient client = new RawClient(node.port())) {
            for (int i = 0; i < 100; i++) {
                putOk(client, i, "key-" + i, value, 0);
            }
        }
        final List<String> kept = new ArrayList<>();
        try (RawClient client = restart(context(FsyncPolicy.BATCH, 0).maxMemoryBytes(1024 * 1024))) {
            for (int i = 0; i < 100; i++) {
                if (client.get(i, "key-" + i).opcode() == Opcodes.RESPONSE_VALUE) {
                    kept.add("key-" + i);
                }
            }
        }
        assertTrue(kept.size() < 50, kept.size() + " kept under a 1 MiB cap");
        try (RawClient client = restart(context(FsyncPolicy.BATCH, 0).maxMemoryBytes(16L * 1024 * 1024))) {
            for (int i = 0; i < 100; i++) {
                final boolean present = client.get(i, "key-" + i).opcode() == Opcodes.RESPONSE_VALUE;
                assertEquals(kept.contains("key-" + i), present, "key-" + i);
            }
        }
    }

    @Test
    void shouldRefuseToStartWithAnotherExecutorCount() throws Exception {
        node = nodes.start(context(FsyncPolicy.BATCH, 0));
        node.close();
        final IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> nodes.start(context(FsyncPolicy.BATCH, 0).executors(3)));
        assertTrue(refused.getMessage().contains("LOOMCACHE_EXECUTORS=2"), refused.getMessage());
        assertFalse(Files.exists(nodes.dataDir().resolve("wal").resolve("executor-2")));
    }

    /** Every write is checked: one answered SERVER_BUSY was never applied, so it must not count as lost. */
    private static void putOk(final RawClient client, final long correlationId, final String key, final String value,
        final long ttlMs) throws IOException {
        assertEquals(Opcodes.RESPONSE_OK, client.put(correlationId, key, value, ttlMs).opcode(), "put " + key);
    }

    private long countFiles(final String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(nodes.dataDir())) {
            return files.filter(file -> file.toString().endsWith(suffix)).count();
        }
    }
}
