package io.loomcache.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.loomcache.testkit.gen.Gen;
import io.loomcache.testkit.gen.Property;
import org.junit.jupiter.api.Test;

/**
 * Histories made by a real sequential register execution, each op applied atomically at a point inside a random
 * interval that overlaps its neighbours, must be linearizable; one read changed to a value nobody wrote must not be.
 */
class LinearizabilityPropertyTest {
    private static final int SPACING = 100;
    private static final long NEVER_WRITTEN = 1_000_000;
    private static final int READ = 0;
    private static final int WRITE = 1;

    /** One operation: kind 0 read, 1 write, 2 cas [a b]; slacks put invoke and completion around its point. */
    record Step(int kind, int key, int a, int b, int invokeSlack, int completeSlack, int outcome) {
    }

    /** An operation's outcome in the sequential execution and how the client saw it. */
    private record Executed(long readValue, boolean reportedOk, boolean failed, boolean completed) {
    }

    private static List<Step> executions(final Gen gen) {
        final int maxSlack = 3 * SPACING + SPACING / 2;
        return gen.list(8, 60, g -> new Step(g.ints(0, 2), g.ints(0, 2), g.ints(0, 3), g.ints(0, 3),
            g.ints(1, maxSlack), g.ints(1, maxSlack), g.ints(0, 9)));
    }

    @Test
    void shouldFindSequentialExecutionWithOverlappingIntervalsLinearizable() {
        Property.forAll(300, g -> sequentialIsLinearizable(executions(g)));
    }

    private static void sequentialIsLinearizable(final List<Step> steps) {
        final CheckResult result = LinearizabilityChecker.check(record(steps, execute(steps), -1));
        assertEquals(CheckResult.Verdict.LINEARIZABLE, result.verdict(), result.describe());
    }

    @Test
    void shouldRejectHistoryWhereOneReadReturnsAValueNeverWritten() {
        Property.forAll(300, g -> unwrittenReadIsNot(executions(g), g.anyInt()));
    }

    /** Like jqwik's {@code Assume}, a history without a successful read proves nothing and passes. */
    private static void unwrittenReadIsNot(final List<Step> steps, final int pick) {
        final Executed[] executed = execute(steps);
        final List<Integer> okReads = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).kind() == READ && executed[i].reportedOk()) {
                okReads.add(i);
            }
        }
        if (okReads.isEmpty()) {
            return;
        }
        final int mutated = okReads.get(Math.floorMod(pick, okReads.size()));
        final CheckResult result = LinearizabilityChecker.check(record(steps, executed, mutated));
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, result.verdict());
        assertEquals(steps.get(mutated).key(), result.failingKey());
    }

    /** Applies the steps in order to real registers and decides what each client was told. */
    private static Executed[] execute(final List<Step> steps) {
        final long[] registers = new long[3];
        Arrays.fill(registers, History.NIL);
        final Executed[] executed = new Executed[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            final Step step = steps.get(i);
            final int outcome = step.outcome();
            final long current = registers[step.key()];
            if (step.kind() == READ) {
                executed[i] = new Executed(current, outcome <= 7, false, outcome <= 8);
                continue;
            }
            final boolean casMatches = step.kind() == WRITE || current == step.a();
            final long newValue = step.kind() == WRITE ? step.a() : step.b();
            if (!casMatches) {
                executed[i] = new Executed(current, false, outcome <= 7, true);
            } else if (outcome <= 6) {
                registers[step.key()] = newValue;
                executed[i] = new Executed(current, true, false, true);
            } else if (outcome == 7) {
                registers[step.key()] = newValue;
                executed[i] = new Executed(current, false, false, true);
            } else if (outcome == 8) {
                executed[i] = new Executed(current, false, false, true);
            } else if (step.kind() == WRITE) {
                executed[i] = new Executed(current, false, true, true);
            } else {
                registers[step.key()] = newValue;
                executed[i] = new Executed(current, false, false, false);
            }
        }
        return executed;
    }

    /** Records invokes and completions in time order; op i takes effect at time (i + 1) * SPACING. */
    private static History record(final List<Step> steps, final Executed[] executed, final int mutated) {
        final List<long[]> events = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            final long pointTime = (i + 1L) * SPACING;
            events.add(new long[] {pointTime - steps.get(i).invokeSlack(), i, 1});
            if (executed[i].completed()) {
                events.add(new long[] {pointTime + steps.get(i).completeSlack(), i, 0});
            }
        }
        events.sort(Comparator.comparingLong((final long[] event) -> event[0]));
        final History history = new History();
        final int[] opIds = new int[steps.size()];
        for (final long[] event : events) {
            final int i = (int) event[1];
            final Step step = steps.get(i);
            if (event[2] == 1) {
                opIds[i] = switch (step.kind()) {
                    case READ -> history.invokeRead(i, step.key());
                    case WRITE -> history.invokeWrite(i, step.key(), step.a());
                    default -> history.invokeCas(i, step.key(), step.a(), step.b());
                };
            } else if (executed[i].failed()) {
                history.fail(opIds[i]);
            } else if (!executed[i].reportedOk()) {
                history.info(opIds[i]);
            } else if (step.kind() == READ) {
                history.okRead(opIds[i], i == mutated ? NEVER_WRITTEN : executed[i].readValue());
            } else {
                history.ok(opIds[i]);
            }
        }
        return history;
    }
}
