package io.loomcache.loadgen.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import io.loomcache.client.fake.FakeClusterNode;
import io.loomcache.loadgen.config.CommandLine;
import io.loomcache.loadgen.wire.Outcome;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.options.UsageException;
import io.loomcache.testkit.Cleanup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routing by partition against fake cluster nodes over loopback sockets: each key reaches its partition's leader,
 * redirects are followed and cached, elections waited out, unreachable nodes passed over, redirect loops and
 * OUTCOME_UNKNOWN counted as errors and never sent again.
 */
class ClusterLoadTest {
    private static final long DEADLINE_NS = 30_000_000_000L;

    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    private FakeClusterNode node(final int nodeId) {
        return cleanup.add(new FakeClusterNode(nodeId));
    }

    private LoadRun open(final String nodes, final String... flags) throws IOException, UsageException {
        final String[] args = new String[flags.length + 4];
        args[0] = "--nodes";
        args[1] = nodes;
        args[2] = "--quiet";
        args[3] = "--keys=200";
        System.arraycopy(flags, 0, args, 4, flags.length);
        return cleanup.add(LoadRun.open(CommandLine.parse(args)));
    }

    private static PhaseResult load(final LoadRun run, final long requests) {
        return run.run(new Phase("load", Phase.LOAD, 0, DEADLINE_NS, requests));
    }

    @Test
    void shouldSendEveryKeyToTheLeaderOfItsPartitionOnceTheRedirectsAreCached()
        throws IOException, UsageException {
        final FakeClusterNode even = node(1);
        final FakeClusterNode odd = node(2);
        even.leads(partition -> partition % 2 == 0).redirectTo(odd);
        odd.leads(partition -> partition % 2 == 1).redirectTo(even);
        final LoadRun run = open(even.address() + "," + odd.address(), "--connections", "4", "--pipeline", "8");
        final PhaseResult preload = run.run(new Phase("preload", Phase.PRELOAD, 0, DEADLINE_NS, 200));
        assertEquals(200, preload.okOps());
        assertEquals(0, preload.errors());
        final long before = even.mapRequests() + odd.mapRequests();

        final PhaseResult measured = load(run, 4_000);

        assertEquals(4_000, measured.completed());
        assertEquals(4_000, measured.okOps());
        assertEquals(0, measured.errors(), measured.errorMessages().toString());
        assertEquals(0, measured.misses(), "every key was written to its leader by the preload");
        assertEquals(4_000, even.mapRequests() + odd.mapRequests() - before, "no redirect once every leader is known");
    }

    @Test
    void shouldAskAgainAfterABackoffWhileNoLeaderIsKnown() throws IOException, UsageException {
        final FakeClusterNode seed = node(1);
        final LoadRun run = open(seed.address(), "--connections", "2", "--pipeline", "4");
        seed.leaderUnknownFor(20);

        final PhaseResult result = load(run, 300);

        assertEquals(300, result.completed());
        assertEquals(300, result.okOps());
        assertEquals(320, seed.mapRequests());
    }

    @Test
    void shouldPassOverANodeThatRefusesConnections() throws IOException, UsageException {
        final FakeClusterNode second = node(2);
        final LoadRun run = open("127.0.0.1:" + closedPort() + "," + second.address(), "--connections", "3");

        final PhaseResult result = load(run, 500);

        assertEquals(500, result.okOps());
        assertEquals(500, second.mapRequests());
        assertEquals(3, run.openConnections());
    }

    @Test
    void shouldFailToOpenWhenNoNodeCanBeConnected() throws IOException {
        final String nodes = "127.0.0.1:" + closedPort() + ",127.0.0.1:" + closedPort();

        final IOException error = assertThrows(IOException.class,
            () -> LoadRun.open(CommandLine.parse("--nodes", nodes, "--quiet")));

        assertTrue(error.getMessage().startsWith("cannot connect to any of --nodes: cannot connect to 127.0.0.1:"),
            error.getMessage());
    }

