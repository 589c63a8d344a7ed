package io.loomcache.raft.storage;

import static io.loomcache.raft.storage.RaftLogContractTest.assertEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.loomcache.raft.RaftLog;
import io.loomcache.wal.WalContext;

/**
 * Random interleavings of appends, truncations, snapshots, installed snapshots, forces and restarts on three groups
 * of one {@link SharedRaftLog} with small segments (so segments roll and are deleted under live groups), against a
 * model per group: after every step, and after every close and reopen, each group holds exactly its model's
 * entries, and a force of one group makes every group's entries durable. Seeds are fixed, so a failure names the
 * seed that reproduces it.
 */
class SharedRaftLogModelTest {
    private static final int[] GROUPS = {2, 5, 8};
    private static final int STEPS = 400;

    @TempDir
    Path directory;

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldMatchEachGroupsModelAcrossRestarts(final long seed) throws Exception {
        final Random random = new Random(seed);
        final UnsafeBuffer state = LogEntries.snapshotBytes(64, 1);
        final Model[] models = {new Model(), new Model(), new Model()};
        SharedRaftLog shared = open();
        long deletedSegmentsSeen = 0;
        try {
            for (int step = 0; step < STEPS; step++) {
                final int g = random.nextInt(GROUPS.length);
                final Model model = models[g];
                final RaftLog log = shared.group(GROUPS[g]);
                final long last = model.last();
                final int action = random.nextInt(12);
                if (action < 5) {
                    model.term += random.nextInt(8) == 0 ? 1 : 0;
                    final int count = 1 + random.nextInt(4);
                    for (int i = 1; i <= count; i++) {
                        assertTrue(LogEntries.append(log, last + i, model.term));
                        model.terms.add(model.term);
                    }
                } else if (action == 5) {
                    final long durable = log.force();
                    assertEquals(last, durable);
                    for (int other = 0; other < GROUPS.length; other++) {
                        assertEquals(models[other].last(), shared.group(GROUPS[other]).durableIndex(),
                            "group " + GROUPS[other] + " durable after group " + GROUPS[g] + "'s force");
                    }
                } else if (action == 6) {
                    final long keep = model.snapshotIndex + random.nextInt((int)(last - model.snapshotIndex) + 1);
                    assertTrue(log.truncateAfter(keep));
                    model.truncate(keep);
                } else if (action == 7 || action == 8) {
                    final long index = model.snapshotIndex + random.nextInt((int)(last - model.snapshotIndex) + 1);
                    assertTrue(log.saveSnapshot(index, model.terms.get((int)index), state, 0, random.nextInt(64)));
                    model.snapshotIndex = Math.max(model.snapshotIndex, index);
                } else if (action == 9) {
                    final long index = model.snapshotIndex + 1 + random.nextInt((int)(last - model.snapshotIndex) + 3);
                    final boolean matching = index <= last && random.nextBoolean();
                    final long snapshotTerm = matching ? model.terms.get((int)index) : model.term + 1;
                    assertTrue(log.installSnapshot(index, snapshotTerm, state, 0, 8));
                    if (!matching && (index > last || model.terms.get((int)index) != snapshotTerm)) {
                        model.truncate(Math.min(index, last));
                        while (model.terms.size() <= index) {
                            model.terms.add(0L);
                        }
                        model.terms.set((int)index, snapshotTerm);
                        model.term = snapshotTerm;
                    }
                    model.snapshotIndex = index;
                } else if (action == 10) {
                    model.votedFor = random.nextInt(3);
                    model.term++;
                    assertTrue(log.persistTermAndVote(model.term, model.votedFor));
                    model.persistedTerm = model.term;
                } else {
                    deletedSegmentsSeen = Math.max(deletedSegmentsSeen, shared.firstPosition() - 1);
                    shared.close();
                    shared = open();
                    for (int other = 0; other < GROUPS.length; other++) {
                        models[other].assertMatches(shared.group(GROUPS[other]), "after reopen, group " +
                            GROUPS[other]);
                    }
                }
                model.assertMatches(shared.group(GROUPS[g]), "step " + step + " group " + GROUPS[g]);
            }
            deletedSegmentsSeen = Math.max(deletedSegmentsSeen, shared.firstPosition() - 1);
        } finally {
            shared.close();
        }
        assertTrue(deletedSegmentsSeen > 0, "no segment was ever deleted: the run did not exercise compaction");
    }

    private SharedRaftLog open() throws Exception {
        return SharedRaftLog.open(directory, GROUPS, new WalContext().segmentLength(8 * 1024), 8);
    }

    /** A group's entries' terms (index 0 is the empty prefix), snapshot index, term and vote. */
    private static final class Model {
        final List<Long> terms = new ArrayList<>(List.of(0L));
        long snapshotIndex;
        long term = 1;
        long persistedTerm;
        int votedFor = RaftLog.NO_VOTE;

        long last() {
            return terms.size() - 1;
        }

        void truncate(final long keep) {
            while (terms.size() - 1 > keep) {
                terms.removeLast();
            }
        }

        void assertMatches(final RaftLog log, final String where) {
            assertEquals(last(), log.lastIndex(), where + ": lastIndex");
            assertEquals(snapshotIndex + 1, log.firstIndex(), where + ": firstIndex");
            assertEquals(terms.get((int)snapshotIndex), log.termAt(snapshotIndex), where + ": snapshot term");
            assertEquals(persistedTerm, log.currentTerm(), where + ": term");
            if (persistedTerm > 0) {
                assertEquals(votedFor, log.votedFor(), where + ": vote");
            }
            for (long index = snapshotIndex + 1; index < terms.size(); index++) {
                assertEntry(log, index, terms.get((int)index));
            }
        }
    }
}
