package io.loomcache.loadgen.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.loomcache.checker.History;
import io.loomcache.checker.LinearizabilityChecker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisterHistoryTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteTheLineFormatOfTheJepsenEtcdHistoriesWhichTheCheckerReads() throws Exception {
        final Path file = dir.resolve("run-r0.log");
        final Timeline timeline = new Timeline();
        try (RegisterHistory history = new RegisterHistory(file, timeline)) {
            history.invoke(0, RegisterHistory.READ, "nil");
            history.invoke(1, RegisterHistory.WRITE, "3");
            history.complete(0, Outcome.OK, RegisterHistory.READ, "nil");
            history.complete(1, Outcome.OK, RegisterHistory.WRITE, "3");
            history.invoke(0, RegisterHistory.CAS, "[3 4]");
            history.invoke(1, RegisterHistory.CAS, "[0 1]");
            history.complete(0, Outcome.INFO, RegisterHistory.CAS, "[3 4]");
            history.complete(1, Outcome.FAIL, RegisterHistory.CAS, "[0 1]");
            history.invoke(2, RegisterHistory.READ, "nil");
            history.complete(2, Outcome.OK, RegisterHistory.READ, "4");
        }
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals("INFO  jepsen.util - 0\t:invoke\t:read\tnil", lines.get(0));
        assertEquals("INFO  jepsen.util - 0\t:info\t:cas\t:timed-out", lines.get(6));
        assertEquals("INFO  jepsen.util - 1\t:fail\t:cas\t[0 1]", lines.get(7));
        assertEquals("INFO  jepsen.util - 2\t:ok\t:read\t4", lines.get(9));
        assertTrue(LinearizabilityChecker.check(History.parseJepsen(file)).isLinearizable());
        final long[] counts = timeline.total();
        assertEquals(3, counts[Outcome.OK.ordinal()]);
        assertEquals(1, counts[Outcome.FAIL.ordinal()]);
        assertEquals(1, counts[Outcome.INFO.ordinal()]);
    }

    @Test
    void shouldBeFoundNotLinearizableWhenAReadMissesAnAcknowledgedWrite() throws Exception {
        final Path file = dir.resolve("run-r1.log");
        try (RegisterHistory history = new RegisterHistory(file, new Timeline())) {
            history.invoke(0, RegisterHistory.WRITE, "2");
            history.complete(0, Outcome.OK, RegisterHistory.WRITE, "2");
            history.invoke(1, RegisterHistory.READ, "nil");
            history.complete(1, Outcome.OK, RegisterHistory.READ, "nil");
        }
        final HistoryVerdict verdict = HistoryVerdict.check(file);
        assertFalse(verdict.linearizable());
        assertTrue(verdict.line().contains("NOT LINEARIZABLE"), verdict.line());
    }
}
