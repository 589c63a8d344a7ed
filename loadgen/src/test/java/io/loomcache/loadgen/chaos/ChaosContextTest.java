package io.loomcache.loadgen.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.loomcache.protocol.options.UsageException;
import org.junit.jupiter.api.Test;

class ChaosContextTest {
    private static final Path ROOT = Path.of(".");

    @Test
    void shouldTakeTheDefaultsOfTheIssueWhenOnlyNemesisAndOutAreGiven() {
        final ChaosContext context = ChaosContext.parse(ROOT, "--nemesis", "kill", "--out", "/tmp/x");
        assertEquals(List.of(NemesisKind.KILL), context.nemeses());
        assertFalse(context.all());
        assertEquals(TimeUnit.SECONDS.toNanos(60), context.timeNs());
        assertEquals(TimeUnit.SECONDS.toNanos(5), context.intervalNs());
        assertEquals(context.intervalNs(), context.holdNs());
        assertEquals(5, context.clients());
        assertEquals(5, context.keys());
        assertEquals(1, context.runs());
        assertEquals(1_500, context.opTimeoutMs());
        assertEquals("r4", ChaosContext.keyName(4));
    }

    @Test
    void shouldRunEveryNemesisInOrderForAll() {
        final ChaosContext context = ChaosContext.parse(ROOT, "--nemesis=all", "--out=/tmp/x", "--time", "8s",
            "--interval", "2s", "--hold", "1s", "--clients", "3", "--keys", "2", "--seed", "7", "--keep");
        assertEquals(List.of(NemesisKind.KILL, NemesisKind.PAUSE, NemesisKind.PARTITION, NemesisKind.RESTART_ALL),
            context.nemeses());
        assertTrue(context.all());
        assertEquals(TimeUnit.SECONDS.toNanos(1), context.holdNs());
        assertEquals(3, context.clients());
        assertEquals(2, context.keys());
        assertEquals(7, context.seed());
        assertTrue(context.keep());
    }

    @Test
    void shouldRefuseAnUnknownNemesisAMissingOutAndAnIntervalTooShort() {
        assertThrows(UsageException.class, () -> ChaosContext.parse(ROOT, "--nemesis", "flood", "--out", "d"));
        assertThrows(UsageException.class, () -> ChaosContext.parse(ROOT, "--nemesis", "kill"));
        assertThrows(UsageException.class, () -> ChaosContext.parse(ROOT, "--out", "d"));
        assertThrows(UsageException.class,
            () -> ChaosContext.parse(ROOT, "--nemesis", "kill", "--out", "d", "--interval", "10ms"));
        assertThrows(UsageException.class,
            () -> ChaosContext.parse(ROOT, "--nemesis", "kill", "--out", "d", "--keys", "0"));
        assertThrows(UsageException.class, () -> ChaosContext.parse(ROOT, "--nemesis", "kill", "--out", "d", "x"));
    }

    @Test
    void shouldAnswerUsageWithExitStatusTwoAndHelpWithZero() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream sink = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(ChaosMain.EXIT_CANNOT_RUN, ChaosMain.run(ROOT, new String[] {"--nemesis", "x"}, sink, sink));
        assertEquals(ChaosMain.EXIT_LINEARIZABLE, ChaosMain.run(ROOT, new String[] {"--help"}, sink, sink));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("usage: scripts/chaos"));
    }
}
