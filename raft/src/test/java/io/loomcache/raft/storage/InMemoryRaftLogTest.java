package io.loomcache.raft.storage;

import static io.loomcache.raft.RaftLog.FAILED;
import static io.loomcache.raft.RaftLog.NO_VOTE;
import static io.loomcache.raft.storage.RaftLogContractTest.appendRange;
import static io.loomcache.raft.storage.RaftLogContractTest.assertEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Crash semantics and fault knobs of {@link InMemoryRaftLog}, beyond the shared contract.
 */
class InMemoryRaftLogTest {
    private final InMemoryRaftLog log = new InMemoryRaftLog(128);

    @Test
    void shouldLoseExactlyTheUnforcedEntriesOnCrash() {
        appendRange(log, 1, 10, 1);
        assertEquals(10, log.force());
        appendRange(log, 11, 15, 1);
        log.crash();
        assertEquals(10, log.lastIndex());
        assertEquals(10, log.durableIndex());
        for (long index = 1; index <= 10; index++) {
            assertEntry(log, index, 1);
        }
        appendRange(log, 11, 12, 2);
        assertEntry(log, 12, 2);
    }

    @Test
    void shouldKeepTheRequestedPrefixOfUnforcedEntriesOnCrash() {
        appendRange(log, 1, 10, 1);
        assertEquals(10, log.force());
        appendRange(log, 11, 15, 1);
        log.crash(3);
        assertEquals(13, log.lastIndex());
        assertEquals(13, log.durableIndex(), "what survived the crash is on disk");
        for (long index = 1; index <= 13; index++) {
            assertEntry(log, index, 1);
        }
        log.crash(100);
        assertEquals(13, log.lastIndex(), "nothing beyond the last entry appears");
    }

    @Test
    void shouldKeepTruncationDurableWithoutForce() {
        appendRange(log, 1, 10, 1);
        assertEquals(10, log.force());
        assertTrue(log.truncateAfter(5));
        appendRange(log, 6, 9, 2);
        log.crash();
        assertEquals(5, log.lastIndex());
        assertEntry(log, 5, 1);
    }

    @Test
    void shouldKeepSavedSnapshotAndItsPrefixAcrossCrashEvenIfEntriesWereNotForced() {
        appendRange(log, 1, 10, 1);
        assertTrue(log.saveSnapshot(8, 1, LogEntries.snapshotBytes(20, 3), 0, 20));
        assertEquals(8, log.durableIndex());
        log.crash();
        assertEquals(8, log.snapshotIndex());
        assertEquals(9, log.firstIndex());
        assertEquals(8, log.lastIndex());
        assertEquals(20, log.snapshotLength());
    }

    @Test
    void shouldKeepDurableTermAndVoteAcrossCrash() {
        assertTrue(log.persistTermAndVote(4, 2));
        log.crash();
        assertEquals(4, log.currentTerm());
        assertEquals(2, log.votedFor());
    }

    @Test
    void shouldRevertTermAndVoteOnCrashWhenHardStateIsNotDurable() {
        assertTrue(log.persistTermAndVote(2, 1));
        log.setHardStateDurable(false);
        assertTrue(log.persistTermAndVote(5, 3));
        assertEquals(5, log.currentTerm());
        assertEquals(3, log.votedFor());
        log.crash();
        assertEquals(2, log.currentTerm());
        assertEquals(1, log.votedFor());
        log.setHardStateDurable(true);
        assertTrue(log.persistTermAndVote(6, NO_VOTE));
        log.crash();
        assertEquals(6, log.currentTerm());
        assertEquals(NO_VOTE, log.votedFor());
    }

    @Test
    void shouldStayFailedAfterFailedForceUntilCrash() {
        appendRange(log, 1, 4, 1);
        assertEquals(4, log.force());
        appendRange(log, 5, 6, 1);
        log.failNextForce();
        assertEquals(FAILED, log.force());
        assertTrue(log.isFailed());
        assertEquals(4, log.durableIndex());
        assertEquals(FAILED, log.force());
        assertFalse(LogEntries.append(log, 7, 1));
        assertFalse(log.truncateAfter(5));
        assertFalse(log.persistTermAndVote(1, 1));
        final UnsafeBuffer state = LogEntries.snapshotBytes(4, 1);
        assertFalse(log.saveSnapshot(4, 1, state, 0, 4));
        assertFalse(log.installSnapshot(9, 1, state, 0, 4));
        assertEquals(2, log.forceCount());
        log.crash();
        assertFalse(log.isFailed());
        assertEquals(4, log.lastIndex());
        assertEquals(0, log.currentTerm());
        appendRange(log, 5, 5, 2);
        assertEquals(5, log.force());
        assertEquals(3, log.forceCount());
    }

    @Test
    void shouldStayBoundedInMemoryWhenSnapshotsAreTakenPeriodically() {
        final UnsafeBuffer state = LogEntries.snapshotBytes(100, 1);
        long index = 0;
        int capacityAfterWarmUp = 0;
        for (int round = 0; round < 200; round++) {
            appendRange(log, index + 1, index + 100, 1);
            index += 100;
            assertEquals(index, log.force());
            assertTrue(log.saveSnapshot(index - 10, 1, state, 0, 100));
            if (round == 10) {
                capacityAfterWarmUp = log.payloadCapacityBytes();
            }
        }
        assertEquals(capacityAfterWarmUp, log.payloadCapacityBytes());
        assertEquals(index - 9, log.firstIndex());
        for (long i = index - 9; i <= index; i++) {
            assertEntry(log, i, 1);
        }
    }
}
