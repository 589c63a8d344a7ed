package io.loomcache.checker;

import java.util.List;

/**
 * The outcome of a linearizability check: the verdict, the key that failed and a counterexample (the longest
 * linearizable prefix the search found, then the operation it could not linearize next). Immutable.
 */
public final class CheckResult {
    /** What the checker could decide. */
    public enum Verdict {
        /** Every key's sub-history has a legal sequential order consistent with real time. */
        LINEARIZABLE,
        /** Some key's sub-history has none; see {@link #failingKey()} and {@link #counterexample()}. */
        NOT_LINEARIZABLE,
        /** The state budget per key ran out before a key was decided and no key was found to fail. */
        UNKNOWN
    }

    private final Verdict verdict;
    private final long failingKey;
    private final List<String> counterexample;
    private final int operationCount;
    private final int keyCount;
    private final long statesExplored;

    CheckResult(
        final Verdict verdict,
        final long failingKey,
        final List<String> counterexample,
        final int operationCount,
        final int keyCount,
        final long statesExplored) {
        this.verdict = verdict;
        this.failingKey = failingKey;
        this.counterexample = List.copyOf(counterexample);
        this.operationCount = operationCount;
        this.keyCount = keyCount;
        this.statesExplored = statesExplored;
    }

    /**
     * The verdict.
     *
     * @return LINEARIZABLE, NOT_LINEARIZABLE or UNKNOWN.
     */
    public Verdict verdict() {
        return verdict;
    }

    /**
     * Whether the history was proven linearizable.
     *
     * @return true only for {@link Verdict#LINEARIZABLE}.
     */
    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    /**
     * The key whose sub-history is not linearizable (for UNKNOWN: the first key left undecided).
     *
     * @return the key, or {@link History#NIL} when the history is linearizable.
     */
    public long failingKey() {
        return failingKey;
    }

    /**
     * Human-readable lines: the longest linearizable prefix of the failing key (each op with the register value
     * after it), then the operation that could not be linearized next and the operations pending beside it.
     *
     * @return unmodifiable lines, empty unless NOT_LINEARIZABLE.
     */
    public List<String> counterexample() {
        return counterexample;
    }

    /**
     * Configurations (linearized set, register value) explored over all keys checked.
     *
     * @return count of distinct configurations.
     */
    public long statesExplored() {
        return statesExplored;
    }

    /**
     * A multi-line report: verdict, size of the history, and the counterexample when there is one.
     *
     * @return the report, lines separated by '\n'.
     */
    public String describe() {
        final String size = operationCount + " operations on " + keyCount + " key(s), " + statesExplored
            + " states explored";
        final StringBuilder text = new StringBuilder();
        switch (verdict) {
            case LINEARIZABLE -> text.append("linearizable: ").append(size);
            case NOT_LINEARIZABLE -> text.append("not linearizable on key ").append(History.format(failingKey))
                .append(": ").append(size);
            default -> text.append("unknown: key ").append(History.format(failingKey))
                .append(" exceeded the state budget: ").append(size);
        }
        for (final String line : counterexample) {
            text.append('\n').append("  ").append(line);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
