package io.loomcache.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.loomcache.loadgen.LoadGenerator;
import io.loomcache.loadgen.config.CommandLine;
import io.loomcache.loadgen.driver.PhaseResult;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.fake.FakeLoomServer;
import io.loomcache.protocol.options.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
    private static final double NANOS_PER_MICRO = 1e3;

    @TempDir
    Path dir;

    private final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @RegisterExtension
    final FakeLoomServer server = new FakeLoomServer();

    @Test
    void shouldWriteJsonThatParsesAndMatchesTheRun() throws IOException, UsageException {
        server.answerBusyEvery(9).answerErrorEvery(13, ErrorCode.STORE_FULL).reverseAnswersOfEachRead();
        final Path json = dir.resolve("run.json");
        final PhaseResult result = LoadGenerator.execute(CommandLine.parse("--port", Integer.toString(server.port()),
            "--requests", "3000", "--connections", "3", "--json", json.toString(), "--quiet"), out, out).measured();

        @SuppressWarnings("unchecked")
        final Map<String, Object> root = (Map<String, Object>)Json.parse(Files.readString(json));
        assertEquals("loom", root.get("protocol"));
        assertEquals("closed", root.get("mode"));
        assertEquals(3.0, root.get("connections"));
        assertEquals(List.of(), root.get("steps"));
        @SuppressWarnings("unchecked")
        final Map<String, Object> measured = (Map<String, Object>)root.get("result");
        assertEquals(3000.0, measured.get("completed"));
        assertEquals((double)result.okOps(), measured.get("okOps"));
        assertEquals((double)result.serverBusy(), measured.get("serverBusy"));
        assertEquals(Map.of("STORE_FULL", (double)result.errors()), measured.get("errorsByCode"));
        @SuppressWarnings("unchecked")
        final Map<String, Object> latency = (Map<String, Object>)measured.get("latencyUs");
        assertEquals(List.of("p50", "p90", "p99", "p99.9", "p99.99", "max", "mean"), List.copyOf(latency.keySet()));
        assertEquals(result.percentileUs(99), (Double)latency.get("p99"), 0.001);
        assertTrue((Double)latency.get("p50") <= (Double)latency.get("p99"));
        assertTrue((Double)measured.get("ioThreadCpuUsPerOp") > 0);
    }

    @Test
    void shouldWriteWatermarkStepsAsAJsonArray() throws IOException, UsageException {
        final Path json = dir.resolve("watermark.json");
        LoadGenerator.execute(CommandLine.parse("--port", Integer.toString(server.port()), "--scenario", "watermark",
            "--steps", "1000,3000,1000", "--step-duration", "500ms", "--connections", "2", "--json", json.toString(),
            "--warmup", "0", "--quiet"), out, out);

        @SuppressWarnings("unchecked")
        final Map<String, Object> root = (Map<String, Object>)Json.parse(Files.readString(json));
        assertEquals("watermark", root.get("mode"));
        assertFalse(root.containsKey("result"));
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> steps = (List<Map<String, Object>>)root.get("steps");
        assertEquals(3, steps.size());
        assertEquals(3000.0, steps.get(1).get("offeredOpsPerSec"));
        assertEquals("step 2 @3000", steps.get(1).get("name"));
    }

    @Test
    void shouldWriteAnHgrmDistributionWhoseCountAndMaxMatchTheHistogram() throws IOException, UsageException {
        final Path hgrm = dir.resolve("run.hgrm");
        final PhaseResult result = LoadGenerator.execute(CommandLine.parse("--port", Integer.toString(server.port()),
            "--requests", "4000", "--connections", "2", "--hgrm", hgrm.toString(), "--quiet"), out, out).measured();

        final List<String> lines = Files.readAllLines(hgrm);
        assertEquals(List.of("Value", "Percentile", "TotalCount", "1/(1-Percentile)"),
            List.of(lines.get(0).trim().split("\\s+")));
        double lastPercentile = -1;
        long lastCount = -1;
        for (final String line : lines.subList(1, lines.size())) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final String[] columns = line.trim().split("\\s+");
            final double percentile = Double.parseDouble(columns[1]);
            final long count = Long.parseLong(columns[2]);
            assertTrue(percentile >= lastPercentile && count >= lastCount, line);
            lastPercentile = percentile;
            lastCount = count;
        }
        assertEquals(1.0, lastPercentile);
        assertEquals(4000, lastCount);
        final String maxLine = lines.stream().filter(l -> l.startsWith("#[Max")).findFirst().orElseThrow();
        final double maxUs = Double.parseDouble(maxLine.replaceAll(".*Max\\s*=\\s*([0-9.]+),.*", "$1"));
        final long totalCount = Long.parseLong(maxLine.replaceAll(".*Total count\\s*=\\s*([0-9]+)\\].*", "$1"));
        assertEquals(4000, totalCount);
        assertEquals(result.histogram().getMaxValue() / NANOS_PER_MICRO, maxUs, 0.001);
    }
}
