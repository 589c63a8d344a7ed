package io.loomcache.loadgen.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import io.loomcache.loadgen.LoadGenerator;
import io.loomcache.loadgen.config.CommandLine;
import io.loomcache.loadgen.wire.KeyFormat;
import io.loomcache.loadgen.wire.Outcome;
import io.loomcache.loadgen.workload.OpMix;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.fake.FakeLoomServer;
import io.loomcache.protocol.options.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The loom request/response path end to end over loopback sockets against a tiny server that answers from a map,
 * sheds every 7th request with SERVER_BUSY, fails every 11th with STORE_FULL and answers each batch in reverse
 * order.
 */
class LoomLoadTest {
    private static final int BUSY_EVERY = 7;
    private static final int ERROR_EVERY = 11;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @RegisterExtension
    final FakeLoomServer server = new FakeLoomServer();

    @Test
    void shouldCountEveryRequestByOutcomeInAClosedLoop() throws IOException, UsageException {
        server.answerBusyEvery(BUSY_EVERY).answerErrorEvery(ERROR_EVERY, ErrorCode.STORE_FULL)
            .reverseAnswersOfEachRead();
        final int requests = 5_000;
        final PhaseResult result = LoadGenerator.execute(CommandLine.parse("--port", port(), "--requests",
            Integer.toString(requests), "--connections", "4", "--pipeline", "8", "--keys", "100", "--read-ratio",
            "0.5", "--threads", "2", "--quiet"), out, err).measured();

        final long busy = requests / BUSY_EVERY;
        final long storeFull = requests / ERROR_EVERY - requests / (BUSY_EVERY * ERROR_EVERY);
        assertEquals(requests, server.mapRequests());
        assertEquals(requests, result.sent());
        assertEquals(requests, result.completed());
        assertEquals(busy, result.serverBusy());
        assertEquals(storeFull, result.errorCount(ErrorCode.STORE_FULL));
        assertEquals(storeFull, result.errors());
        assertEquals(requests - busy - storeFull, result.okOps());
        assertEquals(result.okOps(), result.gets() + result.sets());
        assertEquals(result.okOps(), result.histogram().getTotalCount());
        assertTrue(result.histogram().getMinValue() > 0);
        assertTrue(result.gets() > 0 && result.sets() > 0);
        assertTrue(result.misses() <= result.gets());
        assertEquals(0, result.connectionsLost());
        assertTrue(result.errorMessages().contains("STORE_FULL: store is full"), result.errorMessages().toString());
        final String summary = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(summary.contains("errors:          STORE_FULL=" + storeFull), summary);
        assertTrue(summary.contains("server busy:     " + busy + " "), summary);
    }

    /** Every operation of a mix is sent as its own request and answered without error, counted by operation. */
    @Test
    void shouldSendEveryOperationOfAMixAndCountItsHitsAndMisses() throws IOException, UsageException {
        final int requests = 7_000;
        final PhaseResult result = LoadGenerator.execute(CommandLine.parse("--port", port(), "--requests",
            Integer.toString(requests), "--connections", "2", "--keys", "50", "--mix",
            "get=1,set=1,del=1,setnx=1,setex=1,cas=1,getset=1", "--ttl", "5s", "--quiet"), out, err).measured();

        assertEquals(requests, result.okOps(), result.errorMessages().toString());
        assertEquals(0, result.errors());
        long sum = 0;
        for (int op = 0; op < OpMix.COUNT; op++) {
            assertTrue(result.opCount(op) > 700, OpMix.name(op) + " " + result.opCount(op));
            sum += result.opCount(op);
        }
        assertEquals(requests, sum);
        // with 50 keys, half the writes removing or conditional: some of each conditional kind miss, not all
        for (final int op : new int[] {OpMix.GET, OpMix.DEL, OpMix.SETNX, OpMix.CAS, OpMix.GETSET}) {
            assertTrue(result.opMisses(op) > 0 && result.opMisses(op) < result.opCount(op), OpMix.name(op));
        }
        assertEquals(0, result.opMisses(OpMix.SET));
        assertEquals(0, result.opMisses(OpMix.SETEX));
        final String summary = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(summary.contains("mix=get=14.29%,set=14.29%,del=14.29%"), summary);
        assertTrue(summary.contains("operations:      get 1"), summary);
    }

