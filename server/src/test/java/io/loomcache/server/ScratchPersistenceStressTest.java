package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.loomcache.protocol.Opcodes;
import io.loomcache.server.config.ServerContext;
import io.loomcache.wal.FsyncPolicy;

class ScratchPersistenceStressTest {
    @Test
    void loop() throws Exception {
        final int rounds = Integer.getInteger("scratch.rounds", 20);
        final List<String> failures = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            final Path dataDir = Files.createTempDirectory("scratch-persist");
            final ManualEpochClock clock = new ManualEpochClock(5_000_000L);
            final ServerContext ctx = TestNodes.context("nio", dataDir).persistenceEnabled(true)
                .walFsync(FsyncPolicy.INTERVAL).snapshotEvery(100).epochClock(clock).queueDelayBudgetMs(Long.getLong("scratch.budget", 50));
            final List<String> bad = new ArrayList<>();
            LoomCacheNode node = LoomCacheNode.start(ctx);
            try (RawClient client = new RawClient(node.port())) {
                for (int i = 0; i < 1_000; i++) {
                    final RawClient.Response r = client.put(i, "key-" + i, "value-" + i, 0);
                    if (r.opcode() != Opcodes.RESPONSE_OK) {
                        bad.add("put key-" + i + " opcode " + r.opcode() + " err " + r.errorCode());
                    }
                }
                for (int i = 0; i < 1_000; i += 10) {
                    final RawClient.Response r = client.put(2_000 + i, "key-" + i, "updated-" + i, 0);
                    if (r.opcode() != Opcodes.RESPONSE_OK) {
                        bad.add("update key-" + i + " opcode " + r.opcode() + " err " + r.errorCode());
                    }
                }
                final RawClient.Response rm = client.keyed(Opcodes.MAP_REMOVE, 5_000, "key-1");
                if (!rm.bool()) {
                    bad.add("remove opcode " + rm.opcode());
                }
                final long before = client.call(client.frame(Opcodes.MAP_SIZE, 1, 0, null, null, null)).number();
                if (before != 999) {
                    bad.add("size before close " + before);
                }
            }
            node.close();
            node = LoomCacheNode.start(ctx);
            try (RawClient client = new RawClient(node.port())) {
                final long size = client.call(client.frame(Opcodes.MAP_SIZE, 1, 0, null, null, null)).number();
                if (size != 999) {
                    final StringBuilder missing = new StringBuilder();
                    for (int i = 0; i < 1_000; i++) {
                        if (i != 1 && client.get(10_000 + i, "key-" + i).opcode() == Opcodes.RESPONSE_NOT_FOUND) {
                            missing.append(" key-").append(i);
                        }
                    }
                    failures.add("round " + round + " size " + size + " missing" + missing + " " + bad);
                } else if (!bad.isEmpty()) {
                    failures.add("round " + round + " size ok but " + bad);
                }
            } finally {
                node.close();
                try (var files = Files.walk(dataDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        for (final String failure : failures) {
            System.out.println("SCRATCH " + failure);
        }
        assertEquals(List.of(), failures);
    }
}
