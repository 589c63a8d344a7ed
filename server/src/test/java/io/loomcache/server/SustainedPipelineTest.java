package io.loomcache.server;

import static io.loomcache.server.RawClient.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.Opcodes;

/**
 * Many connections each keep a window of requests in flight, answer by answer, long enough for every outbound
 * ring to wrap many times: every request must be answered (a response stranded in a ring stalls its connection,
 * which the client sees as a read timeout).
 */
class SustainedPipelineTest {
    private static final int CONNECTIONS = 8;
    private static final int PIPELINE = 16;
    private static final int REQUESTS_PER_CONNECTION = 20_000;
    private static final int KEYS = 1_000;
    private static final long DEADLINE_MS = 120_000;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldAnswerEveryRequestOfASustainedPipelinedLoadOverManyConnections(final String transport)
        throws Exception {
        node = nodes.start(nodes.context(transport));
        final ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
        nodes.add(() -> {
            clients.shutdownNow();
            clients.awaitTermination(RawClient.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        });
        final List<Future<Integer>> answered = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            final int connection = c;
            answered.add(clients.submit(() -> runConnection(connection)));
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        for (final Future<Integer> future : answered) {
            final long leftNs = Math.max(1, deadlineNs - System.nanoTime());
            assertEquals(REQUESTS_PER_CONNECTION, future.get(leftNs, TimeUnit.NANOSECONDS));
        }
    }

    /** Closed loop: sends a window of requests, then one more per response; returns the responses matched. */
    private int runConnection(final int connection) throws Exception {
        final byte[] value = new byte[100];
        Arrays.fill(value, (byte)('a' + connection));
        final boolean[] seen = new boolean[REQUESTS_PER_CONNECTION];
        try (RawClient client = new RawClient(node.port())) {
            int sent = 0;
            while (sent < PIPELINE) {
                client.send(request(client, connection, sent++, value));
            }
            int answered = 0;
            while (answered < REQUESTS_PER_CONNECTION) {
                final RawClient.Response response = client.read();
                final int correlationId = (int)response.correlationId();
                final int expected = correlationId % 2 == 0 ? Opcodes.RESPONSE_OK : Opcodes.RESPONSE_VALUE;
                assertEquals(expected, response.opcode(), "response to request " + correlationId);
                assertEquals(false, seen[correlationId], "duplicate response " + correlationId);
                seen[correlationId] = true;
                answered++;
                if (sent < REQUESTS_PER_CONNECTION) {
                    client.send(request(client, connection, sent++, value));
                }
            }
            return answered;
        }
    }

    private static byte[] request(final RawClient client, final int connection, final int correlationId,
        final byte[] value) {
        final byte[] key = bytes("key-" + connection + "-" + correlationId / 2 % KEYS);
        if (correlationId % 2 == 0) {
            return client.frame(Opcodes.MAP_PUT, correlationId, 0, key, null, value);
        }
        return client.frame(Opcodes.MAP_GET, correlationId, 0, key, null, null);
    }
}
