package io.loomcache.server.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import io.loomcache.server.log.NodeLog.Component;
import io.loomcache.server.metrics.ServerMetrics;

class NodeLogTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CachedEpochClock epochClock = new CachedEpochClock();
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final NodeLog log = newLog();

    private NodeLog newLog() {
        epochClock.update(1_700_000_000_123L);
        nanoClock.update(5_000_000_000L);
        return new NodeLog(new PrintStream(bytes, true, StandardCharsets.UTF_8), epochClock, nanoClock);
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private List<String> events() {
        return lines().stream().filter(line -> !line.startsWith("\t")).toList();
    }

    private static IllegalStateException failAt(final String message) {
        return new IllegalStateException(message);
    }

    private static IllegalArgumentException failElsewhere() {
        return new IllegalArgumentException("elsewhere");
    }

    private static RuntimeException withFrame(final int line) {
        final RuntimeException error = new RuntimeException("storm");
        error.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("io.loomcache.Storm", "fail", "Storm.java", line),
        });
        return error;
    }

    @Test
    void shouldLogADistinctErrorOnceWithItsStackTraceAndCountTheRepeatsWhateverTheirMessage() {
        for (int i = 0; i < 7; i++) {
            if (i == 5) {
                assertEquals(5, log.errors(Component.EXECUTOR));
                assertEquals(1, log.distinctErrors());
                assertEquals(List.of("2023-11-14T22:13:20.123Z ERROR executor executor-0 request: " +
                    "java.lang.IllegalStateException: key 0 failed count=1"), events());
                assertTrue(lines().get(1).startsWith("\tat io.loomcache.server.log.NodeLogTest.failAt("),
                    lines().get(1));
                nanoClock.advance(NodeLog.REPEAT_INTERVAL_NS);
            }
            // one call site, so one stack trace whatever the message
            log.error(Component.EXECUTOR, "executor-" + i / 5 + " request", failAt("key " + i + " failed"));
        }
        assertEquals(1, log.distinctErrors());
        assertEquals(2, events().size(), "repeats are rate-limited: " + events());
        assertTrue(events().get(1).endsWith("executor-1 request: java.lang.IllegalStateException: key 5 failed " +
            "count=6 (stack trace logged at the first)"), events().get(1));
        assertEquals(1, lines().stream().filter(line -> line.startsWith("\tat ") && line.contains("failAt")).count(),
            "one stack trace for seven observations");
    }

    @Test
    void shouldTellErrorsApartByTypeAndStackTrace() {
        log.error(Component.HTTP, "health handler", failAt("same message"));
        log.error(Component.HTTP, "health handler", failElsewhere());
        log.error(Component.HTTP, "health handler", new IllegalStateException("a cause", failElsewhere()));
        assertEquals(3, log.distinctErrors());
        assertEquals(3, events().size());
        assertTrue(lines().contains("\tCaused by: java.lang.IllegalArgumentException: elsewhere"), lines().toString());
    }

    @Test
    void shouldHoldABoundedNumberOfDistinctErrorsSoAnErrorStormCannotGrowMemory() {
        final int storm = 10 * NodeLog.MAX_DISTINCT;
        for (int i = 0; i < storm; i++) {
            log.error(Component.CONNECTION, "reader", withFrame(i));
        }
        assertEquals(storm, log.errors(Component.CONNECTION), "every error is counted");
        assertEquals(NodeLog.MAX_DISTINCT, log.distinctErrors());
        assertEquals(NodeLog.MAX_DISTINCT, lines().stream().filter(line -> line.startsWith("\tat ")).count(),
            "a trace per distinct error held, none past the bound");
        final List<String> unheld = events().stream().filter(line -> line.contains(" unheld=")).toList();
        assertEquals(1, unheld.size(), "errors past the bound are rate-limited: " + unheld);

        nanoClock.advance(NodeLog.REPEAT_INTERVAL_NS);
        log.error(Component.CONNECTION, "reader", withFrame(storm));
        assertTrue(events().getLast().contains(" unheld=" + (storm - NodeLog.MAX_DISTINCT + 1) + " "),
            events().getLast());
    }

    @Test
    void shouldWriteEachEventOnOneLineWithTimestampLevelAndComponent() {
        log.info(Component.NODE, "shutdown 1/5: draining\nnow phase=1");
        assertEquals(List.of("2023-11-14T22:13:20.123Z INFO node shutdown 1/5: draining now phase=1"), lines());
    }

    @Test
    void shouldLetGoOfTheHeapReserveOnAnOutOfMemoryError() {
        final AtomicInteger released = new AtomicInteger();
        log.onOutOfMemory(released::incrementAndGet);
        log.errorHandler(Component.CONDUCTOR, "conductor").onError(new OutOfMemoryError("simulated"));
        assertEquals(1, released.get());
        assertEquals(1, log.errors(Component.CONDUCTOR));
    }

    @Test
    void shouldExportOneErrorCounterLabelledByComponent() {
        final ServerMetrics metrics = new ServerMetrics();
        metrics.bindErrors(log);
        log.error(Component.HTTP, "metrics handler", failAt("one"));
        log.error(Component.HTTP, "metrics handler", failAt("two"));
        final String scrape = metrics.scrape();
        assertTrue(scrape.contains("loomcache_errors_total{component=\"http\"} 2.0"), scrape);
        assertTrue(scrape.contains("loomcache_errors_total{component=\"executor\"} 0.0"), scrape);
    }
}
