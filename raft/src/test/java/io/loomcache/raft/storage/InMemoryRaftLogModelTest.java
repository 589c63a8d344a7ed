package io.loomcache.raft.storage;

import static io.loomcache.raft.storage.RaftLogContractTest.assertEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import java.util.stream.LongStream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.loomcache.raft.RaftLog;

/**
 * Random sequences of appends, forces, truncations, snapshots and crashes against a plain model of the crash
 * semantics: after each step the log holds exactly the model's entries, and after a crash exactly the durable ones.
 * Seeds are fixed, so a failure names the seed that reproduces it.
 */
class InMemoryRaftLogModelTest {
    private static final int STEPS = 300;

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldMatchModelOfDurableAndVolatileEntries(final long seed) {
        final Random random = new Random(seed);
        final InMemoryRaftLog log = new InMemoryRaftLog(16);
        final List<Long> terms = new ArrayList<>();
        terms.add(0L);
        final UnsafeBuffer state = LogEntries.snapshotBytes(64, 1);
        long snapshotIndex = 0;
        long durableIndex = 0;
        long term = 1;
        for (int step = 0; step < STEPS; step++) {
            final long last = terms.size() - 1;
            final int action = random.nextInt(10);
            if (action < 4) {
                term += random.nextInt(8) == 0 ? 1 : 0;
                assertTrue(LogEntries.append(log, last + 1, term));
                terms.add(term);
            } else if (action == 4) {
                assertEquals(last, log.force());
                durableIndex = last;
            } else if (action == 5) {
                final long keep = snapshotIndex + random.nextInt((int)(last - snapshotIndex) + 1);
                assertTrue(log.truncateAfter(keep));
                truncate(terms, keep);
                durableIndex = Math.min(durableIndex, keep);
            } else if (action == 6) {
                final long index = snapshotIndex + random.nextInt((int)(last - snapshotIndex) + 1);
                assertTrue(log.saveSnapshot(index, terms.get((int)index), state, 0, random.nextInt(64)));
                snapshotIndex = Math.max(snapshotIndex, index);
                durableIndex = Math.max(durableIndex, snapshotIndex);
            } else if (action == 7) {
                final long index = snapshotIndex + 1 + random.nextInt((int)(last - snapshotIndex) + 3);
                final boolean matching = index <= last && random.nextBoolean();
                final long snapshotTerm = matching ? terms.get((int)index) : term + 1;
                assertTrue(log.installSnapshot(index, snapshotTerm, state, 0, 8));
                if (!matching && (index > last || terms.get((int)index) != snapshotTerm)) {
                    truncate(terms, Math.min(index, last));
                    while (terms.size() <= index) {
                        terms.add(0L);
                    }
                    terms.set((int)index, snapshotTerm);
                    term = snapshotTerm;
                    durableIndex = index;
                }
                snapshotIndex = index;
                durableIndex = Math.max(durableIndex, index);
            } else {
                log.crash();
                truncate(terms, durableIndex);
            }
            assertMatches(log, terms, snapshotIndex, durableIndex);
        }
    }

    private static void truncate(final List<Long> terms, final long keep) {
        while (terms.size() - 1 > keep) {
            terms.removeLast();
        }
    }

    private static void assertMatches(
        final RaftLog log, final List<Long> terms, final long snapshotIndex, final long durableIndex) {
        assertEquals(terms.size() - 1, log.lastIndex());
        assertEquals(snapshotIndex + 1, log.firstIndex());
        assertEquals(durableIndex, log.durableIndex());
        assertEquals(terms.get((int)snapshotIndex), log.termAt(snapshotIndex));
        for (long index = snapshotIndex + 1; index < terms.size(); index++) {
            assertEntry(log, index, terms.get((int)index));
        }
    }
}
