package io.loomcache.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.loomcache.protocol.ProtocolLimits;

class ClientContextTest {
    @Test
    void shouldAcceptTheDefaults() {
        final ClientContext context = new ClientContext().conclude();

        assertEquals("127.0.0.1:7654", context.address());
        assertEquals(0, context.maxBusyRetries());
        assertEquals(ProtocolLimits.DEFAULT_MAX_FRAME_LENGTH, context.sendBufferLength());
    }

    @Test
    void shouldTakeNodesInOrderAndPointAtTheFirst() {
        final ClientContext context = new ClientContext().nodes(" 10.0.0.1:7654, [::1]:7655,loomcache-2@node-2:7656")
            .conclude();

        assertEquals(List.of(InetSocketAddress.createUnresolved("10.0.0.1", 7654),
            InetSocketAddress.createUnresolved("::1", 7655), InetSocketAddress.createUnresolved("node-2", 7656)),
            context.nodes());
        assertEquals("10.0.0.1:7654", context.address());
        assertTrue(context.clustered());
        assertEquals(List.of(InetSocketAddress.createUnresolved("127.0.0.1", 7654)), new ClientContext().nodes());
        assertFalse(new ClientContext().clustered());
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "10.0.0.1", "10.0.0.1:", ":7654", "10.0.0.1:0", "10.0.0.1:65536", "a:x", "a:1,,b:2"})
    void shouldRejectNodesThatAreNotHostAndPort(final String nodes) {
        assertThrows(IllegalArgumentException.class, () -> new ClientContext().nodes(nodes));
    }

    @Test
    void shouldRejectAnEmptyListOfNodes() {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> new ClientContext().nodes(List.of()).conclude());

        assertTrue(error.getMessage().startsWith("nodes"), error.getMessage());
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
            Arguments.of("host", (UnaryOperator<ClientContext>)c -> c.host(" ")),
            Arguments.of("port", (UnaryOperator<ClientContext>)c -> c.port(70_000)),
            Arguments.of("connections", (UnaryOperator<ClientContext>)c -> c.connections(0)),
            Arguments.of("requestTimeoutMs", (UnaryOperator<ClientContext>)c -> c.requestTimeoutMs(0)),
            Arguments.of("connectTimeoutMs", (UnaryOperator<ClientContext>)c -> c.connectTimeoutMs(-1)),
            Arguments.of("maxInFlightRequests", (UnaryOperator<ClientContext>)c -> c.maxInFlightRequests(0)),
            Arguments.of("maxBusyRetries", (UnaryOperator<ClientContext>)c -> c.maxBusyRetries(-1)),
            Arguments.of("retry backoff", (UnaryOperator<ClientContext>)c -> c.retryInitialBackoffMs(0)),
            Arguments.of("retry backoff", (UnaryOperator<ClientContext>)c -> c.retryMaxBackoffMs(1)),
            Arguments.of("sendBufferLength", (UnaryOperator<ClientContext>)c -> c.sendBufferLength(1024)),
            Arguments.of("readBufferLength", (UnaryOperator<ClientContext>)c -> c.readBufferLength(10)),
            Arguments.of("clientName", (UnaryOperator<ClientContext>)c -> c.clientName("x".repeat(300))),
            Arguments.of("kryoRegistrations", (UnaryOperator<ClientContext>)c -> c.kryoRegistrations(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void shouldRejectSettingOutOfRangeNamingIt(final String setting, final UnaryOperator<ClientContext> change) {
        final ClientContext context = change.apply(new ClientContext());

        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, context::conclude);

        assertTrue(error.getMessage().startsWith(setting), error.getMessage());
    }
}
