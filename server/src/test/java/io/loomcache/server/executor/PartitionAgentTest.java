package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseDecoder;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.connection.ConnectionRegistry;
import io.loomcache.server.connection.DetachedConnection;
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
    private final FanOutTable fanOut = new FanOutTable(8);
    private final CachedEpochClock clock = new CachedEpochClock();
    private final AtomicInteger forces = new AtomicInteger();
    private final List<Integer> pendingAtForce = new ArrayList<>();
    private volatile boolean failForces;
    private PartitionAgent agent;

    /** A connection that only collects what executors deliver. */
    static final class CapturingConnection extends DetachedConnection {
        CapturingConnection() {
            this(64 * 1024);
        }

        CapturingConnection(final int ringLength) {
            super(ringLength, 1024 * 1024);
            ensureRing();
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
        start(1024 * 1024);
    }

    private void start(final int segmentLength) throws IOException {
        assertTrue(registry.register(connection));
        clock.update(1_700_000_000_000L);
        final ExecutorStore store = ExecutorStore.create(new StoreContext().maxMemoryBytes(8L * 1024 * 1024), clock,
            SystemNanoClock.INSTANCE);
        final WriteAheadLog log = WriteAheadLog.open(new WalContext().directory(dir).segmentLength(segmentLength)
            .fsyncPolicy(FsyncPolicy.BATCH).syncer(syncer));
        final ServerMetrics metrics = new ServerMetrics();
        agent = new PartitionAgent(0, ring, store, log, new ServerContext().walFsync(FsyncPolicy.BATCH).snapshotEvery(0)
            .epochClock(clock).conclude(), new ResponseDelivery(registry, fanOut, metrics, SystemNanoClock.INSTANCE));
        forces.set(0);
        pendingAtForce.clear();
    }

    private void request(final int opcode, final long correlationId, final String key, final String value) {
        ExecutorRequests.keyed(ring, connection, opcode, correlationId, 0, key.getBytes(StandardCharsets.UTF_8),
            null, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private ResponseDecoder call(final int opcode, final long correlationId, final String key, final String value) {
        request(opcode, correlationId, key, value);
        agent.doWork();
        final List<ResponseDecoder> responses = connection.responses();
        assertEquals(1, responses.size());
        return responses.getFirst();
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
    /** Issue 9: after a failed append the write stayed in the store (reads saw it) though a restart would lose it. */
    @Test
    void whenTheWalHasFailed_thenWritesAreRefusedBeforeTheyTouchTheStoreAndReadsGoOn() throws Exception {
        start();
        assertEquals(Opcodes.RESPONSE_OK, call(Opcodes.MAP_PUT, 1, "kept", "1").opcode());
        failForces = true;
        assertEquals(ErrorCode.INTERNAL_ERROR, call(Opcodes.MAP_PUT, 2, "unknown", "2").errorCode(),
            "its force failed: outcome unknown");
        assertTrue(agent.walFailed());

        final ResponseDecoder refused = call(Opcodes.MAP_PUT, 3, "refused", "3");
        assertEquals(ErrorCode.INTERNAL_ERROR, refused.errorCode());
        assertTrue(refused.errorMessageAsString().contains("not applied"), refused.errorMessageAsString());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 4, "refused", null).opcode());
        assertEquals(ErrorCode.INTERNAL_ERROR, call(Opcodes.MAP_REMOVE, 5, "kept", null).errorCode());
        ExecutorRequests.keyed(ring, connection, Opcodes.MAP_REPLACE, 6, 0, bytes("kept"), bytes("1"), bytes("6"));
        agent.doWork();
        assertEquals(ErrorCode.INTERNAL_ERROR, connection.responses().getFirst().errorCode());
        ExecutorRequests.keyed(ring, connection, Opcodes.MAP_EXPIRE, 7, 1, bytes("kept"), null, null);
        agent.doWork();
        assertEquals(ErrorCode.INTERNAL_ERROR, connection.responses().getFirst().errorCode());
        ExecutorRequests.fanOut(ring, connection, fanOut, Opcodes.MAP_CLEAR, 8);
        agent.doWork();
        assertEquals(ErrorCode.INTERNAL_ERROR, connection.responses().getFirst().errorCode());
        final int[] readModifyWrites = {Opcodes.MAP_INCREMENT, Opcodes.MAP_APPEND, Opcodes.MAP_GET_AND_PUT,
            Opcodes.MAP_GET_AND_REMOVE, Opcodes.MAP_PUT_IF_PRESENT, Opcodes.MAP_PERSIST, Opcodes.MAP_SET_RANGE,
            Opcodes.MAP_PUT_KEEP_TTL};
        for (final int opcode : readModifyWrites) {
            ExecutorRequests.keyed(ring, connection, opcode, 20 + opcode, 0, bytes("kept"), null, bytes("2"));
            agent.doWork();
            final ResponseDecoder response = connection.responses().getFirst();
            assertEquals(ErrorCode.INTERNAL_ERROR, response.errorCode(), Opcodes.name(opcode));
            assertTrue(response.errorMessageAsString().contains("not applied"), Opcodes.name(opcode));
        }
        assertEquals("1", call(Opcodes.MAP_GET, 9, "kept", null).valueAsString(), "no refused write touched it");
        assertTrue(agent.walFailed(), "failed until restart");
        assertEquals(0, connection.inFlight());
    }

    /**
     * Issue 9: a write whose record could not be appended (the next segment cannot be created: here a directory
     * squats its name, as a full disk would refuse it) was visible in the store but lost at the next start.
     */
    @Test
    void whenTheWalCannotCreateItsNextSegment_thenTheWriteIsNotAppliedAndTheWalCountsAsFailed() throws Exception {
        for (int index = 2; index < 64; index++) {
            final Path squatter = dir.resolve("%020d.dat".formatted(index));
            Files.createDirectories(squatter.resolve("squatter"));
        }
        start(64 * 1024);
        final String value = "v".repeat(6_000);
        int written = 0;
        ResponseDecoder response = call(Opcodes.MAP_PUT, 0, "key-0", value);
        while (response.opcode() == Opcodes.RESPONSE_OK) {
            assertTrue(++written < 64, "the segment never filled up");
            response = call(Opcodes.MAP_PUT, written, "key-" + written, value);
        }
        assertEquals(ErrorCode.INTERNAL_ERROR, response.errorCode(), response.errorMessageAsString());
        assertTrue(agent.walFailed());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 100, "key-" + written, null).opcode(),
            "a write without a record must not be visible");
        assertEquals(value, call(Opcodes.MAP_GET, 101, "key-0", null).valueAsString());
        agent.onClose();
        agent = null;
        try (WriteAheadLog log = WriteAheadLog.open(new WalContext().directory(dir).segmentLength(64 * 1024));
            OffHeapStore store = new OffHeapStore(new StoreContext().maxMemoryBytes(8L * 1024 * 1024))) {
            new StoreRecovery(store, clock).recover(log);
            assertEquals(written, store.size(), "every acknowledged write and nothing else");
        }
    }

    /** Issue 9: MAP_SIZE counted entries whose TTL had run out but that the sweep had not reached yet. */
    @Test
    void shouldCountOnlyLiveEntriesInMapSize() throws Exception {
        start();
        for (int i = 0; i < 5; i++) {
            ExecutorRequests.keyed(ring, connection, Opcodes.MAP_PUT, i, i < 3 ? 100 : 0, bytes("key-" + i), null,
                bytes("value"));
        }
        agent.doWork();
        assertEquals(5, connection.responses().size());
        clock.advance(100);
        ExecutorRequests.fanOut(ring, connection, fanOut, Opcodes.MAP_SIZE, 10);
        agent.doWork();
        assertEquals(2, connection.responses().getFirst().longResult(), "three of the five TTLs ran out");
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
