package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.Await;

/**
 * What an idle connection costs: each of many connections does a request and a PING, then idles; the node must
 * have given every outbound ring and I/O buffer back, and the direct memory per idle connection must stay within
 * 16 KiB (the default ring alone is 256 KiB). Prints the direct and heap bytes per connection it measured.
 */
class IdleConnectionMemoryTest {
    private static final int CONNECTIONS = 1_000;
    private static final long DIRECT_BYTES_PER_IDLE_CONNECTION = 16 * 1024;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldHoldNoRingOrIoBufferAndAtMostSixteenKibOfDirectMemoryPerIdleConnection(final String transport)
        throws Exception {
        node = nodes.start(nodes.context(transport).connectionBufferLength(256 * 1024));
        final BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> "direct".equals(pool.getName())).findFirst().orElseThrow();
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        warmUp();
        System.gc();
        final long directBefore = direct.getMemoryUsed();
        final long heapBefore = memory.getHeapMemoryUsage().getUsed();
        final List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                final RawClient client = new RawClient(node.port());
                clients.add(client);
                assertEquals(Opcodes.RESPONSE_OK, client.put(i, "key-" + i, "value-" + i, 0).opcode());
                assertEquals(Opcodes.RESPONSE_OK, client.call(RawClient.header(0, 1, 0, Opcodes.PING, i)).opcode());
            }
            Await.until("every connection to give its ring back", 10_000,
                () -> Http.get(node.metricsPort(), "/metrics").body()
                    .contains("loomcache_connection_memory_bytes 0.0"));
            System.gc();
            final long directPerConnection = (direct.getMemoryUsed() - directBefore) / CONNECTIONS;
            final long heapPerConnection = (memory.getHeapMemoryUsage().getUsed() - heapBefore) / CONNECTIONS;
            System.out.println("idle connection (" + transport + "): direct " + directPerConnection +
                " B, heap " + heapPerConnection + " B (node and test client share the JVM)");
            assertTrue(directPerConnection <= DIRECT_BYTES_PER_IDLE_CONNECTION,
                "direct memory per idle connection: " + directPerConnection + " bytes");
        } finally {
            for (final RawClient client : clients) {
                client.close();
            }
        }
    }

    private void warmUp() throws Exception {
        try (RawClient client = new RawClient(node.port())) {
            assertEquals(Opcodes.RESPONSE_OK, client.put(1, "warm", "up", 0).opcode());
        }
    }
}
