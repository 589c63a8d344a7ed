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
 *   <li>14436, 28621 (deep campaign): a candidate of an old term won late, its votes held back by slow links,
 *       after a later term had committed more; legal in Raft (it is deposed at its first contact), but the
 *       harness's leader-completeness check demanded every committed entry of any leader. It now demands those
 *       committed in earlier terms only.</li>
 *   <li>99955 (deep campaign): a member crashed inside a force went on running against its crashed storage; a
 *       crash now unwinds the member's code at once.</li>
 * </ul>
 */
class RegressionSeedsTest {
    @ParameterizedTest
    @ValueSource(longs = {6167, 15292, 16208, 65, 254, 279, 317, 400, 706, 718, 821, 899, 950, 14436, 28621, 99955})
    void shouldPassSeedThatOnceFailed(final long seed) {
        final Simulation.Result result = Simulation.run(seed);
        assertTrue(result.ok(), SimulationReport.describe(result));
    }
}
