package io.loomcache.raft.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.loomcache.raft.EntryType;
import io.loomcache.raft.RaftLog;
import io.loomcache.testkit.Allocations;

/**
 * The steady state of {@link InMemoryRaftLog} (append, force, termAt, entryType, entryLength, copyEntry,
 * truncateAfter, and a snapshot that fits the buffers already grown) allocates nothing, measured with the thread's
 * allocated-bytes counter. A window may see a few hundred bytes when the JIT deoptimizes a frame, so up to five
 * windows run and the last must allocate nothing; one allocation per entry would cost every window at least 16
 * bytes per entry.
 */
class InMemoryRaftLogAllocationTest {
    private static final int ROUNDS = 2_000;
    private static final int ENTRIES_PER_ROUND = 16;
    private static final int WINDOWS = 5;

    private final InMemoryRaftLog log = new InMemoryRaftLog(1024);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[256]);
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[256]);
    private final UnsafeBuffer state = new UnsafeBuffer(new byte[512]);
    private long checksum;

    @Test
    void shouldNotAllocateInSteadyStateAppendForceReadTruncateAndSnapshot() {
        for (int i = 0; i < payload.capacity(); i++) {
            payload.putByte(i, (byte)i);
        }
        Allocations.assertAllocationFree(this::run, WINDOWS, ROUNDS * ENTRIES_PER_ROUND + " entries");
        assertTrue(checksum != 0);
        assertEquals(log.lastIndex(), log.durableIndex());
    }

    private void run() {
        for (int round = 0; round < ROUNDS; round++) {
            final long first = log.lastIndex() + 1;
            for (int i = 0; i < ENTRIES_PER_ROUND; i++) {
                final long index = first + i;
                if (!log.append(index, round + 1L, EntryType.COMMAND, payload, i, (int)(index % 200))) {
                    throw new AssertionError("append failed at " + index);
                }
            }
            if (log.force() == RaftLog.FAILED) {
                throw new AssertionError("force failed");
            }
            for (long index = first; index <= log.lastIndex(); index++) {
                checksum += log.termAt(index) + log.entryType(index) + log.entryLength(index);
                checksum += log.copyEntry(index, copy, 0);
            }
            if (!log.truncateAfter(log.lastIndex() - 2)) {
                throw new AssertionError("truncate failed");
            }
            if (round % 50 == 49 && !log.saveSnapshot(log.lastIndex() - 5, round + 1L, state, 0, round % 500)) {
                throw new AssertionError("snapshot failed");
            }
        }
    }
}
