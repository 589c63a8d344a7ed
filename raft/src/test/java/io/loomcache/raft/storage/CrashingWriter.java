package io.loomcache.raft.storage;

import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.wal.WalContext;

/**
 * Child JVM main for {@link WalRaftLogCrashTest}: appends entries to a {@link WalRaftLog} without end, forcing every
 * {@link #BATCH} entries, raising the term and taking snapshots as it goes, and prints a line for each thing that
 * became durable ({@code FORCED i}, {@code TERM t v}, {@code SNAPSHOT i}) only after the call returned. The parent
 * kills it with SIGKILL at some point; it stops by itself after {@link #MAX_ENTRIES}.
 */
public final class CrashingWriter {
    static final int SEGMENT_LENGTH = 64 * 1024;
    static final int BATCH = 10;
    static final int ENTRIES_PER_TERM = 100;
    static final int ENTRIES_PER_SNAPSHOT = 300;
    static final int MAX_ENTRIES = 1_000_000;

    private CrashingWriter() {
    }

    static long termOf(final long index) {
        return index / ENTRIES_PER_TERM + 1;
    }

    static int voteOf(final long term) {
        return (int)(term % 3);
    }

    public static void main(final String[] args) throws Exception {
        final UnsafeBuffer state = LogEntries.snapshotBytes(2000, 5);
        try (WalRaftLog log = WalRaftLog.open(Path.of(args[0]), new WalContext().segmentLength(SEGMENT_LENGTH), 64)) {
            for (long index = 1; index <= MAX_ENTRIES; index++) {
                final long term = termOf(index);
                if (term > log.currentTerm()) {
                    check(log.persistTermAndVote(term, voteOf(term)));
                    System.out.println("TERM " + term + " " + voteOf(term));
                }
                check(LogEntries.append(log, index, term));
                if (index % BATCH == 0) {
                    check(log.force() == index);
                    System.out.println("FORCED " + index);
                }
                if (index % ENTRIES_PER_SNAPSHOT == 0) {
                    check(log.saveSnapshot(index - BATCH, termOf(index - BATCH), state, 0, (int)(index % 2000)));
                    System.out.println("SNAPSHOT " + (index - BATCH));
                }
                System.out.flush();
            }
        }
    }

    private static void check(final boolean ok) {
        if (!ok) {
            throw new IllegalStateException("storage call failed");
        }
    }
}
