package io.loomcache.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.loomcache.testkit.Allocations;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot path (claim/commit, append, force, read) allocates nothing once warm: measured with the thread's
 * allocated-bytes counter, not with timing. A window may see a few hundred bytes when the JIT deoptimizes a frame
 * and rematerializes scalar-replaced JDK objects, so up to five windows run and the last must allocate nothing; an
 * allocation per operation would cost every window at least 16 bytes per append. The segment is large enough that
 * no window rolls to a new segment (creating one allocates).
 */
class AllocationTest {
    private static final int PAYLOAD_LENGTH = 64;
    private static final int ROUNDS = 20_000;
    private static final int FORCE_EVERY = 5000;
    private static final int WINDOWS = 5;

    @TempDir
    Path directory;

    @Test
    void shouldNotAllocateWhenAppendingForcingAndReadingInSteadyState() throws IOException {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
        final SumHandler handler = new SumHandler();
        try (WriteAheadLog log = WriteAheadLog.open(new WalContext().directory(directory)
            .segmentLength(64 * 1024 * 1024).fsyncPolicy(FsyncPolicy.BATCH))) {
            final Runnable window = () -> run(log, payload, handler);
            final List<Long> allocatedPerWindow = Allocations.assertAllocationFree(window, WINDOWS, 2 * ROUNDS
                + " appends, " + ROUNDS + " reads and " + ROUNDS / FORCE_EVERY + " forces");
            final long windows = 1 + allocatedPerWindow.size();
            assertEquals(2 * ROUNDS * windows, log.lastAppendedIndex());
            assertEquals(ROUNDS * windows * PAYLOAD_LENGTH, handler.bytes);
        }
    }

    private static void run(final WriteAheadLog log, final UnsafeBuffer payload, final SumHandler handler) {
        for (int i = 0; i < ROUNDS; i++) {
            final long offset = log.claim(PAYLOAD_LENGTH);
            log.buffer().putLong((int)offset, i);
            final long claimed = log.commit(1, 1);
            final long appended = log.append(2, 1, payload, 0, PAYLOAD_LENGTH);
            if (claimed < 0 || appended != claimed + 1 || log.read(claimed, 1, handler) != 1) {
                throw new AssertionError("append failed at round " + i);
            }
            if (i % FORCE_EVERY == 0 && log.force() < 0) {
                throw new AssertionError("force failed at round " + i);
            }
        }
    }

    private static final class SumHandler implements RecordHandler {
        long bytes;

        @Override
        public void onRecord(
            final int type, final long term, final long index, final DirectBuffer buffer, final int offset,
            final int payloadLength) {
            bytes += payloadLength;
        }
    }
}
