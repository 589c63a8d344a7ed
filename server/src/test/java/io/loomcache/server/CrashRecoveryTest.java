package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.protocol.Opcodes;

class CrashRecoveryTest {
    private static final int MAX_WRITES = 200_000;
    private static final int ACKS_BEFORE_KILL = 3_000;

    @TempDir
    Path workDir;

    @Test
    void shouldKeepEveryAcknowledgedBatchWriteAfterKillNine() throws Exception {
        final ConcurrentHashMap<Long, Boolean> acknowledged = new ConcurrentHashMap<>();
        try (NodeProcess node = NodeProcess.start(workDir, "--wal-fsync", "batch")) {
            final RawClient client = new RawClient(node.port());
            final AtomicBoolean stop = new AtomicBoolean();
            final Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (long i = 0; i < MAX_WRITES && !stop.get(); i++) {
                        client.send(client.frame(Opcodes.MAP_PUT, i, 0, RawClient.bytes("key-" + i), null,
                            RawClient.bytes("value-" + i)));
                    }
                } catch (final Exception ex) {
                    stop.set(true);
                }
            });
            try {
                while (acknowledged.size() < ACKS_BEFORE_KILL) {
                    final RawClient.Response response = client.read();
                    if (response.opcode() == Opcodes.RESPONSE_OK) {
                        acknowledged.put(response.correlationId(), Boolean.TRUE);
                    } else {
                        assertEquals(Opcodes.RESPONSE_SERVER_BUSY, response.opcode(), "only OK or SERVER_BUSY");
                    }
                }
                node.signal("KILL");
                assertEquals(137, node.awaitExit(30_000));
                try {
                    while (true) {
                        final RawClient.Response response = client.read();
                        if (response.opcode() == Opcodes.RESPONSE_OK) {
                            acknowledged.put(response.correlationId(), Boolean.TRUE);
                        }
                    }
                } catch (final IOException ex) {
                    assertTrue(acknowledged.size() >= ACKS_BEFORE_KILL);
                }
            } finally {
                stop.set(true);
                client.close();
                writer.join(30_000);
            }
        }
        try (NodeProcess node = NodeProcess.start(workDir, "--wal-fsync", "batch");
             RawClient client = new RawClient(node.port())) {
            for (final long key : acknowledged.keySet()) {
                final RawClient.Response value = client.get(key, "key-" + key);
                assertEquals(Opcodes.RESPONSE_VALUE, value.opcode(), "acknowledged write " + key + " was lost: " +
                    value);
                assertEquals("value-" + key, value.valueAsString(), "acknowledged write " + key + " was lost");
            }
            assertTrue(client.call(client.frame(Opcodes.MAP_SIZE, -1, 0, null, null, null)).number() >=
                acknowledged.size());
        }
    }
}
