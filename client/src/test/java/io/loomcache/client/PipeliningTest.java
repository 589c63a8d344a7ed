package io.loomcache.client;

import static io.loomcache.client.Bytes.text;
import static io.loomcache.client.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.testkit.Await;

class PipeliningTest {
    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void shouldMatchAnswersArrivingInReverseOrderByCorrelationId() {
        final int requests = 64;
        try (LoomClient client = LoomClient.connect(server.context())) {
            for (int i = 0; i < requests; i++) {
                client.blocking().put(utf8("key-" + i), utf8("value-" + i));
            }
            server.reverseAnswersInBatchesOf(requests);

            final List<CompletableFuture<byte[]>> gets = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                gets.add(client.get(utf8("key-" + i)));
            }

            for (int i = 0; i < requests; i++) {
                assertEquals("value-" + i, text(gets.get(i).join()));
            }
            assertEquals(0, client.droppedResponses());
        }
    }

    @Test
    void shouldKeepManyRequestsInFlightOnOneConnection() {
        final int requests = 200;
        try (LoomClient client = LoomClient.connect(server.context())) {
            server.holdKeysStartingWith("held-");
            final List<CompletableFuture<Void>> puts = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                puts.add(client.put(utf8("held-" + i), utf8("v")));
            }
            Await.until("every put to reach the server", () -> server.heldAnswers() == requests);

            assertEquals(requests, client.inFlightRequests());
            assertEquals(1, server.acceptedConnections());
            server.holdKeysStartingWith(null);
            releaseHeld();
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
            assertEquals(0, client.inFlightRequests());
        }
    }

    @Test
    void shouldRoundRobinRequestsOverConnections() {
        try (LoomClient client = LoomClient.connect(server.context().connections(4))) {
            final List<CompletableFuture<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                results.add(client.containsKey(utf8("k" + i)));
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();

            assertEquals(4, server.acceptedConnections());
            assertEquals(List.of(100L, 100L, 100L, 100L), server.requestsPerConnection());
        }
    }

    @Test
    void shouldWaitForAFreeSlotWhenMaxInFlightIsReached() throws InterruptedException {
        try (LoomClient client = LoomClient.connect(server.context().maxInFlightRequests(2))) {
            server.holdKeysStartingWith("held-");
            final CompletableFuture<Void> first = client.put(utf8("held-1"), utf8("v"));
            final CompletableFuture<Void> second = client.put(utf8("held-2"), utf8("v"));
            Await.until("both puts to reach the server", () -> server.heldAnswers() == 2);
            final CompletableFuture<byte[]> third = new CompletableFuture<>();
            final Thread caller = Thread.ofVirtual().start(() -> third.complete(client.blocking().get(utf8("free"))));

            Await.until("the third caller to wait for a slot", () -> caller.getState() == Thread.State.TIMED_WAITING);
            assertEquals(2, server.mapRequests());
            assertEquals(2, client.inFlightRequests());
            releaseHeld();

            first.join();
            second.join();
            assertEquals(null, third.join());
            assertEquals(3, server.mapRequests());
            caller.join();
        }
    }

    private void releaseHeld() {
        try {
            server.releaseHeld();
        } catch (final IOException ex) {
            throw new AssertionError(ex);
        }
    }
}
