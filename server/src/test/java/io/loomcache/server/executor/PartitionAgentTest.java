package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.MapRequestEncoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseDecoder;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionRegistry;
import io.loomcache.server.metrics.ServerMetrics;
import io.loomcache.store.OffHeapStore;
import io.loomcache.store.StoreContext;
import io.loomcache.wal.FsyncPolicy;
import io.loomcache.wal.Syncer;
import io.loomcache.wal.WalContext;
import io.loomcache.wal.WriteAheadLog;

class PartitionAgentTest {
    @TempDir
    Path dir;

    private final ConnectionRegistry registry = new ConnectionRegistry(4);
    private final CapturingConnection connection = new CapturingConnection();
    private final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
        ByteBuffer.allocateDirect(1024 * 1024 + RingBufferDescriptor.TRAILER_LENGTH)));
    private final AtomicInteger forces = new AtomicInteger();
    private final List<Integer> pendingAtForce = new ArrayList<>();
    private volatile boolean failForces;
    private PartitionAgent agent;

    /** A connection that only collects what executors deliver. */
    static final class CapturingConnection extends Connection {
        CapturingConnection() {
            super(InetAddress.getLoopbackAddress(), 64 * 1024, 1024 * 1024);
            ensureRing();
        }

        @Override
        public void wakeWriter() {
        }

        @Override
        protected void closeTransport() {
            release();
        }

        List<ResponseDecoder> responses() {
            final UnsafeBuffer out = new UnsafeBuffer(new byte[64 * 1024]);
            final int end = drainRing(out, 0, out.capacity());
            final List<ResponseDecoder> decoded = new ArrayList<>();
            for (int offset = 0; offset < end; ) {
                final ResponseDecoder decoder = new ResponseDecoder(ProtocolLimits.DEFAULTS);
                final int length = 16 + out.getInt(offset);
                final byte[] copy = new byte[length];
                out.getBytes(offset, copy);
                decoded.add(decoder.wrap(new UnsafeBuffer(copy), 0, length));
                offset += length;
            }
            return decoded;
        }
    }

    private final Syncer syncer = new Syncer() {
        @Override
        public void forceMapping(final MemorySegment mapping, final Path file) throws IOException {
            forces.incrementAndGet();
            pendingAtForce.add((int)connection.pendingOutboundBytes());
            if (failForces) {
                throw new IOException("injected EIO");
            }
            mapping.force();
        }

        @Override
        public void forceChannel(final FileChannel channel, final Path file) throws IOException {
            if (failForces) {
                throw new IOException("injected EIO");
            }
            channel.force(true);
        }
    };

    @AfterEach
    void close() {
        if (agent != null) {
            agent.onClose();
        }
    }

    private void start() throws IOException {
        assertTrue(registry.register(connection));
        final OffHeapStore store = new OffHeapStore(new StoreContext().maxMemoryBytes(8L * 1024 * 1024));
        final WriteAheadLog log = WriteAheadLog.open(new WalContext().directory(dir).segmentLength(1024 * 1024)
            .fsyncPolicy(FsyncPolicy.BATCH).syncer(syncer));
        final ServerMetrics metrics = new ServerMetrics();
        final FanOutTable fanOut = new FanOutTable(8);
        agent = new PartitionAgent(0, ring, store, log, FsyncPolicy.BATCH, 0, SystemEpochClock.INSTANCE,
            ProtocolLimits.DEFAULTS, new ResponseDelivery(registry, fanOut, metrics));
        forces.set(0);
        pendingAtForce.clear();
    }

    private void request(final int opcode, final long correlationId, final String key, final String value) {
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
        final MapRequestEncoder encoder = new MapRequestEncoder().wrap(frame, 0);
        encoder.request(opcode, correlationId, 0);
        if (opcode == Opcodes.MAP_PUT) {
            encoder.ttlMs(0);
        }
        final UnsafeBuffer k = new UnsafeBuffer(key.getBytes(StandardCharsets.UTF_8));
        encoder.key(k, 0, k.capacity());
        if (value != null) {
            final UnsafeBuffer v = new UnsafeBuffer(value.getBytes(StandardCharsets.UTF_8));
            encoder.value(v, 0, v.capacity());
        }
        final int length = encoder.frameLength();
        final UnsafeBuffer record = new UnsafeBuffer(new byte[RequestRecordDescriptor.FRAME_OFFSET + length]);
        record.putLong(RequestRecordDescriptor.CONNECTION_ID_OFFSET, connection.id());
        record.putLong(RequestRecordDescriptor.RECEIVED_NS_OFFSET, System.nanoTime());
        record.putInt(RequestRecordDescriptor.FAN_OUT_SLOT_OFFSET, RequestRecordDescriptor.NO_FAN_OUT_SLOT);
        record.putBytes(RequestRecordDescriptor.FRAME_OFFSET, frame, 0, length);
        connection.requestStarted();
        assertTrue(ring.write(RequestRecordDescriptor.MSG_TYPE_REQUEST, record, 0, record.capacity()));
    }

    @Test
    void shouldCoverABatchOfWritesWithOneForceBeforeReleasingAnyResponse() throws Exception {
        start();
        request(Opcodes.MAP_PUT, 1, "a", "1");
        request(Opcodes.MAP_PUT, 2, "b", "2");
        request(Opcodes.MAP_GET, 3, "a", null);
        request(Opcodes.MAP_PUT, 4, "c", "3");
        agent.doWork();
        assertEquals(1, forces.get(), "one force covers the batch");
        assertEquals(List.of(0), pendingAtForce, "no response left before the force");
        final List<ResponseDecoder> responses = connection.responses();
        assertEquals(4, responses.size());
        assertEquals(Opcodes.RESPONSE_OK, responses.get(0).opcode());
        assertEquals(Opcodes.RESPONSE_VALUE, responses.get(2).opcode());
        assertEquals(0, connection.inFlight());
        request(Opcodes.MAP_GET, 5, "b", null);
        agent.doWork();
        assertEquals(1, forces.get(), "a batch of reads needs no force");
        assertEquals(1, connection.responses().size());
    }

    @Test
    void shouldAnswerInternalErrorToWritesWhoseForceFailedAndKeepFailing() throws Exception {
        start();
        failForces = true;
        request(Opcodes.MAP_PUT, 1, "a", "1");
        agent.doWork();
        final ResponseDecoder failed = connection.responses().get(0);
        assertEquals(Opcodes.RESPONSE_ERROR, failed.opcode());
        assertEquals(ErrorCode.INTERNAL_ERROR, failed.errorCode());
        assertEquals(1, failed.correlationId());
        assertTrue(agent.walFailed());
        request(Opcodes.MAP_PUT, 2, "b", "2");
        agent.doWork();
        assertEquals(ErrorCode.INTERNAL_ERROR, connection.responses().get(0).errorCode());
        assertEquals(0, connection.inFlight());
    }
}
