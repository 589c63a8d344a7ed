package io.loomcache.client;

import static io.loomcache.client.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.testkit.Await;

class ConnectionLossTest {
    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void shouldFailEveryInFlightRequestWhenTheConnectionIsLost() {
        try (LoomClient client = LoomClient.connect(server.context())) {
            server.holdKeysStartingWith("held-");
            final List<CompletableFuture<byte[]>> gets = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                gets.add(client.get(utf8("held-" + i)));
            }
            Await.until("every get to reach the server", () -> server.heldAnswers() == 50);

            server.dropConnections();

            for (final CompletableFuture<byte[]> get : gets) {
                final LoomConnectionException lost = assertInstanceOf(LoomConnectionException.class,
                    assertThrows(CompletionException.class, get::join).getCause());
                assertTrue(lost.getMessage().startsWith("connection to 127.0.0.1:" + server.port()), lost.getMessage());
            }
            assertFalse(client.isConnected());
            assertEquals(0, client.inFlightRequests());
            assertThrows(LoomConnectionException.class, () -> client.blocking().ping());
        }
    }

    @Test
    void shouldMoveRequestsToTheRemainingConnectionsWhenOneIsLost() {
        try (LoomClient client = LoomClient.connect(server.context().connections(2))) {
            server.dropConnection(0);
            Await.until("the client to notice the lost connection", () -> client.openConnections() == 1);

            for (int i = 0; i < 10; i++) {
                client.blocking().ping();
            }

            assertEquals(10, server.pings());
            assertTrue(client.isConnected());
        }
    }
}
