package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.Opcodes;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionBuffers;
import io.loomcache.testkit.Await;

/**
 * Review of the leased outbound rings: a connection that dies with responses still in its ring (here a client that
 * pipelines durable PUTs without reading, then resets the connection; their answers come from the executor thread,
 * so they wait in the ring while the writer is blocked, where answers of the reader's own inline requests would
 * block the reader itself) must not hand that ring, unsent responses and all,
 * to the next connection. Connection.retire() pools the ring whenever nothing is in flight, without looking at
 * whether it is empty, so the next client's writer drains the dead client's responses first. (The client sends small
 * batches so that its unsent responses sit in the ring rather than the spill; a slow-consumer abort by the reader,
 * a write-timeout abort by the conductor and a reset all pool the ring the same way.)
 */
class RingReuseAfterAbortTest {
    private static final long A_CORRELATION_BASE = 1_000_000_000L;
    private static final long B_CORRELATION = 42;
    /** PUTs per write: small enough that each read stays short (no 64 KiB read) and its replies fit the ring. */
    private static final int BATCH = 64;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;

    /**
     * NIO only: there the unsent responses of a blocked writer wait in the ring, which is what makes the ring dirty.
     * Netty's flush task moves them into Netty's own outbound buffer, and its reader pauses on those bytes before
     * the ring fills again, so the case cannot be set up reliably there; Connection.retire() guards both alike.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio"})
    void shouldNotHandAnAbortedConnectionsUnsentResponsesToTheNextConnection(final String transport)
        throws Exception {
        node = nodes.start(nodes.context(transport).persistenceEnabled(true));
        final ByteArrayOutputStream frames = new ByteArrayOutputStream();
        final RawClient encoder = nodes.add(new RawClient(node.port()));
        for (int i = 0; i < BATCH; i++) {
            frames.write(encoder.frame(Opcodes.MAP_PUT, A_CORRELATION_BASE + i, 0, RawClient.bytes("k" + i), null,
                RawClient.bytes("v")));
        }
        final byte[] batch = frames.toByteArray();
        encoder.close();
        Await.until("the encoding connection to be gone", 10_000, () -> node.connections().count() == 0);
        final Socket a = new Socket();
        a.setReceiveBufferSize(4096);
        a.connect(new InetSocketAddress("127.0.0.1", node.port()), RawClient.TIMEOUT_MS);
        a.setTcpNoDelay(true);
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread pipeliner = Thread.ofPlatform().daemon().start(() -> {
            try {
                final OutputStream out = a.getOutputStream();
                while (!stop.get()) {
                    out.write(batch);
                    Thread.sleep(1);
                }
            } catch (final Exception ignored) {
                // the reset ends the pipeliner
            }
        });
        final Connection[] server = new Connection[1];
        Await.until("A's connection to have its reader paused and responses waiting in its ring", 30_000, () -> {
            final Connection connection = TestNodes.onlyConnection(node);
            server[0] = connection;
            return connection != null && connection.shouldPauseReading() && !connection.isRingEmpty();
        });
        final ConnectionBuffers buffers = server[0].buffers();
        a.setSoLinger(true, 0);
        a.close();
        stop.set(true);
        pipeliner.join(10_000);
        Await.until("A's connection to be gone and its ring returned", 10_000,
            () -> node.connections().count() == 0 && buffers.leasedBytes() == 0);

        try (RawClient b = new RawClient(node.port())) {
            final RawClient.Response response = b.call(RawClient.header(0, 1, 0, Opcodes.PING, B_CORRELATION));
            assertEquals(B_CORRELATION, response.correlationId(),
                "B's first response must answer B's PING, not a PING of the dead connection A");
        }
    }
}
