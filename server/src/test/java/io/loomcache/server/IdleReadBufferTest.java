package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionBuffers;
import io.loomcache.testkit.Await;

/**
 * Review of the NIO reader's leased read buffer: a read that exactly fills the 4 KiB idle buffer leases a 64 KiB
 * buffer for the next read, which is released only after a read comes back short. If the client then idles, that
 * next read blocks indefinitely holding the leased buffer: an idle connection keeps 64 KiB of connection memory. A
 * client can hold 64 KiB of the node's budget per connection with one 4 KiB write (16 x amplification), enough to
 * spend the budget and have every request of every client answered SERVER_BUSY.
 */
class IdleReadBufferTest {
    private static final int PINGS = 4096 / FrameHeaderDescriptor.HEADER_LENGTH;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;

    @Test
    void shouldHoldNoIoBufferAfterAReadThatFilledTheIdleBufferExactly() throws Exception {
        node = nodes.start(nodes.context("nio"));
        try (RawClient client = new RawClient(node.port())) {
            final byte[] batch = new byte[PINGS * FrameHeaderDescriptor.HEADER_LENGTH];
            for (int i = 0; i < PINGS; i++) {
                System.arraycopy(RawClient.header(0, 1, 0, Opcodes.PING, i), 0, batch,
                    i * FrameHeaderDescriptor.HEADER_LENGTH, FrameHeaderDescriptor.HEADER_LENGTH);
            }
            client.send(batch);
            for (int i = 0; i < PINGS; i++) {
                assertEquals(i, client.read().correlationId());
            }
            final Connection connection = TestNodes.onlyConnection(node);
            assertNotNull(connection);
            final ConnectionBuffers buffers = connection.buffers();
            try {
                Await.until("the idle connection to give its ring and I/O buffers back", 3_000,
                    () -> buffers.leasedBytes() == 0);
            } catch (final AssertionError ex) {
                throw new AssertionError(ex.getMessage() + ": still leased " + buffers.leasedBytes() +
                    " bytes, ring " + connection.hasRing(), ex);
            }
        }
    }
}
