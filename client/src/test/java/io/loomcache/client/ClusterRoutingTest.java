package io.loomcache.client;

import static io.loomcache.client.Bytes.text;
import static io.loomcache.client.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.client.fake.FakeClusterNode;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.Await;
import io.loomcache.testkit.Cleanup;

class ClusterRoutingTest {
    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    private FakeClusterNode node(final int nodeId) {
        return cleanup.add(new FakeClusterNode(nodeId));
    }

    private LoomBlockingClient connect(final FakeClusterNode... seeds) {
        final StringBuilder nodes = new StringBuilder();
        for (final FakeClusterNode seed : seeds) {
            nodes.append(nodes.isEmpty() ? "" : ",").append(seed.address());
        }
        return connect(new ClientContext().nodes(nodes.toString()));
    }

    private LoomBlockingClient connect(final ClientContext context) {
        return cleanup.add(LoomBlockingClient.connect(context.requestTimeoutMs(5_000).connectTimeoutMs(5_000)));
    }

    private static String keyInAnotherPartitionThan(final String key) {
        final int partition = FakeClusterNode.partitionOf(utf8(key));
        for (int i = 0; ; i++) {
            if (FakeClusterNode.partitionOf(utf8("other-" + i)) != partition) {
                return "other-" + i;
            }
        }
    }

    private static String keyInTheSamePartitionAs(final String key) {
        final int partition = FakeClusterNode.partitionOf(utf8(key));
        for (int i = 0; ; i++) {
            if (FakeClusterNode.partitionOf(utf8("same-" + i)) == partition) {
                return "same-" + i;
            }
        }
    }

    @Test
    void shouldFollowARedirectAndSendLaterRequestsOfThePartitionStraightToTheLeader() {
        final FakeClusterNode leader = node(2);
        final FakeClusterNode seed = node(1).leads(partition -> false).redirectTo(leader);
        final LoomBlockingClient client = connect(seed);

        client.put(utf8("k"), utf8("v"));
        assertEquals(1, seed.mapRequests());
        assertEquals(1, leader.mapRequests());
        assertEquals("v", text(leader.stored("k")));

        assertEquals("v", text(client.get(utf8("k"))));
        assertTrue(client.putIfAbsent(utf8(keyInTheSamePartitionAs("k")), utf8("w"), 0));
        assertEquals(1, seed.mapRequests(), "the seed saw only the first request of the partition");
        assertEquals(3, leader.mapRequests());

        client.put(utf8(keyInAnotherPartitionThan("k")), utf8("x"));
        assertEquals(2, seed.mapRequests(), "another partition is redirected once too");
        assertEquals(4, leader.mapRequests());
    }

    @Test
    void shouldSendEveryPartitionsFirstRequestToItsLeaderWhenThePartitionTableNamesIt() {
        final FakeClusterNode leader = node(2);
        final FakeClusterNode seed = node(1).leads(partition -> false).redirectTo(leader).partitionTable(6, leader);
        final LoomBlockingClient client = connect(seed);

        for (int i = 0; i < 50; i++) {
            client.put(utf8("table-" + i), utf8("v" + i));
        }
        assertEquals(0, seed.mapRequests(), "the table read at connect named the leader of every partition");
        assertEquals(50, leader.mapRequests());
        assertEquals(0, client.async().redirectsFollowed());
    }

    @Test
    void shouldLearnLeadersFromRedirectsWhenTheNodeHasNoPartitionTable() {
        final FakeClusterNode leader = node(2);
        final FakeClusterNode seed = node(1).leads(partition -> false).redirectTo(leader);
        final LoomBlockingClient client = connect(seed);

        client.put(utf8("k"), utf8("v"));
        client.put(utf8(keyInTheSamePartitionAs("k")), utf8("w"));
        assertEquals(1, seed.mapRequests());
        assertEquals(1, client.async().redirectsFollowed(), "one redirect for the partition, then its leader");
    }

