package io.loomcache.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.fake.FakeLoomServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadGeneratorTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void shouldExitTwoWithOneLineAndUsageOnABadFlag() {
        assertEquals(LoadGenerator.EXIT_USAGE, LoadGenerator.run(new String[] {"--connections", "zero"}, out, err));
        final String[] lines = errBytes.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals("loadgen: invalid --connections 'zero': not an integer", lines[0]);
        assertTrue(lines[1].startsWith("usage: loadgen"));
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintUsageOnHelp() {
        assertEquals(LoadGenerator.EXIT_OK, LoadGenerator.run(new String[] {"--help"}, out, err));
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).startsWith("usage: loadgen"));
    }

    @Test
    void shouldExitOneWhenNothingListens() throws IOException {
        final int port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            port = socket.getLocalPort();
        }
        assertEquals(LoadGenerator.EXIT_FAILED, LoadGenerator.run(new String[] {"--port", Integer.toString(port),
            "--requests", "10", "--quiet"}, out, err));
        final String message = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("loadgen: cannot connect to 127.0.0.1:" + port + ": "), message);
        assertEquals(1, message.split("\\R").length, message);
    }

    /** The CI gate: every objective checked, each miss named with its figure, bound and margin, exit 1. */
    @Test
    void shouldExitOneNamingEachMissedObjectiveByHowMuch(@TempDir final Path dir) throws IOException {
        final Path json = dir.resolve("run.json");
        try (FakeLoomServer server = new FakeLoomServer().answerErrorEvery(10, ErrorCode.INTERNAL_ERROR)) {
            assertEquals(LoadGenerator.EXIT_FAILED, LoadGenerator.run(new String[] {"--port",
                Integer.toString(server.port()), "--connections", "2", "--requests", "2000", "--keys", "500",
                "--quiet", "--json", json.toString(), "--slo", "p99=1ns,p50=10s,errors=0,busy=0,throughput=1e12"},
                out, err));
        }
        final String missed = errBytes.toString(StandardCharsets.UTF_8);
        final String met = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(Pattern.compile("slo missed: p99 [0-9.]+(us|ms) > 1ns \\(over by [0-9.]+(us|ms), [0-9]+%\\)")
            .matcher(missed).find(), missed);
        assertTrue(Pattern.compile("slo missed: errors [0-9,]+ > 0 \\(over by [0-9,]+, [0-9.]+% of [0-9,]+ requests\\)")
            .matcher(missed).find(), missed);
        assertTrue(Pattern.compile("slo missed: throughput [0-9,]+ ops/s < 1,000,000,000,000 \\(short by")
            .matcher(missed).find(), missed);
        assertTrue(missed.contains("loadgen: SLO missed (3 of 5 objectives): exit 1"), missed);
        assertTrue(Pattern.compile("slo met: +p50 [0-9.]+(us|ms) <= 10.0s").matcher(met).find(), met);
        assertTrue(met.contains("slo met:    busy 0 <= 0"), met);
        final String document = Files.readString(json);
        assertTrue(document.contains("\"slo\": [\n    {\"objective\": \"p99=1ns\", \"met\": false, \"text\": \"p99 "),
            document);
        assertTrue(document.contains("{\"objective\": \"busy=0\", \"met\": true"), document);
    }

    @Test
    void shouldExitZeroWhenEveryObjectiveIsMet() throws IOException {
        try (FakeLoomServer server = new FakeLoomServer()) {
            assertEquals(LoadGenerator.EXIT_OK, LoadGenerator.run(new String[] {"--port",
                Integer.toString(server.port()), "--connections", "2", "--requests", "1000", "--keys", "500",
                "--quiet", "--slo", "p99.9=30s,max=60s,errors=0%,busy=0"}, out, err));
        }
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).contains("slo: all 4 objectives met"));
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintTheSummary() throws IOException {
        try (FakeLoomServer server = new FakeLoomServer()) {
            assertEquals(LoadGenerator.EXIT_OK, LoadGenerator.run(new String[] {"--port",
                Integer.toString(server.port()), "--connections", "2", "--duration", "500ms", "--warmup", "200ms",
                "--keys", "500"}, out, err));
        }
        final String summary = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(summary.startsWith("loadgen: protocol=loom target=127.0.0.1:"), summary);
        assertTrue(summary.contains("latency (us):    p50 "), summary);
        assertTrue(summary.contains("generator CPU:"), summary);
    }
}
