package io.loomcache.raft.sim;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Proves the harness catches what it exists to catch: bugs injected on purpose above a correct Raft, which the
 * Raft invariants cannot see and only the linearizability checker can.
 */
class BrokenStateMachineTest {
    private static final int SEEDS = 10;

    @Test
    void shouldReportNotLinearizableWhenTheStateMachineLosesWrites() {
        final Simulation.Result result = firstFailure(RegisterStateMachine.BUG_LOSE_WRITES, false);
        assertNotNull(result, "no seed of " + SEEDS + " caught a state machine that drops every 7th write");
        assertTrue(result.violation().contains("history not linearizable"), result.violation());
    }

    @Test
    void shouldReportNotLinearizableWhenReadsSkipTheLeadershipCheck() {
        final Simulation.Result result = firstFailure(RegisterStateMachine.BUG_NONE, true);
        assertNotNull(result, "no seed of " + SEEDS + " caught reads served by any member without ReadIndex");
        assertTrue(result.violation().contains("history not linearizable"), result.violation());
        assertTrue(result.violation().contains("cannot"), "a counterexample is printed: " + result.violation());
    }

    @Test
    void shouldPassTheSameSeedsWithoutTheInjectedBugs() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            final Simulation.Result result = new Simulation(seed, options(seed, RegisterStateMachine.BUG_NONE, false))
                .run();
            assertTrue(result.ok(), SimulationReport.describe(result));
        }
    }

    private static Simulation.Result firstFailure(final int bug, final boolean staleReads) {
        for (long seed = 1; seed <= SEEDS; seed++) {
            final Simulation.Result result = new Simulation(seed, options(seed, bug, staleReads)).run();
            if (!result.ok()) {
                return result;
            }
        }
        return null;
    }

    private static SimOptions options(final long seed, final int bug, final boolean staleReads) {
        final SimOptions options = SimOptions.fromSeed(seed);
        options.stateMachineBug = bug;
        options.staleReadBug = staleReads;
        return options;
    }
}