    @Test
    void shouldCostAtMostOneRedirectPerPartitionWhenTwoNodesShareThePartitions() {
        final FakeClusterNode even = node(1);
        final FakeClusterNode odd = node(2);
        even.leads(partition -> partition % 2 == 0).redirectTo(odd);
        odd.leads(partition -> partition % 2 == 1).redirectTo(even);
        final LoomBlockingClient client = connect(even, odd);
        final int keys = 300;
        final Set<Integer> oddPartitions = new HashSet<>();
        int oddKeys = 0;
        for (int i = 0; i < keys; i++) {
            final int partition = FakeClusterNode.partitionOf(utf8("key-" + i));
            if (partition % 2 == 1) {
                oddPartitions.add(partition);
                oddKeys++;
            }
        }

        for (int i = 0; i < keys; i++) {
            client.put(utf8("key-" + i), utf8("value-" + i));
        }
        for (int i = 0; i < keys; i++) {
            assertEquals("value-" + i, text(client.get(utf8("key-" + i))));
        }

        assertEquals(2L * oddKeys, odd.mapRequests());
        assertEquals(2L * (keys - oddKeys) + oddPartitions.size(), even.mapRequests(),
            "the home node answers its own partitions and redirects each other partition once");
    }

    @Test
    void shouldAskAgainWhileNoLeaderIsKnownUntilALeaderAnswers() {
        final FakeClusterNode seed = node(1).leaderUnknownFor(3);
        final LoomBlockingClient client = connect(seed);

        client.put(utf8("k"), utf8("v"));

        assertEquals(4, seed.mapRequests());
        assertEquals("v", text(seed.stored("k")));
    }

    @Test
    void shouldAskTheNextNodeWhenANodeKnowsNoLeader() {
        final FakeClusterNode first = node(1).leaderUnknownFor(1);
        final FakeClusterNode second = node(2);
        final LoomBlockingClient client = connect(first, second);

        client.put(utf8("k"), utf8("v"));

        assertEquals(1, first.mapRequests());
        assertEquals(1, second.mapRequests());
        assertEquals("v", text(second.stored("k")));
    }

    @Test
    void shouldFailWithATimeoutWhenNoLeaderIsKnownBeforeTheRequestTimeout() {
        final FakeClusterNode seed = node(1).leaderUnknownFor(Integer.MAX_VALUE);
        final LoomClient client = cleanup.add(LoomClient.connect(
            new ClientContext().nodes(seed.address()).requestTimeoutMs(300)));

        final LoomTimeoutException timeout = assertInstanceOf(LoomTimeoutException.class,
            assertThrows(CompletionException.class, () -> client.put(utf8("k"), utf8("v")).join()).getCause());

        assertTrue(timeout.getMessage().startsWith("TIMEOUT: no reachable leader of partition "),
            timeout.getMessage());
        assertFalse(timeout.wasSent(), "every node answered that it did not apply it");
        final long attempts = seed.mapRequests();
        assertTrue(attempts >= 2 && attempts <= 20, "asked again with a backoff, not in a busy loop: " + attempts);
        assertTrue(client.isConnected());
    }

    @Test
    void shouldWaitForALeaderWhileTheLeaderNamedCannotBeReached() throws IOException {
        final FakeClusterNode seed = node(1).leads(partition -> false).redirectTo(3, "127.0.0.1:" + closedPort());
        final LoomBlockingClient client = connect(seed);
        final CompletableFuture<Void> put = client.async().put(utf8("k"), utf8("v"));
        Await.until("the seed to redirect the put a few times", () -> seed.mapRequests() >= 3);

        seed.leads(partition -> true);

        put.join();
        assertEquals("v", text(seed.stored("k")));
    }

    @Test
    void shouldTimeOutRatherThanCountRedirectsToALeaderThatCannotBeReached() throws IOException {
        final FakeClusterNode seed = node(1).leads(partition -> false).redirectTo(3, "127.0.0.1:" + closedPort());
        final LoomClient client = cleanup.add(LoomClient.connect(
            new ClientContext().nodes(seed.address()).requestTimeoutMs(1_500)));

        final LoomTimeoutException timeout = assertInstanceOf(LoomTimeoutException.class,
            assertThrows(CompletionException.class, () -> client.put(utf8("k"), utf8("v")).join()).getCause());

        assertTrue(timeout.getMessage().startsWith("TIMEOUT: no reachable leader of partition "),
            timeout.getMessage());
        assertFalse(timeout.wasSent());
    }

