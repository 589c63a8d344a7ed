package io.loomcache.loadgen.chaos;

import java.util.List;

/**
 * What one run found.
 *
 * @param name the run's name, e.g. {@code kill-1}; its files start with it.
 * @param kind its nemesis.
 * @param counts completed operations by outcome (indexed by {@link Outcome#ordinal()}), final reads included.
 * @param faults each fault with the operations completed during it.
 * @param verdicts the checker's verdict per history file.
 * @param finalReadsOk whether every register was read once the faults were healed.
 * @param problem why the run is not a pass besides the verdicts (the nemesis failed, the cluster did not
 *     recover, corrupt values were read), or null.
 * @param setupFailed whether the run could not even start (the cluster did not come up): no finding.
 * @param errorKinds the client errors by kind with their counts, most frequent first.
 */
record RunResult(String name, NemesisKind kind, long[] counts, List<FaultStats> faults,
    List<HistoryVerdict> verdicts, boolean finalReadsOk, String problem, boolean setupFailed,
    List<String> errorKinds) {

    /**
     * A fault and the operations completed while it lasted.
     *
     * @param fault the fault.
     * @param counts completions during it, by outcome.
     */
    record FaultStats(NemesisDriver.Fault fault, long[] counts) {
    }

    /**
     * Whether the run passed: every history linearizable, final reads done, no problem.
     *
     * @return true on a pass.
     */
    boolean passed() {
        return !setupFailed && problem == null && finalReadsOk && linearizableCount() == verdicts.size()
            && !verdicts.isEmpty();
    }

    /**
     * Histories proven linearizable.
     *
     * @return the count.
     */
    int linearizableCount() {
        int count = 0;
        for (final HistoryVerdict verdict : verdicts) {
            count += verdict.linearizable() ? 1 : 0;
        }
        return count;
    }

    /**
     * Completed operations of every outcome.
     *
     * @return the sum.
     */
    long operations() {
        long sum = 0;
        for (final long count : counts) {
            sum += count;
        }
        return sum;
    }
}
