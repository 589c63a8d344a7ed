package io.loomcache.raft.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeds that failed during development, kept so the runs they describe are replayed on every build:
 * <ul>
 *   <li>6167, 15292, 16208: a follower stalled for good behind a full pipelining window whose messages were lost,
 *       because heartbeat acknowledgements kept the leader's loss detection quiet; the leader now re-probes when
 *       the match index has not moved for a heartbeat interval.</li>
 *   <li>65, 254, 279, 317, 400, 706, 718, 821, 899, 950: the harness wiped a removed member's storage before the
 *       configuration without it was committed; the removal was then lost with its leader and the wiped member
 *       voted again (two leaders in a term, lost committed entries). The harness now waits for the removal to
 *       commit, as an operator must.</li>
 * </ul>
 */
class RegressionSeedsTest {
    @ParameterizedTest
    @ValueSource(longs = {6167, 15292, 16208, 65, 254, 279, 317, 400, 706, 718, 821, 899, 950})
    void shouldPassSeedThatOnceFailed(final long seed) {
        final Simulation.Result result = Simulation.run(seed);
        assertTrue(result.ok(), SimulationReport.describe(result));
    }
}
