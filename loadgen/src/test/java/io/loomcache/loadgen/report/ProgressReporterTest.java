package io.loomcache.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.loomcache.loadgen.config.CommandLine;
import io.loomcache.loadgen.driver.LoadRun;
import io.loomcache.loadgen.driver.Phase;
import io.loomcache.protocol.fake.FakeLoomServer;
import io.loomcache.protocol.options.UsageException;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
    @Test
    void shouldReportWhatTheAgentsPublishedInTheCurrentPhase() throws IOException, UsageException {
        final PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (FakeLoomServer server = new FakeLoomServer().answerBusyEvery(4);
             LoadRun run = LoadRun.open(CommandLine.parse("--port", Integer.toString(server.port()),
                 "--connections", "2", "--quiet"));
             ProgressReporter reporter = new ProgressReporter(run, sink)) {
            run.run(new Phase("measure", Phase.LOAD, 0, 60_000_000_000L, 1_000));
            final String line = reporter.line(System.nanoTime());
            assertTrue(line.startsWith("loadgen [measure "), line);
            assertTrue(line.contains(" busy 250  errors 0"), line);
            assertTrue(line.matches(".*p50 +[0-9,.]+ us  p99 +[0-9,.]+ us.*"), line);
        }
    }
}
