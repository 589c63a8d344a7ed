package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.netty.util.ResourceLeakDetector;

import io.loomcache.protocol.Opcodes;

/**
 * Heap allocation of every server thread (event loops, acceptor, conductor, HTTP endpoints, and the executors they
 * host) while clients keep requests in flight, on the transport that allocates nothing of its own (Netty epoll):
 * reads and writes of the reader's own requests, durable writes that cross the executor's ring and are forced before
 * their answers leave, wake-ups between loops. one allocation per request
 * anywhere in the server costs at least 16 bytes a request in every window, so the test asks for one window of
 * thousands of requests in which the server allocated nothing at all. A window that saw a one-off (a JIT
 * deoptimization, a first log line) is measured again; a per-request allocation fails every window. Netty's event
 * loops allocate a few hundred bytes now and then, in no proportion to the requests (seen on both ports: about half
 * the windows of 8,000 requests hold 64 to 700 bytes on one loop, the others none; once, on a loaded CI run, six
 * windows in a row did), so up to {@link #MEASURED_WINDOWS} windows are measured until one is clean.
 * <p>
 * Not here: Netty's io_uring transport allocates an {@code IoUringIoOps} per submitted recv and send, and the JDK
 * allocates a scheduler task per virtual-thread unpark and a map node per poller registration (the NIO transport's
 * blocking reads); docs/benchmarks.md gives their figures and stacks. The adapter, executors and rings are the same
 * code on every transport.
 */
