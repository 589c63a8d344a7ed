package io.loomcache.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.loadgen.LoadGenerator;
import io.loomcache.loadgen.config.CommandLine;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.fake.FakeLoomServer;

/**
 * {@code --timeline} against the fake server answering every 20th request with an error: one row per second of
 * every phase, latencies ordered, errors by code, and the rows of the measured phase adding up to its count.
 */
class TimelineTest {
    /** A server that stops answering for two seconds mid-phase shows as rows with nothing completed. */
    @Test
    void shouldWriteEmptyRowsWhileTheServerStalls(@TempDir final Path dir) throws Exception {
        final Path csv = dir.resolve("stall.csv");
        try (FakeLoomServer server = new FakeLoomServer();
            PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            final Thread stall = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(1_200);
                    server.holdKeysStartingWith("key:");
                    Thread.sleep(2_300);
                    server.releaseHeld();
                } catch (final InterruptedException | IOException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            try {
                LoadGenerator.execute(CommandLine.parse("--port", Integer.toString(server.port()), "--connections",
                    "2", "--pipeline", "4", "--duration", "5s", "--warmup", "0", "--keys", "100", "--quiet",
                    "--timeline", csv.toString()), sink, sink);
            } finally {
                stall.join();
            }
        }
        final List<String> lines = Files.readAllLines(csv);
        long emptyRows = 0;
        for (final String line : lines.subList(1, lines.size())) {
            final String[] cells = line.split(",", -1);
            if (cells[2].equals("measure") && Double.parseDouble(cells[3]) == 0 && Double.parseDouble(cells[1]) > 0.5) {
                emptyRows++;
                assertEquals("", cells[6], "no latency without a completed request: " + line);
            }
        }
        assertTrue(emptyRows >= 1, "the stall's empty rows:\n" + String.join("\n", lines));
    }

    @Test
    void shouldWriteOneRowPerSecondThatAddsUpToThePhase(@TempDir final Path dir) throws IOException {
        final Path csv = dir.resolve("timeline.csv");
        final LoadGenerator.Report report;
        try (FakeLoomServer server = new FakeLoomServer().answerErrorEvery(20, ErrorCode.INTERNAL_ERROR);
            PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            report = LoadGenerator.execute(CommandLine.parse("--port", Integer.toString(server.port()),
                "--connections", "2", "--pipeline", "4", "--duration", "2500ms", "--warmup", "500ms", "--keys", "100",
                "--quiet", "--timeline", csv.toString()), sink, sink);
        }
        final List<String> lines = Files.readAllLines(csv);
        assertEquals(Timeline.HEADER, lines.getFirst());
        double okSum = 0;
        double errorSum = 0;
        int measureRows = 0;
        boolean warmupSeen = false;
        double lastTime = 0;
        for (final String line : lines.subList(1, lines.size())) {
            final String[] cells = line.split(",", -1);
            assertEquals(11, cells.length, line);
            final double time = Double.parseDouble(cells[0]);
            assertTrue(time >= lastTime, "rows in time order: " + line);
            lastTime = time;
            final double interval = Double.parseDouble(cells[1]);
            assertTrue(interval > 0 && interval < 1.5, line);
            warmupSeen |= cells[2].equals("warmup");
            if (!cells[2].equals("measure")) {
                continue;
            }
            measureRows++;
            okSum += Double.parseDouble(cells[3]) * interval;
            errorSum += Double.parseDouble(cells[5]) * interval;
            final double p50 = Double.parseDouble(cells[6]);
            final double p99 = Double.parseDouble(cells[7]);
            final double p999 = Double.parseDouble(cells[8]);
            final double max = Double.parseDouble(cells[9]);
            assertTrue(0 < p50 && p50 <= p99 && p99 <= p999 && p999 <= max, line);
            assertTrue(cells[10].matches("INTERNAL_ERROR=[0-9]+"), line);
        }
        assertTrue(warmupSeen, String.join("\n", lines));
        assertTrue(measureRows >= 2 && measureRows <= 4, measureRows + " rows for 2.5 s:\n" + String.join("\n", lines));
        final long ok = report.measured().okOps();
        assertTrue(Math.abs(okSum - ok) <= 0.01 * ok + 2, "rows add up to " + okSum + ", the phase has " + ok);
        assertTrue(Math.abs(errorSum - report.measured().errors()) <= 0.01 * report.measured().errors() + 2,
            "errors add up to " + errorSum + ", the phase has " + report.measured().errors());
    }
}