    @Test
    void shouldCountARedirectLoopAsAnErrorAfterFiveRedirects() throws IOException, UsageException {
        final FakeClusterNode first = node(1);
        final FakeClusterNode second = node(2);
        first.leads(partition -> false).redirectTo(second);
        second.leads(partition -> false).redirectTo(first);
        final LoadRun run = open(first.address() + "," + second.address(), "--connections", "1", "--pipeline", "1");

        final PhaseResult result = load(run, 10);

        assertEquals(10, result.completed());
        assertEquals(10, result.errorCount(ErrorKinds.indexOf(Outcome.REDIRECT)));
        assertEquals(10 * (1 + Connection.MAX_REDIRECTS), first.mapRequests() + second.mapRequests());
        assertTrue(result.errorMessages().stream().anyMatch(message -> message.contains("redirected more than 5 " +
            "times without reaching the leader of partition")), result.errorMessages().toString());
    }

    @Test
    void shouldCountOutcomeUnknownAsAnErrorWithoutSendingItAgain() throws IOException, UsageException {
        final FakeClusterNode leader = node(2);
        final FakeClusterNode seed = node(1).leads(partition -> false).redirectTo(leader);
        final LoadRun run = open(seed.address() + "," + leader.address(), "--connections", "1", "--pipeline", "4");
        leader.answerErrorFor(5, ErrorCode.OUTCOME_UNKNOWN);

        final PhaseResult result = load(run, 200);

        assertEquals(200, result.completed());
        assertEquals(5, result.errorCount(ErrorKinds.indexOf(ErrorCode.OUTCOME_UNKNOWN)));
        assertEquals(195, result.okOps());
        assertEquals(200, leader.mapRequests());
    }

    @Test
    void shouldKeepRunningOnTheOtherNodesWhenOneDies() throws IOException, UsageException {
        final FakeClusterNode first = node(1);
        final FakeClusterNode second = node(2);
        first.leads(partition -> partition % 2 == 0).redirectTo(second);
        second.leads(partition -> partition % 2 == 1).redirectTo(first);
        final LoadRun run = open(first.address() + "," + second.address(), "--connections", "2", "--pipeline", "4");
        assertEquals(400, load(run, 400).okOps());

        second.close();
        first.leads(partition -> true);
        final PhaseResult result = load(run, 400);

        assertEquals(400, result.sent());
        assertEquals(400, result.okOps() + result.errorCount(ErrorKinds.indexOf(Outcome.CONNECTION_LOST)),
            "a request written to the node that died is lost, never sent again; every other one succeeds");
        assertEquals(0, result.connectionsLost(), "each connection keeps its link to the first node");
        assertEquals(2, run.openConnections());
    }

    @Test
    void shouldOpenTheLinkToARestartedNodeAgainWhenARedirectNamesIt() throws IOException, UsageException {
        final FakeClusterNode first = node(1);
        final FakeClusterNode second = node(2);
        first.leads(partition -> partition % 2 == 0).redirectTo(second);
        second.leads(partition -> partition % 2 == 1).redirectTo(first);
        final LoadRun run = open(first.address() + "," + second.address(), "--connections", "2", "--pipeline", "4");
        assertEquals(400, load(run, 400).okOps());
        final long answeredBySecond = second.mapRequests();

        second.close();
        final FakeClusterNode secondAgain = cleanup.add(new FakeClusterNode(2, second.port()));
        secondAgain.leads(partition -> partition % 2 == 1).redirectTo(first);
        final PhaseResult result = load(run, 2_000);

        assertEquals(2_000, result.sent());
        assertEquals(2_000, result.okOps() + result.errorCount(ErrorKinds.indexOf(Outcome.CONNECTION_LOST)),
            result.errorMessages().toString());
        assertEquals(0, result.errorCount(ErrorKinds.indexOf(Outcome.REDIRECT)), result.errorMessages().toString());
        assertTrue(secondAgain.mapRequests() > 0, "the restarted node was reached again");
        assertTrue(answeredBySecond > 0);
    }

    private static int closedPort() throws IOException {
        try (ServerSocketChannel socket = ServerSocketChannel.open()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress)socket.getLocalAddress()).getPort();
        }
    }
}
