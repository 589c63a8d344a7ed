package io.loomcache.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.client.TestServer;
import io.loomcache.client.fake.FakeClusterNode;

class LoomCliTest {
    @RegisterExtension
    final TestServer server = new TestServer();

    private final String port = Integer.toString(server.port());

    private CliRun cli(final String... command) {
        final String[] args = new String[command.length + 2];
        args[0] = "--port";
        args[1] = port;
        System.arraycopy(command, 0, args, 2, command.length);
        return CliRun.run(args);
    }

    @Test
    void shouldPrintOkForPutAndTheRawValueForGet() {
        final CliRun put = cli("put", "greeting", "héllo wörld");
        assertEquals(0, put.exitCode());
        assertEquals("OK\n", put.out());
        assertEquals("", put.err());

        final CliRun get = cli("get", "greeting");
        assertEquals(0, get.exitCode());
        assertArrayEquals(("héllo wörld\n").getBytes(StandardCharsets.UTF_8), get.outBytes());
    }

    @Test
    void shouldPrintNothingAndExitOneForAMissingKey() {
        final CliRun get = cli("get", "absent");

        assertEquals(1, get.exitCode());
        assertEquals("", get.out());
        assertEquals("", get.err());
    }

    @Test
    void shouldSendTheTtlOfPutAndPutIfAbsent() {
        assertEquals(0, cli("put", "k", "v", "--ttl", "10s").exitCode());
        assertEquals(10_000, server.lastTtlMs());

        assertEquals(0, cli("putifabsent", "other", "v", "--ttl=2m").exitCode());
        assertEquals(120_000, server.lastTtlMs());
    }

    @Test
    void shouldPrintTrueOrFalseAndExitOneOnFalse() {
        assertEquals(new Result(0, "true\n"), result(cli("putifabsent", "k", "v1")));
        assertEquals(new Result(1, "false\n"), result(cli("putifabsent", "k", "v2")));
        assertEquals(new Result(1, "false\n"), result(cli("cas", "k", "wrong", "v3")));
        assertEquals(new Result(0, "true\n"), result(cli("cas", "k", "v1", "v3")));
        assertEquals(new Result(0, "true\n"), result(cli("contains", "k")));
        assertEquals(new Result(0, "true\n"), result(cli("remove", "k")));
        assertEquals(new Result(1, "false\n"), result(cli("remove", "k")));
        assertEquals(new Result(1, "false\n"), result(cli("contains", "k")));
    }

    @Test
    void shouldPrintSizeAndClear() {
        cli("put", "a", "1");
        cli("put", "b", "2");

        assertEquals(new Result(0, "2\n"), result(cli("size")));
        assertEquals(new Result(0, "OK\n"), result(cli("clear")));
        assertEquals(new Result(0, "0\n"), result(cli("size")));
    }

    @Test
    void shouldPrintPongWithTheRoundTrip() {
        final CliRun ping = cli("ping");

        assertEquals(0, ping.exitCode());
        assertTrue(ping.out().matches("PONG \\d+\\.\\d{3} ms\n"), ping.out());
    }

    @Test
    void shouldPrintServerInfoFromHello() {
        final CliRun info = cli("info");

        assertEquals(0, info.exitCode());
        assertTrue(info.out().matches("server:127\\.0\\.0\\.1:" + port + "\nprotocol_version:1\nnode_id:7\n" +
            "max_frame_length:2097152\npartition_count:271\nping_ms:\\d+\\.\\d{3}\n"), info.out());
    }

    @Test
    void shouldPrintServerBusyAsOneErrorLineAndExitTwo() {
        server.answerBusy(1, 100);

        final CliRun put = cli("put", "k", "v");

        assertEquals(new Result(2, ""), result(put));
        assertEquals("error: SERVER_BUSY: server is busy, retry later\n", put.err());
    }

    @Test
    void shouldPrintTimeoutAsOneErrorLineAndExitTwo() {
        server.holdKeysStartingWith("slow");

        final CliRun get = cli("--timeout", "200ms", "get", "slow");

        assertEquals(2, get.exitCode());
        assertEquals("error: TIMEOUT: no response to MAP_GET from 127.0.0.1:" + port +
            " within 200 ms, outcome unknown\n", get.err());
    }

    @Test
    void shouldPrintConnectionRefusedAndExitTwo() throws IOException {
        final int closedPort;
        try (ServerSocketChannel unused = ServerSocketChannel.open()) {
            unused.bind(new InetSocketAddress("127.0.0.1", 0));
            closedPort = ((InetSocketAddress)unused.getLocalAddress()).getPort();
        }

        final CliRun ping = CliRun.run("--port", Integer.toString(closedPort), "ping");

        assertEquals(2, ping.exitCode());
        assertEquals("error: cannot connect to 127.0.0.1:" + closedPort + ": Connection refused\n", ping.err());
    }

    @Test
    void shouldConnectToTheNextOfTheNodesWhenTheFirstRefuses() throws IOException {
        final int closedPort;
        try (ServerSocketChannel unused = ServerSocketChannel.open()) {
            unused.bind(new InetSocketAddress("127.0.0.1", 0));
            closedPort = ((InetSocketAddress)unused.getLocalAddress()).getPort();
        }

        final CliRun put = CliRun.run("--nodes", "127.0.0.1:" + closedPort + ",127.0.0.1:" + port, "put", "k", "v");

        assertEquals(new Result(0, "OK\n"), result(put));
        assertEquals("v", new String(server.stored("k"), StandardCharsets.UTF_8));
    }

    @Test
    void shouldFollowARedirectToTheLeaderFromTheFirstCommand() {
        try (FakeClusterNode leader = new FakeClusterNode(2);
            FakeClusterNode follower = new FakeClusterNode(1).leads(partition -> false).redirectTo(leader)) {
            final String followerPort = Integer.toString(follower.port());

            assertEquals(new Result(0, "OK\n"), result(CliRun.run("--port", followerPort, "put", "k", "v")));
            assertEquals(new Result(0, "v\n"), result(CliRun.run("--port", followerPort, "get", "k")));

            assertEquals("v", new String(leader.stored("k"), StandardCharsets.UTF_8));
            assertEquals(2, follower.mapRequests());
        }
    }

    @Test
    void shouldPrintUsageAndExitTwoOnBadUsage() {
        final CliRun bad = cli("get");

        assertEquals(2, bad.exitCode());
        assertEquals("", bad.out());
        assertTrue(bad.err().startsWith("error: wrong number of arguments: get KEY\nusage: cli "), bad.err());
        assertEquals(0, server.acceptedConnections());
    }

    @Test
    void shouldPrintAnOutOfRangeSettingAsOneErrorLine() {
        final CliRun ping = cli("--timeout", "1000h", "ping");

        assertEquals(new Result(2, ""), result(ping));
        assertEquals("error: connectTimeoutMs must be in 1..2147483647: 3600000000\n", ping.err());
    }

    @Test
    void shouldPrintUsageOnHelp() {
        final CliRun help = CliRun.run("--help");

        assertEquals(0, help.exitCode());
        assertTrue(help.out().startsWith("usage: cli [--host HOST]"), help.out());
        assertTrue(help.out().contains("Exit status: 0 success/true/found, 1 false/not found, 2 error"), help.out());
    }

    private static Result result(final CliRun run) {
        return new Result(run.exitCode(), run.out());
    }

    private record Result(int exitCode, String out) {
    }
}
