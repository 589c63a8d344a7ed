package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.CommandTable;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.server.executor.PartitionRouter;
import io.loomcache.testkit.Await;

/** The rules {@link CommandTable} declares, enforced over real sockets: PEER from clients, drain, read-only. */
class CommandRulesTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void whenAClientSendsAPeerOpcode_thenItIsRefusedPermissionDeniedAndTheConnectionStaysOpen(final String transport)
        throws Exception {
        try (LoomCacheNode node = LoomCacheNode.start(nodes.context(transport));
            RawClient client = new RawClient(node.port())) {
            int peerOpcodes = 0;
            for (int i = 0; i < CommandTable.size(); i++) {
                final int opcode = CommandTable.opcodeAt(i);
                if (CommandTable.hasFlag(opcode, CommandTable.FLAG_PEER)) {
                    final int bodyLength = CommandTable.minBodyLength(opcode);
                    final byte[] frame = new byte[16 + bodyLength];
                    System.arraycopy(RawClient.header(bodyLength, 1, 0, opcode, 100 + i), 0, frame, 0, 16);
                    final RawClient.Response refused = client.call(frame);
                    assertEquals(ErrorCode.PERMISSION_DENIED, refused.errorCode(), CommandTable.name(opcode));
                    assertEquals(100 + i, refused.correlationId());
                    peerOpcodes++;
                }
            }
            assertTrue(peerOpcodes >= 9, "the Raft and cluster opcodes are PEER: " + peerOpcodes);
            assertEquals(Opcodes.RESPONSE_OK, client.put(1, "still", "open", 0).opcode());
        }
    }

    @Test
    void whileTheNodeDrains_thenReadsAndWritesAreRefusedShuttingDownAndPingIsAnswered() throws Exception {
        try (LoomCacheNode node = LoomCacheNode.start(nodes.context("nio").drainTimeoutMs(60_000)
            .connectionSpillBytes(64L * 1024 * 1024)); RawClient active = new RawClient(node.port())) {
            active.put(1, "big", "x".repeat(30_000), 0);
            final Thread closer;
            final StalledReaders stalled = new StalledReaders(node.port(), 1, "big");
            try {
                StalledReaders.awaitStalled(node.connections(), 1);
                closer = Thread.ofPlatform().start(node::close);
                Await.until("the node to drain", 10_000, () -> Http.get(node.metricsPort(), "/metrics").body()
                    .contains("loomcache_backpressure_level 3.0"));
                assertEquals(ErrorCode.SHUTTING_DOWN, active.put(2, "new", "value", 0).errorCode());
                assertEquals(ErrorCode.SHUTTING_DOWN, active.get(3, "big").errorCode());
                assertEquals(Opcodes.RESPONSE_OK, active.call(RawClient.header(0, 1, 0, Opcodes.PING, 4)).opcode());
            } finally {
                stalled.close();
            }
            closer.join(60_000);
        }
    }

    /**
     * Executor 0's WAL fails (a directory squats the name of its next segment, as a full disk would refuse it);
     * executor 1's WAL is healthy, so a refused write to one of its keys shows the node-wide read-only state.
     */
    @Test
    void whenAWalHasFailed_thenTheNodeIsReadOnlyAndRefusesEveryWriteNotApplied() throws Exception {
        final Path executorWal = Files.createDirectories(nodes.dataDir().resolve("wal").resolve("executor-0"));
        for (int index = 2; index < 64; index++) {
            Files.createDirectories(executorWal.resolve("%020d.dat".formatted(index)).resolve("squatter"));
        }
        try (LoomCacheNode node = LoomCacheNode.start(nodes.context("nio").persistenceEnabled(true)
            .walSegmentLength(128 * 1024)); RawClient client = new RawClient(node.port())) {
            final String value = "v".repeat(6_000);
            RawClient.Response response = client.put(0, key(0, 0), value, 0);
            int written = 0;
            while (response.opcode() == Opcodes.RESPONSE_OK) {
                assertTrue(++written < 64, "the segment never filled up");
                response = client.put(written, key(0, written), value, 0);
            }
            assertEquals(ErrorCode.INTERNAL_ERROR, response.errorCode(), response.text());
            final int[] attempt = {0};
            Await.until("a write to the healthy executor to be refused", 10_000,
                () -> client.put(1000, key(1, ++attempt[0]), "w", 0).errorCode() == ErrorCode.INTERNAL_ERROR);
            final RawClient.Response refused = client.put(1001, key(1, ++attempt[0]), "w", 0);
            assertEquals(ErrorCode.INTERNAL_ERROR, refused.errorCode());
            assertTrue(refused.text().contains("this one was not applied"), refused.text());
            assertEquals(Opcodes.RESPONSE_NOT_FOUND, client.get(1002, key(1, attempt[0])).opcode());
            assertEquals(value, client.get(1003, key(0, 0)).valueAsString(), "reads go on");
            final RawClient.Response clear = client.call(client.frame(Opcodes.MAP_CLEAR, 1004, 0, null, null, null));
            assertEquals(ErrorCode.INTERNAL_ERROR, clear.errorCode());
            assertEquals(value, client.get(1005, key(0, 0)).valueAsString(), "the refused clear cleared nothing");
            assertTrue(Http.get(node.healthPort(), "/health").body().contains("WAL_FAILED"));
        }
    }

    /** The n-th key, counting from 0, that executor {@code executor} of two owns. */
    private static String key(final int executor, final int n) {
        int found = -1;
        for (int i = 0; ; i++) {
            final byte[] key = RawClient.bytes("key-" + i);
            if (PartitionRouter.executor(PartitionRouter.partition(new UnsafeBuffer(key), 0, key.length, 271), 2) ==
                executor && ++found == n) {
                return "key-" + i;
            }
        }
    }
}
