package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.client.ClientContext;
import io.loomcache.client.LoomBlockingClient;
import io.loomcache.client.LoomClient;

class ClientEndToEndTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private final CachedEpochClock clock = TestNodes.epochClockAt(9_000_000L);
    private LoomCacheNode node;

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldServeTheJavaClientsBlockingAndPipelinedApis(final String transport) throws Exception {
        node = nodes.start(nodes.context(transport).persistenceEnabled(true).epochClock(clock));
        try (LoomBlockingClient client = LoomBlockingClient.connect(
            new ClientContext().host("127.0.0.1").port(node.port()))) {
            client.ping();
            assertNull(client.get(bytes("a")));
            client.put(bytes("a"), bytes("1"));
            assertArrayEquals(bytes("1"), client.get(bytes("a")));
            assertTrue(client.putIfAbsent(bytes("b"), bytes("2"), 0));
            assertFalse(client.putIfAbsent(bytes("b"), bytes("3"), 0));
            assertTrue(client.replace(bytes("b"), bytes("2"), bytes("4")));
            assertFalse(client.replace(bytes("b"), bytes("2"), bytes("5")));
            assertArrayEquals(bytes("4"), client.get(bytes("b")));
            client.put(bytes("ttl"), bytes("x"), 100);
            assertTrue(client.containsKey(bytes("ttl")));
            clock.advance(100);
            assertFalse(client.containsKey(bytes("ttl")));
            assertEquals(2, client.size());
            assertTrue(client.remove(bytes("a")));
            assertEquals(1, client.size());

            final LoomClient async = client.async();
            final List<CompletableFuture<Void>> puts = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                puts.add(async.put(bytes("p-" + i), bytes("v-" + i)));
            }
            CompletableFuture.allOf(puts.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
            final List<CompletableFuture<byte[]>> gets = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                gets.add(async.get(bytes("p-" + i)));
            }
            for (int i = 0; i < 1_000; i++) {
                assertArrayEquals(bytes("v-" + i), gets.get(i).get(30, TimeUnit.SECONDS));
            }
            assertEquals(1_001, client.size());
            client.clear();
            assertEquals(0, client.size());
        }
    }
}
