package io.loomcache.loadgen.chaos;

import java.io.IOException;
import java.nio.file.Path;

import io.loomcache.checker.CheckResult;
import io.loomcache.checker.History;
import io.loomcache.checker.LinearizabilityChecker;

/**
 * The checker's verdict on one history file, read back from disk exactly as any other checker would read it.
 *
 * @param file the history.
 * @param operations operations in it.
 * @param result the checker's result, null when the file could not be read.
 * @param problem why the file could not be read, else null.
 */
record HistoryVerdict(Path file, int operations, CheckResult result, String problem) {
    /** Memory the search of one key may use for its memo of visited configurations, in bytes. */
    static final long SEARCH_BYTES = 256L << 20;

    /**
     * Parses and checks a Jepsen register log with {@link LinearizabilityChecker}, with a state budget that keeps
     * the memo within {@link #SEARCH_BYTES}.
     *
     * @param file the history.
     * @return the verdict.
     */
    static HistoryVerdict check(final Path file) {
        final History history;
        try {
            history = History.parseJepsen(file);
        } catch (final IOException | RuntimeException ex) {
            return new HistoryVerdict(file, 0, null, ex.getMessage());
        }
        final long bytesPerState = 8L * (history.size() / 64 + 2) + 8;
        final long budget = Math.max(100_000, SEARCH_BYTES / bytesPerState);
        return new HistoryVerdict(file, history.size(), LinearizabilityChecker.check(history, budget), null);
    }

    /**
     * Whether the history was proven linearizable.
     *
     * @return false when not linearizable, undecided or unreadable.
     */
    boolean linearizable() {
        return result != null && result.isLinearizable();
    }

    /**
     * One line: the file and the verdict.
     *
     * @return e.g. {@code kill-1-r0.log: linearizable (812 operations)}.
     */
    String line() {
        if (result == null) {
            return file.getFileName() + ": unreadable: " + problem;
        }
        final String verdict = switch (result.verdict()) {
            case LINEARIZABLE -> "linearizable";
            case NOT_LINEARIZABLE -> "NOT LINEARIZABLE";
            case UNKNOWN -> "undecided (the checker's state budget ran out)";
        };
        return file.getFileName() + ": " + verdict + " (" + operations + " operations, " + result.statesExplored()
            + " states explored)";
    }
}
