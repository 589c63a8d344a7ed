package io.loomcache.raft.sim;

/**
 * Formats a failed run so it can be replayed.
 */
final class SimulationReport {
    private SimulationReport() {
    }

    static String describe(final Simulation.Result result) {
        return "seed " + result.seed() + " (" + result.options() + "): " + result.violation()
            + "\n  replay: scripts/raft-sim --seed " + result.seed();
    }
}
