package io.loomcache.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.testkit.Await;

class HandshakeTest {
    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void shouldFailClearlyWhenTheServerRefusesTheProtocolVersion() {
        server.helloMode(TestServer.HelloMode.REFUSE);

        final LoomConnectionException refused = assertThrows(LoomConnectionException.class,
            () -> LoomClient.connect(server.context()));

        assertEquals("server at 127.0.0.1:" + server.port() + " refused the handshake: UNSUPPORTED_VERSION: " +
            "protocol version is not supported", refused.getMessage());
    }

    @Test
    void shouldRefuseAVersionTheClientDoesNotSpeak() {
        server.helloMode(TestServer.HelloMode.WRONG_VERSION);

        final LoomConnectionException refused = assertThrows(LoomConnectionException.class,
            () -> LoomClient.connect(server.context()));

        assertEquals("server at 127.0.0.1:" + server.port() + " chose protocol version 9, this client speaks 1..1",
            refused.getMessage());
    }

    @Test
    void shouldTimeOutAServerThatNeverAnswersHello() {
        server.helloMode(TestServer.HelloMode.SILENT);

        final LoomConnectionException silent = assertThrows(LoomConnectionException.class,
            () -> LoomClient.connect(server.context().connectTimeoutMs(100)));

        assertEquals("no HELLO response from 127.0.0.1:" + server.port() + " within 100 ms", silent.getMessage());
    }

    @Test
    void shouldReportConnectionRefusedWithTheAddress() throws IOException {
        final int port;
        try (ServerSocketChannel unused = ServerSocketChannel.open()) {
            unused.bind(new InetSocketAddress("127.0.0.1", 0));
            port = ((InetSocketAddress)unused.getLocalAddress()).getPort();
        }

        final LoomConnectionException refused = assertThrows(LoomConnectionException.class,
            () -> LoomClient.connect("127.0.0.1", port));

        assertEquals("cannot connect to 127.0.0.1:" + port + ": Connection refused", refused.getMessage());
    }

    @Test
    void shouldCloseConnectionsOpenedBeforeALaterOneFails() {
        server.refuseHellosAfter(1);

        assertThrows(LoomConnectionException.class, () -> LoomClient.connect(server.context().connections(3)));

        assertEquals(2, server.acceptedConnections());
        Await.until("the first connection to be closed", () -> server.openConnections() == 0);
    }
}
