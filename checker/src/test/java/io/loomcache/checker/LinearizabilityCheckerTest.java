package io.loomcache.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
    private static final long KEY = 7;

    @Test
    void shouldAcceptEmptyHistory() {
        final CheckResult result = LinearizabilityChecker.check(new History());
        assertEquals(CheckResult.Verdict.LINEARIZABLE, result.verdict());
        assertTrue(result.counterexample().isEmpty());
        assertEquals(History.NIL, result.failingKey());
    }

    @Test
    void shouldAcceptReadOfNilBeforeAnyWrite() {
        final History history = new History();
        history.okRead(history.invokeRead(1, KEY), History.NIL);
        writeOk(history, 1, 3);
        assertTrue(LinearizabilityChecker.check(history).isLinearizable());
    }

    @Test
    void shouldRejectStaleRead() {
        final History history = new History();
        writeOk(history, 1, 1);
        writeOk(history, 2, 2);
        history.okRead(history.invokeRead(3, KEY), 1);
        final CheckResult result = LinearizabilityChecker.check(history);
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, result.verdict());
        assertEquals(KEY, result.failingKey());
        final List<String> lines = result.counterexample();
        assertTrue(lines.get(lines.size() - 1).contains("process 3 read -> 1"), lines.toString());
        assertTrue(lines.get(lines.size() - 1).contains("holds 2"), lines.toString());
    }

    @Test
    void shouldRejectLostWrite() {
        final History history = new History();
        writeOk(history, 1, 5);
        history.okRead(history.invokeRead(2, KEY), History.NIL);
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, LinearizabilityChecker.check(history).verdict());
    }

    @Test
    void shouldRejectCasReportedOkOnWrongValue() {
        final History history = new History();
        writeOk(history, 1, 1);
        history.ok(history.invokeCas(2, KEY, 2, 3));
        final CheckResult result = LinearizabilityChecker.check(history);
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, result.verdict());
        assertTrue(result.describe().contains("cannot linearize next: process 2 cas [2 3]"), result.describe());
    }

    @Test
    void shouldDropFailedCasAndFailedWrite() {
        final History history = new History();
        writeOk(history, 1, 1);
        history.fail(history.invokeCas(2, KEY, 2, 3));
        history.fail(history.invokeWrite(3, KEY, 9));
        history.okRead(history.invokeRead(4, KEY), 1);
        assertTrue(LinearizabilityChecker.check(history).isLinearizable());
    }

    @Test
    void shouldAcceptConcurrentOpsThatCanBeOrdered() {
        final History history = new History();
        final int write1 = history.invokeWrite(1, KEY, 1);
        final int write2 = history.invokeWrite(2, KEY, 2);
        final int readA = history.invokeRead(3, KEY);
        final int cas = history.invokeCas(4, KEY, 1, 3);
        history.okRead(readA, 2);
        history.ok(write2);
        history.ok(write1);
        history.ok(cas);
        history.okRead(history.invokeRead(3, KEY), 3);
        assertTrue(LinearizabilityChecker.check(history).isLinearizable());
    }

    @Test
    void shouldRejectReadsThatSeeTwoOrdersOfConcurrentWrites() {
        final History history = new History();
        final int write1 = history.invokeWrite(1, KEY, 1);
        final int write2 = history.invokeWrite(2, KEY, 2);
        history.ok(write1);
        history.ok(write2);
        history.okRead(history.invokeRead(3, KEY), 1);
        history.okRead(history.invokeRead(3, KEY), 2);
        history.okRead(history.invokeRead(3, KEY), 1);
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, LinearizabilityChecker.check(history).verdict());
    }

    @Test
    void shouldAssumeTimedOutWriteHappenedWhenALaterReadSeesIt() {
        final History history = new History();
        writeOk(history, 1, 1);
        history.info(history.invokeWrite(2, KEY, 5));
        history.okRead(history.invokeRead(3, KEY), 1);
        history.okRead(history.invokeRead(3, KEY), 5);
        assertTrue(LinearizabilityChecker.check(history).isLinearizable());
    }

    @Test
    void shouldAssumeTimedOutWriteNeverHappenedWhenLaterReadsDoNotSeeIt() {
        final History history = new History();
        writeOk(history, 1, 1);
        history.info(history.invokeWrite(2, KEY, 5));
        history.okRead(history.invokeRead(3, KEY), 1);
        history.okRead(history.invokeRead(3, KEY), 1);
        assertTrue(LinearizabilityChecker.check(history).isLinearizable());
    }

    @Test
    void shouldRejectTimedOutWriteSeenTakingEffectTwice() {
        final History history = new History();
        writeOk(history, 1, 1);
        history.info(history.invokeWrite(2, KEY, 5));
        history.okRead(history.invokeRead(3, KEY), 5);
        writeOk(history, 1, 1);
        history.okRead(history.invokeRead(3, KEY), 5);
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, LinearizabilityChecker.check(history).verdict());
    }

    @Test
    void shouldNotLetTimedOutWriteTakeEffectBeforeItsInvoke() {
        final History history = new History();
        history.okRead(history.invokeRead(3, KEY), 5);
        history.info(history.invokeWrite(2, KEY, 5));
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, LinearizabilityChecker.check(history).verdict());
    }

    @Test
    void shouldTreatNeverCompletedCasLikeUnknownOutcome() {
        final History history = new History();
        writeOk(history, 1, 1);
        history.invokeCas(2, KEY, 1, 4);
        history.invokeRead(4, KEY);
        history.okRead(history.invokeRead(3, KEY), 4);
        assertTrue(LinearizabilityChecker.check(history).isLinearizable());
    }

    @Test
    void shouldNotApplyUnknownCasWhoseExpectedValueNeverHeld() {
        final History history = new History();
        writeOk(history, 1, 1);
        history.info(history.invokeCas(2, KEY, 3, 4));
        history.okRead(history.invokeRead(3, KEY), 4);
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, LinearizabilityChecker.check(history).verdict());
    }

    @Test
    void shouldReportOnlyTheKeyWhoseSubHistoryIsBad() {
        final History history = new History();
        history.ok(history.invokeWrite(1, 100, 1));
        history.ok(history.invokeWrite(1, 200, 1));
        history.ok(history.invokeWrite(2, 200, 2));
        history.okRead(history.invokeRead(3, 100), 1);
        history.okRead(history.invokeRead(3, 200), 1);
        history.okRead(history.invokeRead(4, 300), History.NIL);
        final CheckResult result = LinearizabilityChecker.check(history);
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, result.verdict());
        assertEquals(200, result.failingKey());
        assertTrue(result.describe().startsWith("not linearizable on key 200"), result.describe());
    }

    @Test
    void shouldCheckKeysIndependently() {
        final History history = new History();
        final int writeA = history.invokeWrite(1, 1, 10);
        final int writeB = history.invokeWrite(2, 2, 20);
        history.okRead(history.invokeRead(3, 1), History.NIL);
        history.ok(writeB);
        history.ok(writeA);
        history.okRead(history.invokeRead(3, 2), 20);
        assertTrue(LinearizabilityChecker.check(history).isLinearizable());
    }

    @Test
    void shouldAnswerUnknownWhenStateBudgetIsExhausted() {
        final History history = new History();
        writeOk(history, 1, 1);
        writeOk(history, 1, 2);
        writeOk(history, 1, 3);
        final CheckResult result = LinearizabilityChecker.check(history, 2);
        assertEquals(CheckResult.Verdict.UNKNOWN, result.verdict());
        assertFalse(result.isLinearizable());
        assertEquals(KEY, result.failingKey());
        assertTrue(LinearizabilityChecker.check(history, 3).isLinearizable());
    }

    @Test
    void shouldPreferDefiniteViolationOverUnknownKey() {
        final History history = new History();
        writeOk(history, 1, 1);
        writeOk(history, 1, 2);
        writeOk(history, 1, 3);
        history.okRead(history.invokeRead(2, 99), 4);
        final CheckResult result = LinearizabilityChecker.check(history, 2);
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, result.verdict());
        assertEquals(99, result.failingKey());
    }

    @Test
    void shouldRejectNonPositiveBudget() {
        assertThrows(IllegalArgumentException.class, () -> LinearizabilityChecker.check(new History(), 0));
    }

    @Test
    void shouldReportLongestPrefixAndTheOpThatCannotFollowIt() {
        final History history = new History();
        writeOk(history, 1, 1);
        history.ok(history.invokeCas(2, KEY, 1, 2));
        history.okRead(history.invokeRead(3, KEY), 1);
        final List<String> lines = LinearizabilityChecker.check(history).counterexample();
        assertEquals(List.of(
            "longest linearizable prefix: 2 of 3 operations on key 7 (register starts nil)",
            "  1. process 1 write 1 ok (events 1-2) => register 1",
            "  2. process 2 cas [1 2] ok (events 3-4) => register 2",
            "cannot linearize next: process 3 read -> 1 ok (events 5-6) while the register holds 2"), lines);
    }

    @Test
    void shouldRejectCasThatReportedNoMatchWhileTheRegisterHeldTheExpectedValue() {
        final History history = new History();
        writeOk(history, 1, 4);
        history.okCasMismatch(history.invokeCas(2, KEY, 4, 5));
        final CheckResult result = LinearizabilityChecker.check(history);
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, result.verdict());
        assertTrue(String.join("\n", result.counterexample()).contains("cas [4 5] -> no match"));
    }

    @Test
    void shouldAcceptCasThatReportedNoMatchAndChangedNothing() {
        final History history = new History();
        writeOk(history, 1, 4);
        history.okCasMismatch(history.invokeCas(2, KEY, 3, 5));
        history.okRead(history.invokeRead(3, KEY), 4);
        assertTrue(LinearizabilityChecker.check(history).isLinearizable());
        assertThrows(IllegalArgumentException.class, () -> history.okCasMismatch(history.invokeRead(3, KEY)));
    }

    private static void writeOk(final History history, final int process, final long value) {
        history.ok(history.invokeWrite(process, KEY, value));
    }
}