    @Test
    void shouldConnectToTheNextSeedWhenTheFirstRefusesConnections() throws IOException {
        final FakeClusterNode second = node(2);
        final LoomBlockingClient client = connect(new ClientContext().nodes("127.0.0.1:" + closedPort() + ", " +
            second.address()));

        client.put(utf8("k"), utf8("v"));

        assertEquals("v", text(client.get(utf8("k"))));
        assertEquals(2, client.async().serverInfo().nodeId());
    }

    @Test
    void shouldNameEverySeedWhenNoneCanBeConnected() throws IOException {
        final int first = closedPort();
        final int second = closedPort();

        final LoomConnectionException error = assertThrows(LoomConnectionException.class, () -> LoomClient.connect(
            new ClientContext().nodes("127.0.0.1:" + first + ",127.0.0.1:" + second)));

        assertTrue(error.getMessage().startsWith("cannot connect to any of 2 nodes: cannot connect to 127.0.0.1:" +
            first + ": Connection refused; cannot connect to 127.0.0.1:" + second), error.getMessage());
    }

    @Test
    void shouldPassOverALeaderThatDiedToTheNextNode() {
        final FakeClusterNode leader = node(2);
        final FakeClusterNode seed = node(1).leads(partition -> false).redirectTo(leader);
        final LoomBlockingClient client = connect(seed);
        client.put(utf8("k"), utf8("v1"));
        assertEquals(2, client.async().openConnections());

        leader.close();
        seed.leads(partition -> true);
        Await.until("the client to notice the lost connection", () -> client.async().openConnections() == 1);
        client.put(utf8("k"), utf8("v2"));

        assertEquals("v2", text(seed.stored("k")));
        assertEquals(2, seed.mapRequests());
    }

    @Test
    void shouldMoveToTheNextSeedWhenTheHomeNodeDies() {
        final FakeClusterNode first = node(1);
        final FakeClusterNode second = node(2);
        final LoomBlockingClient client = connect(first, second);
        client.put(utf8("k"), utf8("v1"));

        first.close();
        Await.until("the client to notice the lost connection", () -> !client.async().isConnected());
        client.put(utf8("k"), utf8("v2"));
        client.put(utf8(keyInAnotherPartitionThan("k")), utf8("v3"));

        assertEquals("v2", text(second.stored("k")));
        assertEquals(2, second.mapRequests());
        assertEquals(1, second.hellos(), "the second node became the home node and kept its connection");
    }

    @Test
    void shouldSendARequestThatWasNeverWrittenToTheNextNodeWhenItsConnectionCloses() throws Exception {
        final FakeClusterNode stalled = node(1);
        final FakeClusterNode next = node(2);
        final ClientContext context = new ClientContext().nodes(next.address()).conclude();
        final RequestRouter router = new RequestRouter(context);
        try (SocketChannel socket = SocketChannel.open(new InetSocketAddress("127.0.0.1", stalled.port()))) {
            final GatedChannel channel = new GatedChannel(socket);
            final Endpoint gone = new Endpoint(InetSocketAddress.createUnresolved("127.0.0.1", closedPort()), context,
                router, true);
            final Connection connection = Connection.establish(context, stalled.address(), gone, channel);
            channel.closeGate();
            final PendingRequest<Long> ping = new PendingRequest<>(Opcodes.PING, ResponseMappers.ROUND_TRIP_NS,
                System.nanoTime() + 10_000_000_000L);
            connection.send(ping);
            assertTrue(channel.awaitWriterBlocked());
            final PendingRequest<Void> put = new PendingRequest<>(Opcodes.MAP_PUT, ResponseMappers.OK,
                System.nanoTime() + 10_000_000_000L).key(new UnsafeBuffer(utf8("k")), 0, 1)
                .value(new UnsafeBuffer(utf8("v")), 0, 1);
            put.makeResendable();
            connection.send(put);

            connection.close(new LoomConnectionException("connection to " + stalled.address() + " lost"));
            channel.openGate();

            put.future().join();
            assertEquals("v", text(next.stored("k")));
            assertInstanceOf(LoomConnectionException.class,
                assertThrows(CompletionException.class, ping.future()::join).getCause(),
                "a request handed to the writer may have been written: it fails");
            assertEquals(0, stalled.mapRequests());
        } finally {
            router.close(new LoomConnectionException("test over"));
        }
    }