class ServerAllocationTest {
    private static final int CONNECTIONS = 4;
    private static final int REQUESTS_PER_CONNECTION = 2_000;
    private static final int WARM_UP_WINDOWS = 5;
    private static final int MEASURED_WINDOWS = 20;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @ParameterizedTest(name = "{0} pipeline {1}")
    @CsvSource({"netty-epoll, 1", "netty-epoll, 16"})
    void shouldAllocateNothingOnAnyServerThreadPerRequest(final String transport, final int pipeline)
        throws Exception {
        final LoomCacheNode node = startNode(transport, false);
        final List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            clients.add(nodes.add(new RawClient(node.port())));
        }
        final byte[] burst = burst(clients.get(0), pipeline);
        assertNoServerAllocation(() -> window(clients, burst, pipeline));
    }

    /**
     * The same on the Redis port: commands parsed, turned into map requests, answered and rendered as Redis replies
     * in order (GET, SET, a two-key DEL and a PING the connection answers itself), nothing allocated per command.
     */
    @ParameterizedTest(name = "{0} pipeline {1}")
    @CsvSource({"netty-epoll, 1", "netty-epoll, 16"})
    void shouldAllocateNothingOnAnyServerThreadPerRedisCommand(final String transport, final int pipeline)
        throws Exception {
        final LoomCacheNode node = startNode(transport, true);
        final List<RespTestClient> clients = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            clients.add(nodes.add(new RespTestClient(node.respPort())));
        }
        final ByteArrayOutputStream commands = new ByteArrayOutputStream();
        for (int i = 0; i < pipeline; i++) {
            final String key = "key-" + (i % 500);
            commands.writeBytes(switch (i % 4) {
                case 0 -> RespTestClient.encode("GET", key);
                case 1 -> RespTestClient.encode("SET", key, "value-" + i);
                case 2 -> RespTestClient.encode("DEL", "other-" + i, "another-" + i);
                default -> RespTestClient.encode("PING");
            });
        }
        final byte[] burst = commands.toByteArray();
        assertNoServerAllocation(() -> {
            for (int round = 0; round < REQUESTS_PER_CONNECTION / pipeline; round++) {
                for (final RespTestClient client : clients) {
                    client.send(burst);
                }
                for (final RespTestClient client : clients) {
                    for (int i = 0; i < pipeline; i++) {
                        if (client.read() instanceof RespTestClient.Error error) {
                            fail("command failed: " + error);
                        }
                    }
                }
            }
        });
    }

    /**
     * PUBLISH: the publishers' readers deliver each message to a subscriber of the channel and of a matching pattern
     * (two copies into its ring, rendered by its writer), nothing allocated per message.
     */
    @ParameterizedTest(name = "{0} pipeline {1}")
    @CsvSource({"netty-epoll, 1", "netty-epoll, 16"})
    void shouldAllocateNothingOnAnyServerThreadPerPublishedMessage(final String transport, final int pipeline)
        throws Exception {
        final LoomCacheNode node = startNode(transport, true);
        final RespTestClient subscriber = nodes.add(new RespTestClient(node.respPort()));
        subscriber.call("SUBSCRIBE", "ticks");
        subscriber.call("PSUBSCRIBE", "t*");
        final List<RespTestClient> publishers = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            publishers.add(nodes.add(new RespTestClient(node.respPort())));
        }
        final ByteArrayOutputStream commands = new ByteArrayOutputStream();
        for (int i = 0; i < pipeline; i++) {
            commands.writeBytes(RespTestClient.encode("PUBLISH", "ticks", "price-" + i));
        }
        final byte[] burst = commands.toByteArray();
        assertNoServerAllocation(() -> {
            for (int round = 0; round < REQUESTS_PER_CONNECTION / pipeline; round++) {
                for (final RespTestClient publisher : publishers) {
                    publisher.send(burst);
                }
                for (final RespTestClient publisher : publishers) {
                    for (int i = 0; i < pipeline; i++) {
                        assertEquals(2L, publisher.read());
                    }
                }
                for (int i = 0; i < 2 * pipeline * publishers.size(); i++) {
                    subscriber.read();
                }
            }
        });
    }

    private LoomCacheNode startNode(final String transport, final boolean resp) throws Exception {
        // the node runs without leak detection (scripts/node); its sampled stack traces would be counted here
        final ResourceLeakDetector.Level leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        nodes.add(() -> ResourceLeakDetector.setLevel(leakLevel));
        return nodes.start(nodes.context(transport).persistenceEnabled(true).respPort(resp ? 0 : -1)
            .snapshotEvery(0).walSegmentLength(64 * 1024 * 1024));
    }

    /** A window of {@link #REQUESTS_PER_CONNECTION} requests per connection. */
    @FunctionalInterface
    private interface Window {
        void run() throws Exception;
    }

    private static void assertNoServerAllocation(final Window window) throws Exception {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARM_UP_WINDOWS; i++) {
            window.run();
        }
        Map<String, Long> best = null;
        long bestBytes = Long.MAX_VALUE;
        for (int i = 0; i < MEASURED_WINDOWS && bestBytes > 0; i++) {
            final List<Thread> server = serverThreads();
            final long[] before = allocated(threads, server);
            window.run();
            final long[] after = allocated(threads, server);
            final Map<String, Long> perThread = new TreeMap<>();
            long total = 0;
            for (int t = 0; t < server.size(); t++) {
                final long bytes = after[t] - before[t];
                if (bytes != 0) {
                    perThread.merge(server.get(t).getName(), bytes, Long::sum);
                    total += bytes;
                }
            }
            if (total < bestBytes) {
                bestBytes = total;
                best = perThread;
            }
        }
        final long requests = (long)CONNECTIONS * REQUESTS_PER_CONNECTION;
        assertEquals(0, bestBytes, "in the best of " + MEASURED_WINDOWS + " windows of " + requests +
            " requests the server allocated " + bestBytes + " bytes (" + (double)bestBytes / requests +
            " per request): " + best);
    }

    /** One pipeline's worth of requests: a put and a get of one key of 500, alternating. */
    private static byte[] burst(final RawClient client, final int pipeline) throws Exception {
        final ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int i = 0; i < pipeline; i++) {
            final byte[] key = RawClient.bytes("key-" + (i % 500));
            if (i % 2 == 0) {
                frames.write(client.frame(Opcodes.MAP_GET, i, 0, key, null, null));
            } else {
                frames.write(client.frame(Opcodes.MAP_PUT, i, 0, key, null, RawClient.bytes("value-" + i)));
            }
        }
        return frames.toByteArray();
    }

    private static void window(final List<RawClient> clients, final byte[] burst, final int pipeline)
        throws Exception {
        for (int round = 0; round < REQUESTS_PER_CONNECTION / pipeline; round++) {
            for (final RawClient client : clients) {
                client.send(burst);
            }
            for (final RawClient client : clients) {
                for (int i = 0; i < pipeline; i++) {
                    if (client.read().errorCode() != 0) {
                        fail("request failed");
                    }
                }
            }
        }
    }

    /**
     * Every platform thread of the node: its own (named loomcache-*) and the virtual-thread carriers and pollers
     * the NIO transport runs on. The test's client threads have other names.
     */
    private static List<Thread> serverThreads() {
        final List<Thread> found = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet()) {
            final String name = thread.getName();
            if (name.startsWith("loomcache-") || name.startsWith("ForkJoinPool-") || name.contains("Poller")) {
                found.add(thread);
            }
        }
        return found;
    }

    private static long[] allocated(final com.sun.management.ThreadMXBean threads, final List<Thread> list) {
        final long[] bytes = new long[list.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = threads.getThreadAllocatedBytes(list.get(i).threadId());
        }
        return bytes;
    }
}
