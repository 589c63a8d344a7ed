package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.Await;

/**
 * Large responses to pipelined requests: a client that reads as fast as it can gets all of them however far ahead
 * it asked (executors hold its requests back while its responses are unsent), and only a client that stops
 * reading is dropped as a slow consumer, counted and logged, without holding up other clients.
 */
class SlowConsumerTest {
    private static final int VALUE_LENGTH = 1024 * 1024;
    private static final int PIPELINE = 40;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;

    private void startNode(final String transport) throws Exception {
        node = nodes.start(nodes.context(transport).maxFrameLength(2 * 1024 * 1024)
            .maxMemoryBytes(128L * 1024 * 1024).connectionBufferLength(256 * 1024).writeTimeoutMs(2_000));
    }

    private static byte[] value() {
        final byte[] value = new byte[VALUE_LENGTH];
        Arrays.fill(value, (byte)'v');
        return value;
    }

    private static byte[] pipelinedGets(final RawClient client) throws Exception {
        final ByteArrayOutputStream gets = new ByteArrayOutputStream();
        for (int i = 0; i < PIPELINE; i++) {
            gets.write(client.frame(Opcodes.MAP_GET, 100 + i, 0, RawClient.bytes("big"), null, null));
        }
        return gets.toByteArray();
    }

    private String metrics() throws Exception {
        return Http.get(node.metricsPort(), "/metrics").body();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldAnswerEveryPipelinedGetOfAOneMibValueToAClientThatReadsAsFastAsItCan(final String transport)
        throws Exception {
        startNode(transport);
        final byte[] value = value();
        try (RawClient client = new RawClient(node.port())) {
            assertEquals(Opcodes.RESPONSE_OK,
                client.call(client.frame(Opcodes.MAP_PUT, 1, 0, RawClient.bytes("big"), null, value)).opcode());
            client.send(pipelinedGets(client));
            for (int i = 0; i < PIPELINE; i++) {
                final RawClient.Response response = client.read();
                assertEquals(Opcodes.RESPONSE_VALUE, response.opcode(), "response " + i);
                assertEquals(100 + i, response.correlationId());
                assertArrayEquals(value, response.value());
            }
        }
        assertTrue(metrics().contains("loomcache_connections_slow_consumer_total 0.0"), metrics());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldDropCountAndLogAClientThatStopsReadingWhileOtherClientsAreServed(final String transport)
        throws Exception {
        startNode(transport);
        try (RawClient writer = new RawClient(node.port())) {
            assertEquals(Opcodes.RESPONSE_OK,
                writer.call(writer.frame(Opcodes.MAP_PUT, 1, 0, RawClient.bytes("big"), null, value())).opcode());
        }
        try (RawClient stalled = new RawClient(node.port())) {
            stalled.socket().setReceiveBufferSize(64 * 1024);
            stalled.send(pipelinedGets(stalled));
            try (RawClient other = new RawClient(node.port())) {
                for (int i = 0; i < 50; i++) {
                    assertEquals(Opcodes.RESPONSE_OK, other.put(i, "key-" + i, "value-" + i, 0).opcode());
                    assertEquals("value-" + i, other.get(1000 + i, "key-" + i).valueAsString());
                }
            }
            Await.until("the client that stopped reading to be dropped", 30_000,
                () -> metrics().contains("loomcache_connections_slow_consumer_total 1.0"));
            Await.until("its connection to be released", 10_000, () -> node.connections().count() == 0);
        }
    }
}
