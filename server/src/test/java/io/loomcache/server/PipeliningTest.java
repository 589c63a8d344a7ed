package io.loomcache.server;

import static io.loomcache.server.RawClient.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.Opcodes;

class PipeliningTest {
    private static final int REQUESTS = 1_000;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldAnswerAThousandPipelinedRequestsMatchedByCorrelationIdInFewWrites(final String transport)
        throws Exception {
        node = nodes.start(nodes.context(transport));
        try (RawClient client = new RawClient(node.port())) {
            final ByteArrayOutputStream puts = new ByteArrayOutputStream();
            for (int i = 0; i < REQUESTS; i++) {
                puts.write(client.frame(Opcodes.MAP_PUT, i, 0, bytes("key-" + i), null, bytes("value-" + i)));
            }
            final long writesBefore = node.metrics().socketWrites();
            client.send(puts.toByteArray());
            final boolean[] seen = new boolean[REQUESTS];
            for (int i = 0; i < REQUESTS; i++) {
                final RawClient.Response response = client.read();
                assertEquals(Opcodes.RESPONSE_OK, response.opcode());
                assertTrue(!seen[(int)response.correlationId()], "duplicate response " + response.correlationId());
                seen[(int)response.correlationId()] = true;
            }
            final long writes = node.metrics().socketWrites() - writesBefore;
            assertTrue(writes < REQUESTS / 4, "responses should share writes, used " + writes + " writes");

            final ByteArrayOutputStream gets = new ByteArrayOutputStream();
            for (int i = 0; i < REQUESTS; i++) {
                gets.write(client.frame(Opcodes.MAP_GET, 10_000 + i, 0, bytes("key-" + i), null, null));
            }
            client.send(gets.toByteArray());
            final Map<Long, String> values = new HashMap<>();
            for (int i = 0; i < REQUESTS; i++) {
                final RawClient.Response response = client.read();
                values.put(response.correlationId(), response.valueAsString());
            }
            for (int i = 0; i < REQUESTS; i++) {
                assertEquals("value-" + i, values.get(10_000L + i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldAnswerEveryRequestSentBeforeTheClientHalfClosesThenClose(final String transport) throws Exception {
        node = nodes.start(nodes.context(transport));
        try (RawClient client = new RawClient(node.port())) {
            final ByteArrayOutputStream puts = new ByteArrayOutputStream();
            for (int i = 0; i < REQUESTS; i++) {
                puts.write(client.frame(Opcodes.MAP_PUT, i, 0, bytes("key-" + i), null, bytes("value-" + i)));
            }
            client.send(puts.toByteArray());
            client.socket().shutdownOutput();
            for (int i = 0; i < REQUESTS; i++) {
                assertEquals(Opcodes.RESPONSE_OK, client.read().opcode());
            }
            assertTrue(client.awaitClosedByServer());
        }
    }
}
