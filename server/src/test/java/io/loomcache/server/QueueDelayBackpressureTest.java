package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.Opcodes;

/**
 * A client that reads every answer but offers more than the executors serve within the queue-delay budget: the
 * node sheds with SERVER_BUSY instead of letting requests wait in its (large) rings, and serves again afterwards.
 */
class QueueDelayBackpressureTest {
    private static final int FLOOD = 60_000;

    @TempDir
    Path dataDir;

    private LoomCacheNode node;

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldShedWithServerBusyWhenRequestsWaitLongerThanTheBudgetThenRecover(final String transport)
        throws Exception {
        node = LoomCacheNode.start(TestNodes.context(transport, dataDir).queueDelayBudgetMs(1));
        try (RawClient flooder = new RawClient(node.port()); RawClient polite = new RawClient(node.port())) {
            final ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int i = 1; i <= FLOOD; i++) {
                flood.write(flooder.frame(Opcodes.MAP_PUT, i, 0, RawClient.bytes("key-" + (i % 1000)), null,
                    RawClient.bytes("value-" + i)));
            }
            final Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    flooder.send(flood.toByteArray());
                } catch (final Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            int busy = 0;
            int ok = 0;
            for (int i = 0; i < FLOOD; i++) {
                final int opcode = flooder.read().opcode();
                if (opcode == Opcodes.RESPONSE_SERVER_BUSY) {
                    busy++;
                } else if (opcode == Opcodes.RESPONSE_OK) {
                    ok++;
                }
            }
            sender.join();
            assertEquals(FLOOD, busy + ok, "every request is answered, either served or refused as busy");
            assertTrue(busy > 0, "some requests are shed once they wait longer than the budget");
            assertTrue(ok > 0, "the node kept serving while shedding");
            Await.until("service to recover when the flood is over", 20_000,
                () -> polite.put(FLOOD + 1, "after", "flood", 0).opcode() == Opcodes.RESPONSE_OK);
        }
    }
}
