package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.Opcodes;

class HotPathAllocationTest {
    private static final int BATCH = 2_000;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldNotAllocateOnTheExecutorThreadsInTheSteadyState(final String transport) throws Exception {
        node = nodes.start(nodes.context(transport).persistenceEnabled(true)
            .snapshotEvery(0).walSegmentLength(32 * 1024 * 1024).connectionBufferLength(1024 * 1024));
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (RawClient client = new RawClient(node.port())) {
            final byte[] pipeline = pipeline(client);
            for (int round = 0; round < 5; round++) {
                run(client, pipeline);
            }
            final List<Thread> executors = threadsNamed("loomcache-executor-");
            final long before = allocated(threads, executors);
            for (int round = 0; round < 10; round++) {
                run(client, pipeline);
            }
            final long bytes = allocated(threads, executors) - before;
            final long requests = 10L * 2 * BATCH;
            // Store, WAL, staging, rings and meters allocate nothing. What remains is the wake-up of a parked
            // writer: a virtual thread's unpark wraps its continuation in a small ForkJoinPool task (NIO), a Netty
            // event loop's task queue grows by a chunk now and then (Netty). Wake-ups are coalesced per
            // connection, so this stays below one byte per request, where one object per request would cost 16+.
            assertTrue(bytes < requests, "executors allocated " + bytes + " bytes for " + requests + " requests");
        }
    }

    private static byte[] pipeline(final RawClient client) throws Exception {
        final ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int i = 0; i < BATCH; i++) {
            frames.write(client.frame(Opcodes.MAP_PUT, i, 0, RawClient.bytes("key-" + (i % 500)), null,
                RawClient.bytes("value-" + i)));
            frames.write(client.frame(Opcodes.MAP_GET, BATCH + i, 0, RawClient.bytes("key-" + (i % 700)), null,
                null));
        }
        return frames.toByteArray();
    }

    private static void run(final RawClient client, final byte[] pipeline) throws Exception {
        client.send(pipeline);
        for (int i = 0; i < 2 * BATCH; i++) {
            client.read();
        }
    }

    private static List<Thread> threadsNamed(final String prefix) {
        final List<Thread> found = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(prefix)) {
                found.add(thread);
            }
        }
        assertTrue(!found.isEmpty(), "no thread named " + prefix);
        return found;
    }

    private static long allocated(final com.sun.management.ThreadMXBean threads, final List<Thread> list) {
        long total = 0;
        for (final Thread thread : list) {
            total += threads.getThreadAllocatedBytes(thread.threadId());
        }
        return total;
    }
}
