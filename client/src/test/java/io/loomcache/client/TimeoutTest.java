package io.loomcache.client;

import static io.loomcache.client.Bytes.text;
import static io.loomcache.client.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.testkit.Await;

class TimeoutTest {
    @RegisterExtension
    final TestServer server = new TestServer();

    private LoomClient client;

    @BeforeEach
    void start() throws IOException {
        client = LoomClient.connect(server.context().requestTimeoutMs(200));
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
    }

    @Test
    void shouldTimeOutWithheldRequestAndDropItsLateAnswer() throws IOException {
        server.holdKeysStartingWith("slow");
        client.blocking().putString("fast", "1");

        final CompletableFuture<Void> slow = client.put(utf8("slow"), utf8("v"));
        final LoomTimeoutException timeout = assertInstanceOf(LoomTimeoutException.class,
            assertThrows(CompletionException.class, slow::join).getCause());

        assertTrue(timeout.wasSent());
        assertEquals("TIMEOUT: no response to MAP_PUT from 127.0.0.1:" + server.port() +
            " within 200 ms, outcome unknown", timeout.getMessage());
        assertEquals(0, client.inFlightRequests());

        server.releaseHeld();
        Await.until("the late answer to be dropped", () -> client.droppedResponses() == 1);
        assertEquals("1", text(client.get(utf8("fast")).join()));
        assertTrue(client.isConnected());
    }

    @Test
    void shouldNotLetALateAnswerCompleteTheRequestReusingItsSlot() throws IOException {
        client.close();
        client = LoomClient.connect(server.context().requestTimeoutMs(200).maxInFlightRequests(1));
        server.holdKeysStartingWith("slow");
        final CompletableFuture<byte[]> slow = client.get(utf8("slow"));
        assertInstanceOf(LoomTimeoutException.class, assertThrows(CompletionException.class, slow::join).getCause());
        client.blocking().putString("next", "fresh");

        server.holdKeysStartingWith("next");
        final CompletableFuture<byte[]> next = client.get(utf8("next"));
        Await.until("the stale and the fresh answer to be held", () -> server.heldAnswers() == 2);
        server.releaseHeld();

        assertEquals("fresh", text(next.join()));
        assertEquals(1, client.droppedResponses());
    }

    @Test
    void shouldBlockingFacadeThrowTheTimeoutUnwrapped() {
        server.holdKeysStartingWith("slow");

        final LoomTimeoutException timeout = assertThrows(LoomTimeoutException.class,
            () -> client.blocking().get(utf8("slow")));

        assertTrue(timeout.getMessage().startsWith("TIMEOUT: no response to MAP_GET"));
    }
}