    @Test
    void shouldCapRedirectsAndNameTheAddressesTheRequestWasSentBetween() {
        final FakeClusterNode first = node(1);
        final FakeClusterNode second = node(2);
        first.leads(partition -> false).redirectTo(second);
        second.leads(partition -> false).redirectTo(first);
        final LoomBlockingClient client = connect(first);

        final LoomErrorException error = assertThrows(LoomErrorException.class,
            () -> client.put(utf8("k"), utf8("v")));

        assertEquals(ErrorCode.NOT_LEADER, error.errorCode());
        final String a = first.address();
        final String b = second.address();
        assertTrue(error.getMessage().contains("sent between " + a + " -> " + b + " -> " + a + " -> " + b + " -> " +
            a + " -> " + b + " -> " + a + ";"), error.getMessage());
        assertEquals(1 + ClientContext.MAX_REDIRECTS, first.mapRequests() + second.mapRequests());
    }

    @Test
    void shouldSurfaceOutcomeUnknownAndNeverSendTheRequestAgain() {
        final FakeClusterNode leader = node(2).answerErrorFor(1, ErrorCode.OUTCOME_UNKNOWN);
        final FakeClusterNode seed = node(1).leads(partition -> false).redirectTo(leader);
        final LoomBlockingClient client = connect(seed);

        final LoomErrorException error = assertThrows(LoomErrorException.class,
            () -> client.replace(utf8("k"), utf8("old"), utf8("new")));

        assertEquals(ErrorCode.OUTCOME_UNKNOWN, error.errorCode());
        assertTrue(error.getMessage().startsWith("OUTCOME_UNKNOWN: "), error.getMessage());
        assertEquals(1, seed.mapRequests());
        assertEquals(1, leader.mapRequests());
        assertNull(client.get(utf8("k")));
    }

    @Test
    void shouldFailARequestWrittenBeforeItsConnectionDiedWithoutSendingItElsewhere() {
        final FakeClusterNode first = node(1).silent();
        final FakeClusterNode second = node(2);
        final LoomBlockingClient client = connect(first, second);
        final CompletableFuture<Void> put = client.async().put(utf8("k"), utf8("v"));
        Await.until("the put to reach the first node", () -> first.mapRequests() == 1);

        first.dropConnections();

        final LoomConnectionException lost = assertInstanceOf(LoomConnectionException.class,
            assertThrows(CompletionException.class, put::join).getCause());
        assertTrue(lost.getMessage().startsWith("connection to " + first.address()), lost.getMessage());
        assertEquals(0, second.mapRequests(), "a request that may have been applied is not sent again");
    }

    @Test
    void shouldFollowRedirectsFromTheSecondRequestWhenGivenOnlyHostAndPort() {
        final FakeClusterNode leader = node(2);
        final FakeClusterNode seed = node(1).leads(partition -> false).redirectTo(leader);
        final LoomBlockingClient client = connect(new ClientContext().host("127.0.0.1").port(seed.port()));

        final LoomErrorException first = assertThrows(LoomErrorException.class,
            () -> client.put(utf8("k"), utf8("v")));
        assertEquals(ErrorCode.NOT_LEADER, first.errorCode());
        assertTrue(first.getMessage().contains("cannot be sent again"), first.getMessage());

        client.put(utf8("k"), utf8("v"));
        assertEquals("v", text(leader.stored("k")));
        assertEquals(2, seed.mapRequests());
        assertEquals(1, leader.mapRequests());
    }

    @Test
    void shouldAnswerSizeFromTheHomeNode() {
        final FakeClusterNode seed = node(1);
        final LoomBlockingClient client = connect(seed);

        final LoomErrorException error = assertThrows(LoomErrorException.class, client::size);

        assertEquals(ErrorCode.UNSUPPORTED_OPERATION, error.errorCode());
    }

    private static int closedPort() throws IOException {
        try (ServerSocketChannel socket = ServerSocketChannel.open()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress)socket.getLocalAddress()).getPort();
        }
    }
}