    /** Values of a range of lengths: every stored value is one of them, of the generator's pattern. */
    @Test
    void shouldWriteValuesOfTheLengthsOfARange() throws IOException, UsageException {
        final LoadGenerator.Report report = LoadGenerator.execute(CommandLine.parse("--port", port(), "--requests",
            "3000", "--connections", "2", "--keys", "200", "--read-ratio", "0", "--value-size", "5-40", "--quiet"),
            out, err);
        assertEquals(0, report.measured().errors());
        final Set<Integer> lengths = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            final byte[] value = server.stored("key:" + String.format("%012d", i));
            if (value != null) {
                assertTrue(value.length >= 5 && value.length <= 40, "length " + value.length);
                assertEquals("abcdefghijklmnopqrstuvwxyzabcdefghijklmn".substring(0, value.length),
                    new String(value, StandardCharsets.US_ASCII));
                lengths.add(value.length);
            }
        }
        assertTrue(lengths.size() > 20, "lengths seen: " + lengths);
    }

    @Test
    void shouldPreloadEveryKeySoThatReadsAllHit() throws IOException, UsageException {
        final int keys = 1_000;
        final LoadGenerator.Report report = LoadGenerator.execute(CommandLine.parse("--port", port(), "--preload",
            "--keys", Integer.toString(keys), "--requests", "2000", "--read-ratio", "1", "--connections", "3",
            "--value-size", "20", "--quiet"), out, err);

        assertEquals(keys, report.preload().okOps());
        assertEquals(keys, report.preload().sets());
        assertEquals(keys, server.size());
        for (int i = 0; i < keys; i++) {
            assertArrayEquals("abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII),
                server.stored(KeyFormat.keyAsString(i)), "key " + i);
        }
        final PhaseResult measured = report.measured();
        assertEquals(2_000, measured.gets());
        assertEquals(0, measured.misses());
        assertEquals(0, measured.sets());
    }

    @Test
    void shouldSendAnOpenLoopAtItsRateAndCountEveryRequest() throws IOException, UsageException {
        server.answerBusyEvery(BUSY_EVERY).reverseAnswersOfEachRead();
        final int requests = 1_500;
        final PhaseResult result = LoadGenerator.execute(CommandLine.parse("--port", port(), "--rate", "20000",
            "--requests", Integer.toString(requests), "--connections", "5", "--max-in-flight", "64", "--quiet"),
            out, err).measured();

        assertTrue(result.phase().openLoop());
        assertEquals(requests, result.sent());
        assertEquals(requests, result.completed());
        assertEquals(requests / BUSY_EVERY, result.serverBusy());
        assertEquals(result.okOps(), result.histogram().getTotalCount());
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).contains("offered 20,000 ops/s"));
    }

    @Test
    void shouldRunTheWatermarkStepsAndPrintOneRowEach() throws IOException, UsageException {
        server.answerBusyEvery(BUSY_EVERY);
        final LoadGenerator.Report report = LoadGenerator.execute(CommandLine.parse("--port", port(), "--scenario",
            "watermark", "--steps", "2000,4000", "--step-duration", "1s", "--connections", "2", "--warmup", "0",
            "--quiet"), out, err);

        assertEquals(2, report.steps().size());
        assertEquals(2000.0, report.steps().get(0).phase().rateOpsPerSec());
        assertEquals(4000.0, report.steps().get(1).phase().rateOpsPerSec());
        long total = 0;
        for (final PhaseResult step : report.steps()) {
            assertEquals(step.okOps(), step.histogram().getTotalCount());
            total += step.completed();
        }
        assertTrue(total > 0);
        final String table = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("| 1 | 2,000 |"), table);
        assertTrue(table.contains("| 2 | 4,000 |"), table);
    }

    @Test
    void shouldFailToOpenWhenTheServerRefusesTheHandshake() throws IOException, UsageException {
        server.helloMode(FakeLoomServer.HelloMode.REFUSE);
        final IOException ex = assertThrows(IOException.class, () -> LoadRun.open(CommandLine.parse("--port",
            port(), "--connections", "2", "--quiet")));
        assertTrue(ex.getMessage().startsWith("handshake failed on 2 of 2 connections"), ex.getMessage());
        assertTrue(ex.getMessage().contains("UNSUPPORTED_VERSION"), ex.getMessage());
    }

    @Test
    void shouldCountRequestsInFlightAsLostWhenTheServerGoesAway() throws IOException, UsageException {
        try (LoadRun run = LoadRun.open(CommandLine.parse("--port", port(), "--connections", "2", "--quiet"))) {
            server.close();
            final PhaseResult result = run.run(new Phase("after-close", Phase.LOAD, 0, 30_000_000_000L, 1_000));
            assertEquals(2, result.connectionsLost());
            assertEquals(result.sent() - result.completed(), result.errorCount(ErrorKinds.indexOf(
                Outcome.CONNECTION_LOST)));
            assertEquals(0, run.openConnections());
        }
    }

    private String port() {
        return Integer.toString(server.port());
    }
}
