package io.loomcache.raft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Runs the deterministic simulation over many seeds (at least 200 in CI; {@code -Draft.sim.seeds=N} and
 * {@code -Draft.sim.firstSeed=S} change the range). A failing seed is printed with the command that replays it.
 */
class SimulationTest {
    private static final int DEFAULT_SEEDS = 200;

    @Test
    void shouldKeepEveryInvariantAndLinearizabilityAcrossSeededFaultSchedules() {
        final int seeds = Integer.getInteger("raft.sim.seeds", DEFAULT_SEEDS);
        final long first = Long.getLong("raft.sim.firstSeed", 1L);
        final List<String> failures = new ArrayList<>();
        long acknowledged = 0;
        for (long seed = first; seed < first + seeds; seed++) {
            final Simulation.Result result = Simulation.run(seed);
            acknowledged += result.acknowledged();
            if (!result.ok()) {
                failures.add(SimulationReport.describe(result));
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + seeds + " seeds failed:\n" + String.join("\n", failures));
        }
        assertTrue(acknowledged > seeds * 10L, "the workload made progress: " + acknowledged + " acknowledged writes");
    }

    @Test
    void shouldReplayASeedIdentically() {
        for (final long seed : new long[] {7, 15292}) {
            final Simulation first = new Simulation(seed, SimOptions.fromSeed(seed));
            final Simulation second = new Simulation(seed, SimOptions.fromSeed(seed));
            assertEquals(first.run(), second.run(), "seed " + seed + " ran twice");
            assertEquals(first.trace.toString(), second.trace.toString());
            assertEquals(first.describeMembers(), second.describeMembers());
        }
    }
}
