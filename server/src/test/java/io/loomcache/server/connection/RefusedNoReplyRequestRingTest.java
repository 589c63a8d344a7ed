package io.loomcache.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.MapRequestEncoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.executor.ExecutorGroup;
import io.loomcache.server.executor.FanOutTable;
import io.loomcache.server.executor.RequestRecordDescriptor;
import io.loomcache.server.metrics.ServerMetrics;

/**
 * Review of the leased outbound rings: the reader leases a ring (ensureRing) before it dispatches a map request. When
 * the executor's request ring is full the request is answered SERVER_BUSY, but with FLAG_NO_REPLY nothing is
 * delivered, so the reader never wakes the writer, and nothing is in flight that would. A writer that parked while
 * the connection had no ring (NIO parks until woken; Netty runs no flush task) then never calls releaseRingIfIdle:
 * the idle connection keeps its ring until its next request or its end.
 */
class RefusedNoReplyRequestRingTest {
    private static final int RING_LENGTH = 64 * 1024;

    @TempDir
    Path dataDir;

    @Test
    void shouldNotLeaveAnIdleConnectionHoldingARingNobodyWillGiveBack() throws Exception {
        final ServerContext context = new ServerContext().persistenceEnabled(false).executors(1)
            .maxFrameLength(64 * 1024).connectionBufferLength(RING_LENGTH).dataDir(dataDir).conclude();
        final ConnectionRegistry registry = new ConnectionRegistry(16);
        final FanOutTable fanOut = new FanOutTable(16);
        final ServerMetrics metrics = new ServerMetrics();
        try (ExecutorGroup executors = ExecutorGroup.create(context, registry, fanOut, metrics)) {
            // not started: nothing drains the request ring, which the test fills as a burst of traffic would
            final ConnectionBuffers buffers = new ConnectionBuffers(RING_LENGTH, 16L * RING_LENGTH);
            final ConnectionServices services = new ConnectionServices(context, registry, new ConnectionLimiter(16),
                executors, fanOut, new BackpressureController(0.5, 0.8), metrics,
                new FrameAssemblyPool(1024 * 1024, 64 * 1024), buffers);
            final DetachedConnection connection = new DetachedConnection(buffers);
            assertTrue(registry.register(connection));
            final ConnectionAdapter adapter = new ConnectionAdapter(connection, services);
            fill(executors.ring(0));

            final byte[] put = noReplyPut();
            assertTrue(adapter.onBytes(new UnsafeBuffer(put), 0, put.length, 0) >= 0);

            assertEquals(0, connection.inFlight(), "the refused request is not in flight");
            assertTrue(connection.isOutboundEmpty(), "nothing to write: the client asked for no reply");
            assertTrue(!connection.hasRing() || connection.wakeUps() > 0,
                "an idle connection holds a ring (" + buffers.leasedBytes() + " bytes leased) and its writer, " +
                    "parked, was never woken to give it back");
        }
    }

    private static void fill(final ManyToOneRingBuffer ring) {
        for (int length = ring.maxMsgLength(); length > 0; length /= 2) {
            int index;
            while ((index = ring.tryClaim(RequestRecordDescriptor.MSG_TYPE_REQUEST, length)) >= 0) {
                ring.commit(index);
            }
        }
    }

    private static byte[] noReplyPut() {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final UnsafeBuffer key = new UnsafeBuffer("key".getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer value = new UnsafeBuffer("value".getBytes(StandardCharsets.UTF_8));
        final MapRequestEncoder encoder = new MapRequestEncoder().wrap(buffer, 0).request(Opcodes.MAP_PUT, 7, 0);
        encoder.ttlMs(0).key(key, 0, key.capacity()).value(value, 0, value.capacity());
        final byte[] frame = new byte[encoder.frameLength()];
        buffer.getBytes(0, frame);
        frame[FrameHeaderDescriptor.FLAGS_OFFSET] |= FrameHeaderDescriptor.FLAG_NO_REPLY;
        return frame;
    }
}
