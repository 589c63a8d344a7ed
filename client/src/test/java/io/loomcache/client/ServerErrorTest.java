package io.loomcache.client;

import static io.loomcache.client.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.protocol.ErrorCode;

class ServerErrorTest {
    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void shouldFailWithServerBusyCarryingRetryAfterWhenRetryIsOff() {
        try (LoomClient client = LoomClient.connect(server.context())) {
            server.answerBusy(1, 250);

            final LoomServerBusyException busy = assertInstanceOf(LoomServerBusyException.class,
                assertThrows(CompletionException.class, () -> client.put(utf8("k"), utf8("v")).join()).getCause());

            assertEquals(250, busy.retryAfterMs());
            assertEquals(ErrorCode.SERVER_BUSY, busy.errorCode());
            assertEquals("SERVER_BUSY: server is busy, retry later", busy.getMessage());
            assertEquals(1, server.mapRequests());
        }
    }

    @Test
    void shouldRetryServerBusyUntilTheServerAccepts() {
        final ClientContext context = server.context().maxBusyRetries(3).retryInitialBackoffMs(1).retryMaxBackoffMs(5);
        try (LoomClient client = LoomClient.connect(context)) {
            server.answerBusy(2, 0);

            client.put(utf8("k"), utf8("v")).join();

            assertEquals(3, server.mapRequests());
            assertEquals("v", Bytes.text(server.stored("k")));
        }
    }

    @Test
    void shouldGiveUpWithServerBusyOnceRetriesAreSpent() {
        final ClientContext context = server.context().maxBusyRetries(2).retryInitialBackoffMs(1).retryMaxBackoffMs(5);
        try (LoomClient client = LoomClient.connect(context)) {
            server.answerBusy(10, 3);

            final LoomServerBusyException busy = assertThrows(LoomServerBusyException.class,
                () -> client.blocking().get(utf8("k")));

            assertEquals(3, busy.retryAfterMs());
            assertEquals(3, server.mapRequests());
        }
    }

    @Test
    void shouldMapErrorResponseToTypedExceptionWithCodeAndMessage() {
        try (LoomClient client = LoomClient.connect(server.context())) {
            server.answerError(1, ErrorCode.STORE_FULL, "store is full: 64 MiB cap");

            final LoomErrorException error = assertThrows(LoomErrorException.class,
                () -> client.blocking().put(utf8("k"), utf8("v")));

            assertEquals(ErrorCode.STORE_FULL, error.errorCode());
            assertEquals("store is full: 64 MiB cap", error.detail());
            assertEquals("STORE_FULL: store is full: 64 MiB cap", error.getMessage());
            client.blocking().put(utf8("k"), utf8("v"));
        }
    }

    @Test
    void shouldUseTheCodesDescriptionWhenTheServerSendsNoMessage() {
        try (LoomClient client = LoomClient.connect(server.context())) {
            server.answerError(1, ErrorCode.PERMISSION_DENIED, "");

            final LoomErrorException error = assertThrows(LoomErrorException.class, () -> client.blocking().clear());

            assertEquals("PERMISSION_DENIED: permission denied", error.getMessage());
        }
    }
}
