package io.loomcache.raft.storage;

import static io.loomcache.raft.RaftLog.NO_VOTE;
import static io.loomcache.raft.RaftLog.UNKNOWN_TERM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.loomcache.raft.RaftLog;

/**
 * The {@link RaftLog} contract, run against every implementation by a subclass. {@link #restart} models a member
 * restarting after everything it wrote was made durable.
 */
abstract class RaftLogContractTest {
    abstract RaftLog newLog() throws Exception;

    /** Returns the log a restarted member would open over the same storage; {@code log} is not used afterwards. */
    abstract RaftLog restart(RaftLog log) throws Exception;

    @Test
    void shouldStartEmpty() throws Exception {
        final RaftLog log = newLog();
        assertSpan(log, 1, 0);
        assertEquals(0, log.termAt(0));
        assertEquals(UNKNOWN_TERM, log.termAt(1));
        assertEquals(0, log.durableIndex());
        assertEquals(0, log.currentTerm());
        assertEquals(NO_VOTE, log.votedFor());
        assertEquals(0, log.snapshotIndex());
        assertEquals(0, log.snapshotTerm());
        assertEquals(0, log.snapshotLength());
    }

    @Test
    void shouldReadBackEveryAppendedEntryWithItsTermTypeAndPayload() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 300, 1);
        assertSpan(log, 1, 300);
        for (long index = 1; index <= 300; index++) {
            assertEntry(log, index, 1);
        }
        assertEquals(0, log.entryLength(LogEntries.EMPTY_INDEX));
    }

    @Test
    void shouldRejectAppendThatDoesNotFollowLastIndex() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 3, 1);
        assertThrows(IllegalArgumentException.class, () -> LogEntries.append(log, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> LogEntries.append(log, 3, 1));
        assertEquals(3, log.lastIndex());
    }

    @Test
    void shouldTruncateConflictingSuffixAndAcceptNewEntriesAfterIt() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 40, 1);
        assertTrue(log.truncateAfter(25));
        assertEquals(25, log.lastIndex());
        assertEquals(UNKNOWN_TERM, log.termAt(26));
        appendRange(log, 26, 50, 2);
        for (long index = 1; index <= 50; index++) {
            assertEntry(log, index, index <= 25 ? 1 : 2);
        }
        assertTrue(log.truncateAfter(60));
        assertEquals(50, log.lastIndex());
        assertTrue(log.truncateAfter(0));
        assertEquals(0, log.lastIndex());
        assertEquals(1, log.firstIndex());
        appendRange(log, 1, 2, 3);
        assertEntry(log, 2, 3);
    }

    @Test
    void shouldReportDurableIndexAfterForceAndLowerItOnTruncation() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 10, 1);
        assertTrue(log.durableIndex() <= 10);
        assertEquals(10, log.force());
        assertEquals(10, log.durableIndex());
        appendRange(log, 11, 12, 1);
        assertEquals(10, log.durableIndex());
        assertTrue(log.truncateAfter(7));
        assertEquals(7, log.durableIndex());
        assertEquals(7, log.force());
    }

    @Test
    void shouldCompactPrefixOnSaveSnapshotAndKeepTheSuffix() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 100, 1);
        appendRange(log, 101, 200, 2);
        assertEquals(200, log.force());
        final UnsafeBuffer state = LogEntries.snapshotBytes(5000, 7);
        assertTrue(log.saveSnapshot(150, 2, state, 0, 5000));
        assertEquals(150, log.snapshotIndex());
        assertEquals(2, log.snapshotTerm());
        assertSpan(log, 151, 200);
        for (long index = 151; index <= 200; index++) {
            assertEntry(log, index, 2);
        }
        assertArrayEquals(LogEntries.bytes(state, 5000), LogEntries.readSnapshot(log, 1000));
        appendRange(log, 201, 210, 3);
        assertTrue(log.saveSnapshot(210, 3, state, 100, 10));
        assertSpan(log, 211, 210);
        assertEquals(3, log.termAt(210));
        assertEquals(10, log.snapshotLength());
        appendRange(log, 211, 212, 3);
        assertEntry(log, 212, 3);
    }

    @Test
    void shouldIgnoreSnapshotsNotNewerThanTheCurrentOne() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 20, 1);
        final UnsafeBuffer state = LogEntries.snapshotBytes(64, 1);
        assertTrue(log.saveSnapshot(10, 1, state, 0, 64));
        assertTrue(log.saveSnapshot(5, 1, state, 0, 3));
        assertTrue(log.installSnapshot(8, 1, state, 0, 3));
        assertEquals(10, log.snapshotIndex());
        assertEquals(64, log.snapshotLength());
        assertSpan(log, 11, 20);
    }

    @Test
    void shouldKeepSuffixWhenInstalledSnapshotMatchesAnEntry() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 30, 1);
        appendRange(log, 31, 60, 2);
        final UnsafeBuffer state = LogEntries.snapshotBytes(3000, 3);
        assertTrue(log.installSnapshot(40, 2, state, 0, 3000));
        assertEquals(40, log.snapshotIndex());
        assertSpan(log, 41, 60);
        assertEquals(2, log.termAt(40));
        for (long index = 41; index <= 60; index++) {
            assertEntry(log, index, 2);
        }
        assertTrue(log.durableIndex() >= 40);
        assertArrayEquals(LogEntries.bytes(state, 3000), LogEntries.readSnapshot(log, 333));
    }

    @Test
    void shouldDiscardLogWhenInstalledSnapshotConflictsWithIt() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 30, 1);
        final UnsafeBuffer state = LogEntries.snapshotBytes(100, 5);
        assertTrue(log.installSnapshot(20, 2, state, 0, 100));
        assertEquals(20, log.snapshotIndex());
        assertSpan(log, 21, 20);
        assertEquals(2, log.termAt(20));
        assertEquals(UNKNOWN_TERM, log.termAt(21));
        assertEquals(20, log.durableIndex());
        appendRange(log, 21, 25, 2);
        assertEntry(log, 25, 2);
    }

    @Test
    void shouldDiscardLogWhenInstalledSnapshotIsBeyondItsEnd() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 5, 1);
        final UnsafeBuffer state = LogEntries.snapshotBytes(10, 1);
        assertTrue(log.installSnapshot(1000, 4, state, 0, 10));
        assertSpan(log, 1001, 1000);
        assertEquals(4, log.termAt(1000));
        appendRange(log, 1001, 1003, 4);
        assertEntry(log, 1003, 4);
    }

    @Test
    void shouldReassembleSnapshotFromChunksOfAnySize() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 3, 1);
        final int length = 10_007;
        final UnsafeBuffer state = LogEntries.snapshotBytes(length, 11);
        assertTrue(log.saveSnapshot(3, 1, state, 0, length));
        assertEquals(length, log.snapshotLength());
        for (final int chunk : new int[] {1, 7, 4096, length, length + 5}) {
            assertArrayEquals(LogEntries.bytes(state, length), LogEntries.readSnapshot(log, chunk));
        }
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[16]);
        assertEquals(0, log.copySnapshot(length, dst, 0, 16));
        assertEquals(3, log.copySnapshot(length - 3, dst, 2, 16));
        assertEquals(state.getByte(length - 1), dst.getByte(4));
    }

    @Test
    void shouldAnswerTermAtEdgesOfTheLog() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 10, 1);
        appendRange(log, 11, 20, 3);
        assertTrue(log.saveSnapshot(12, 3, LogEntries.snapshotBytes(8, 1), 0, 8));
        assertEquals(0, log.termAt(0));
        assertEquals(UNKNOWN_TERM, log.termAt(1));
        assertEquals(UNKNOWN_TERM, log.termAt(11));
        assertEquals(3, log.termAt(12));
        assertEquals(3, log.termAt(13));
        assertEquals(3, log.termAt(20));
        assertEquals(UNKNOWN_TERM, log.termAt(21));
        assertEquals(UNKNOWN_TERM, log.termAt(Long.MAX_VALUE));
    }

    @Test
    void shouldRoundTripTermAndVote() throws Exception {
        final RaftLog log = newLog();
        assertTrue(log.persistTermAndVote(3, 2));
        assertEquals(3, log.currentTerm());
        assertEquals(2, log.votedFor());
        assertTrue(log.persistTermAndVote(3, 2));
        assertTrue(log.persistTermAndVote(7, NO_VOTE));
        assertEquals(7, log.currentTerm());
        assertEquals(NO_VOTE, log.votedFor());
        assertTrue(log.persistTermAndVote(7, 0));
        final RaftLog restarted = restart(log);
        assertEquals(7, restarted.currentTerm());
        assertEquals(0, restarted.votedFor());
    }

    @Test
    void shouldRecoverForcedEntriesTermVoteAndSnapshotOnRestart() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 120, 1);
        appendRange(log, 121, 150, 2);
        final UnsafeBuffer state = LogEntries.snapshotBytes(777, 9);
        assertTrue(log.saveSnapshot(100, 1, state, 0, 777));
        assertTrue(log.persistTermAndVote(2, 1));
        assertEquals(150, log.force());
        final RaftLog restarted = restart(log);
        assertEquals(100, restarted.snapshotIndex());
        assertEquals(1, restarted.snapshotTerm());
        assertSpan(restarted, 101, 150);
        assertEquals(150, restarted.durableIndex());
        assertEquals(2, restarted.currentTerm());
        assertEquals(1, restarted.votedFor());
        for (long index = 101; index <= 150; index++) {
            assertEntry(restarted, index, index <= 120 ? 1 : 2);
        }
        assertArrayEquals(LogEntries.bytes(state, 777), LogEntries.readSnapshot(restarted, 100));
        appendRange(restarted, 151, 152, 2);
        assertEntry(restarted, 152, 2);
    }

    @Test
    void shouldRestartAfterInstalledSnapshotWithTheLogStartingAfterIt() throws Exception {
        final RaftLog log = newLog();
        appendRange(log, 1, 30, 1);
        assertEquals(30, log.force());
        assertTrue(log.installSnapshot(500, 5, LogEntries.snapshotBytes(50, 2), 0, 50));
        appendRange(log, 501, 503, 5);
        assertEquals(503, log.force());
        final RaftLog restarted = restart(log);
        assertSpan(restarted, 501, 503);
        assertEquals(5, restarted.termAt(500));
        assertEntry(restarted, 503, 5);
    }

    static void appendRange(final RaftLog log, final long from, final long to, final long term) {
        for (long index = from; index <= to; index++) {
            assertTrue(LogEntries.append(log, index, term), "append " + index);
        }
    }

    static void assertSpan(final RaftLog log, final long firstIndex, final long lastIndex) {
        assertEquals(firstIndex, log.firstIndex(), "firstIndex");
        assertEquals(lastIndex, log.lastIndex(), "lastIndex");
    }

    static void assertEntry(final RaftLog log, final long index, final long term) {
        assertEquals(term, log.termAt(index), "term at " + index);
        assertEquals(LogEntries.type(index), log.entryType(index), "type at " + index);
        assertEquals(LogEntries.length(index), log.entryLength(index), "length at " + index);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[LogEntries.length(index) + 3]);
        assertEquals(LogEntries.length(index), log.copyEntry(index, dst, 3));
        for (int i = 0; i < LogEntries.length(index); i++) {
            assertEquals(LogEntries.payloadByte(index, term, i), dst.getByte(3 + i), "byte " + i + " of " + index);
        }
    }
}
