package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.Await;
import io.loomcache.testkit.Prerequisites;

class ConnectionLimitTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;

    private static RawClient.Response ping(final RawClient client, final long correlationId) throws Exception {
        return client.call(RawClient.header(0, 1, 0, Opcodes.PING, correlationId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldRefuseTheConnectionOverThePerIpLimitAndCountEachAddressSeparately(final String transport)
        throws Exception {
        node = nodes.start(nodes.context(transport).maxConnectionsPerIp(2));
        final RawClient first = new RawClient(node.port(), "127.0.0.2");
        try (RawClient second = new RawClient(node.port(), "127.0.0.2");
             RawClient other = new RawClient(node.port(), "127.0.0.3");
             RawClient otherSecond = new RawClient(node.port(), "127.0.0.3")) {
            assertEquals(Opcodes.RESPONSE_OK, ping(first, 1).opcode());
            assertEquals(Opcodes.RESPONSE_OK, ping(second, 2).opcode());
            assertEquals(Opcodes.RESPONSE_OK, ping(other, 3).opcode());
            assertEquals(Opcodes.RESPONSE_OK, ping(otherSecond, 4).opcode());
            try (RawClient third = new RawClient(node.port(), "127.0.0.2")) {
                final RawClient.Response refusal = third.read();
                assertEquals(Opcodes.RESPONSE_ERROR, refusal.opcode());
                assertEquals(ErrorCode.TOO_MANY_CONNECTIONS, refusal.errorCode());
                assertEquals(0, refusal.correlationId());
                assertTrue(third.awaitClosedByServer());
            }
            first.close();
            Await.until("the closed connection to be released", 10_000,
                () -> node.connections().count() == 3);
            try (RawClient again = new RawClient(node.port(), "127.0.0.2")) {
                assertEquals(Opcodes.RESPONSE_OK, ping(again, 5).opcode());
            }
        } finally {
            first.close();
        }
    }

    /** Whether this machine can bind the IPv6 loopback address ::1. */
    private static boolean ipv6LoopbackBindable() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (final IOException ex) {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldRefuseAnIpv6ClientOverThePerIpLimitAndReleaseItsCountOnClose(final String transport)
        throws Exception {
        Prerequisites.require(ipv6LoopbackBindable(),
            "::1 cannot be bound here (enable IPv6 on loopback: sysctl net.ipv6.conf.lo.disable_ipv6=0)");
        node = nodes.start(nodes.context(transport).bindAddress("::1").maxConnectionsPerIp(2));
        final RawClient first = new RawClient(node.port(), "::1", "::1");
        try (RawClient second = new RawClient(node.port(), "::1", "::1")) {
            assertEquals(Opcodes.RESPONSE_OK, ping(first, 1).opcode());
            assertEquals(Opcodes.RESPONSE_OK, ping(second, 2).opcode());
            try (RawClient third = new RawClient(node.port(), "::1", "::1")) {
                final RawClient.Response refusal = third.read();
                assertEquals(Opcodes.RESPONSE_ERROR, refusal.opcode());
                assertEquals(ErrorCode.TOO_MANY_CONNECTIONS, refusal.errorCode());
                assertTrue(third.awaitClosedByServer());
            }
            first.close();
            Await.until("the closed IPv6 connection to be released", 10_000,
                () -> node.connections().count() == 1);
            try (RawClient again = new RawClient(node.port(), "::1", "::1")) {
                assertEquals(Opcodes.RESPONSE_OK, ping(again, 3).opcode());
            }
        } finally {
            first.close();
        }
    }
}
