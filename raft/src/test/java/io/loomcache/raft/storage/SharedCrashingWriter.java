package io.loomcache.raft.storage;

import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.raft.RaftLog;
import io.loomcache.wal.WalContext;

/**
 * Child JVM main for {@link SharedRaftLogCrashTest}: three groups of one {@link SharedRaftLog} append at different
 * rates (every step, every second, every seventh), one force of one group's log covering all of them every
 * {@link CrashingWriter#BATCH} steps, each raising its term and snapshotting as it goes (so segments are deleted
 * under live groups). Prints {@code FORCED g i}, {@code TERM g t v} and {@code SNAPSHOT g i} only after the call
 * returned; the parent kills it with SIGKILL.
 */
public final class SharedCrashingWriter {
    static final int[] GROUPS = {0, 3, 6};
    static final int[] EVERY = {1, 2, 7};

    private SharedCrashingWriter() {
    }

    public static void main(final String[] args) throws Exception {
        final UnsafeBuffer state = LogEntries.snapshotBytes(2000, 5);
        try (SharedRaftLog shared = SharedRaftLog.open(Path.of(args[0]), GROUPS,
            new WalContext().segmentLength(CrashingWriter.SEGMENT_LENGTH), 64)) {
            for (long step = 1; step <= CrashingWriter.MAX_ENTRIES; step++) {
                for (int g = 0; g < GROUPS.length; g++) {
                    if (step % EVERY[g] == 0) {
                        append(shared.group(GROUPS[g]), GROUPS[g], state);
                    }
                }
                if (step % CrashingWriter.BATCH == 0) {
                    final RaftLog forcing = shared.group(GROUPS[(int)(step / CrashingWriter.BATCH % GROUPS.length)]);
                    check(forcing.force() == forcing.lastIndex());
                    for (final int group : GROUPS) {
                        final RaftLog log = shared.group(group);
                        check(log.durableIndex() == log.lastIndex());
                        System.out.println("FORCED " + group + " " + log.lastIndex());
                    }
                }
                System.out.flush();
            }
        }
    }

    private static void append(final RaftLog log, final int group, final UnsafeBuffer state) {
        final long index = log.lastIndex() + 1;
        final long term = CrashingWriter.termOf(index);
        if (term > log.currentTerm()) {
            check(log.persistTermAndVote(term, CrashingWriter.voteOf(term)));
            System.out.println("TERM " + group + " " + term + " " + CrashingWriter.voteOf(term));
        }
        check(LogEntries.append(log, index, term));
        if (index % CrashingWriter.ENTRIES_PER_SNAPSHOT == 0) {
            check(log.saveSnapshot(index - 5, CrashingWriter.termOf(index - 5), state, 0, (int)(index % 2000)));
            System.out.println("SNAPSHOT " + group + " " + (index - 5));
        }
    }

    private static void check(final boolean ok) {
        if (!ok) {
            throw new IllegalStateException("storage call failed");
        }
    }
}
