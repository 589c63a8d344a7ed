package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.Await;

/**
 * Attacks on a real node process over real sockets: partial frames announcing the largest frame, by the hundred.
 * The node (256 MiB heap, 2 MiB frames) must keep serving, report UP, release every connection, and stop on
 * SIGTERM.
 */
class HostileConnectionsTest {
    private static final int ATTACKERS = 300;
    private static final int MAX_FRAME = 2 * 1024 * 1024;

    @TempDir
    Path workDir;

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldSurviveHundredsOfConnectionsHoldingHeadersAndHalfBodiesOfTheLargestFrame(final String transport)
        throws Exception {
        try (NodeProcess node = NodeProcess.start(workDir, "--transport", transport, "--max-frame-length", "2m",
            "--wal-segment-size", "8m", "--read-timeout", "5m", "--partial-frame-budget", "32m")) {
            final List<RawClient> attackers = new ArrayList<>();
            try {
                sendLargestHeaders(node, attackers);
                assertServes(node, "after " + ATTACKERS + " headers announcing 2 MiB frames");

                final byte[] halfBody = new byte[MAX_FRAME / 2];
                int refused = 0;
                for (final RawClient attacker : attackers.subList(0, 100)) {
                    attacker.send(halfBody);
                }
                for (final RawClient attacker : attackers.subList(0, 100)) {
                    attacker.socket().setSoTimeout(200);
                    try {
                        final RawClient.Response response = attacker.read();
                        assertEquals(Opcodes.RESPONSE_SERVER_BUSY, response.opcode());
                        assertEquals(7, response.correlationId());
                        refused++;
                    } catch (final java.net.SocketTimeoutException stillAssembling) {
                        continue;
                    }
                }
                assertTrue(refused >= 80, "a 32 MiB budget holds at most 16 half frames, but only " + refused +
                    " of 100 were refused");
                assertServes(node, "after 100 MiB of half frames against a 32 MiB budget");
            } finally {
                for (final RawClient attacker : attackers) {
                    attacker.close();
                }
            }
            Await.until("every attacker's connection to be released", 30_000,
                () -> Http.get(node.healthPort(), "/health").body().contains("\"connections\":0"));
            assertServes(node, "after the attackers left");
            node.signal("TERM");
            assertEquals(0, node.awaitExit(30_000), "graceful exit status");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldStopGracefullyOnSigtermWhileHundredsOfLargestFramesAreHalfSentAndKeepAcknowledgedWrites(
        final String transport) throws Exception {
        final String[] flags = {"--transport", transport, "--max-frame-length", "2m", "--wal-segment-size", "8m",
            "--read-timeout", "5m"};
        try (NodeProcess node = NodeProcess.start(workDir, flags)) {
            try (RawClient client = new RawClient(node.port())) {
                assertEquals(Opcodes.RESPONSE_OK, client.put(1, "before", "the attack", 0).opcode());
            }
            final List<RawClient> attackers = new ArrayList<>();
            try {
                sendLargestHeaders(node, attackers);
                awaitCountedOrUnresponsive(node);
                node.signal("TERM");
                assertEquals(0, node.awaitExit(30_000), "graceful exit status");
            } finally {
                for (final RawClient attacker : attackers) {
                    attacker.close();
                }
            }
        }
        try (NodeProcess node = NodeProcess.start(workDir, flags); RawClient client = new RawClient(node.port())) {
            assertEquals("the attack", client.get(2, "before").valueAsString());
        }
    }

    /** Opens the attackers' connections; each sends one MAP_PUT header announcing the largest frame, and stalls. */
    private static void sendLargestHeaders(final NodeProcess node, final List<RawClient> attackers) throws Exception {
        final byte[] header = RawClient.header(MAX_FRAME - FrameHeaderDescriptor.HEADER_LENGTH, 1, 0,
            Opcodes.MAP_PUT, 7);
        for (int i = 0; i < ATTACKERS; i++) {
            final RawClient attacker = new RawClient(node.port());
            attackers.add(attacker);
            attacker.send(header);
        }
    }

    /** Waits until health counts every attacker; a node too sick to say so must still stop on SIGTERM. */
    private static void awaitCountedOrUnresponsive(final NodeProcess node) throws Exception {
        try {
            Await.until("the node to count the attackers' connections", 20_000, () -> {
                try {
                    return Http.get(node.healthPort(), "/health").body()
                        .contains("\"connections\":" + ATTACKERS);
                } catch (final java.io.IOException unresponsive) {
                    return false;
                }
            });
        } catch (final AssertionError unresponsive) {
            return;
        }
    }

    private static void assertServes(final NodeProcess node, final String when) throws Exception {
        try (RawClient client = new RawClient(node.port())) {
            assertEquals(Opcodes.RESPONSE_OK, client.put(1, "k", "v", 0).opcode(), "PUT " + when);
            assertEquals("v", client.get(2, "k").valueAsString(), "GET " + when);
        }
        final HttpResponse<String> health = Http.get(node.healthPort(), "/health");
        assertEquals(200, health.statusCode(), "health " + when + ": " + health.body());
    }
}
