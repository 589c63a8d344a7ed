package io.loomcache.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.loomcache.loadgen.config.CommandLine;
import io.loomcache.loadgen.driver.PhaseResult;
import io.loomcache.loadgen.workload.OpMix;
import io.loomcache.protocol.options.UsageException;
import io.loomcache.testkit.Cleanup;
import io.loomcache.testkit.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bounded RESP workload against a real redis-server started by the test on 127.0.0.1 and a free port (skipped
 * when redis-server is not on the PATH, failed under CI, which installs it).
 */
class RedisIntegrationTest {
    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    private int port;

    @BeforeEach
    void startRedis() throws IOException {
        port = RedisServer.start(cleanup, "--protected-mode", "yes").port();
    }

    @Test
    void shouldCountEveryRespRequestWithoutErrors() throws IOException, UsageException {
        final PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        final LoadGenerator.Report report = LoadGenerator.execute(CommandLine.parse("--protocol", "resp", "--port",
            Integer.toString(port), "--requests", "20000", "--connections", "8", "--pipeline", "16", "--keys",
            "5000", "--preload", "--quiet"), sink, sink);

        assertEquals(5000, report.preload().okOps());
        final PhaseResult result = report.measured();
        assertEquals(20_000, result.sent());
        assertEquals(20_000, result.completed());
        assertEquals(20_000, result.okOps());
        assertEquals(0, result.errors());
        assertEquals(0, result.serverBusy());
        assertEquals(0, result.misses());
        assertEquals(20_000, result.histogram().getTotalCount());
        assertTrue(result.gets() > 0 && result.sets() > 0);
    }

    /** Every operation Redis has is a valid command: none errs, and the conditional ones miss where they should. */
    @Test
    void shouldRunEveryOperationOfAMixAsRedisCommands() throws IOException, UsageException {
        final PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        final PhaseResult result = LoadGenerator.execute(CommandLine.parse("--protocol", "resp", "--port",
            Integer.toString(port), "--requests", "6000", "--connections", "2", "--keys", "50", "--mix",
            "get=1,set=1,del=1,setnx=1,setex=1,getset=1", "--quiet"), sink, sink).measured();

        assertEquals(0, result.errors(), result.errorMessages().toString());
        assertEquals(6000, result.okOps());
        for (final int op : new int[] {OpMix.GET, OpMix.SET, OpMix.DEL, OpMix.SETNX, OpMix.SETEX, OpMix.GETSET}) {
            assertTrue(result.opCount(op) > 600, OpMix.name(op));
        }
        for (final int op : new int[] {OpMix.GET, OpMix.DEL, OpMix.SETNX, OpMix.GETSET}) {
            assertTrue(result.opMisses(op) > 0 && result.opMisses(op) < result.opCount(op), OpMix.name(op));
        }
        assertEquals(0, result.opMisses(OpMix.SET) + result.opMisses(OpMix.SETEX));
    }

    @Test
    void shouldCountRedisErrorReplies() throws IOException, UsageException {
        final PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("CONFIG SET maxmemory 1\r\nCONFIG SET maxmemory-policy noeviction\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            final byte[] replies = socket.getInputStream().readNBytes(10);
            assertEquals("+OK\r\n+OK\r\n", new String(replies, StandardCharsets.US_ASCII));
        }
        final PhaseResult result = LoadGenerator.execute(CommandLine.parse("--protocol", "resp", "--port",
            Integer.toString(port), "--requests", "500", "--connections", "2", "--read-ratio", "0", "--quiet"),
            sink, sink).measured();
        assertEquals(500, result.completed());
        assertEquals(500, result.errors());
        assertTrue(result.errorMessages().get(0).startsWith("OOM"), result.errorMessages().toString());
    }
}
