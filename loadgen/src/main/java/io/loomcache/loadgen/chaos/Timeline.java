package io.loomcache.loadgen.chaos;

import java.util.Arrays;

/**
 * The completion times and outcomes of one run's operations, all keys together, and the fault windows the nemesis
 * recorded: what the summary counts per fault. Thread-safe.
 */
final class Timeline {
    private long[] completedAtNs = new long[4096];
    private byte[] outcome = new byte[4096];
    private int completions;

    synchronized void completed(final long nowNs, final Outcome result) {
        if (completions == completedAtNs.length) {
            completedAtNs = Arrays.copyOf(completedAtNs, completions * 2);
            outcome = Arrays.copyOf(outcome, completions * 2);
        }
        completedAtNs[completions] = nowNs;
        outcome[completions++] = (byte)result.ordinal();
    }

    /**
     * Counts the completions in a time window, by outcome.
     *
     * @param fromNs window start ({@link System#nanoTime()}), inclusive.
     * @param toNs window end, inclusive.
     * @return counts indexed by {@link Outcome#ordinal()}.
     */
    synchronized long[] count(final long fromNs, final long toNs) {
        final long[] counts = new long[Outcome.values().length];
        for (int i = 0; i < completions; i++) {
            if (completedAtNs[i] - fromNs >= 0 && toNs - completedAtNs[i] >= 0) {
                counts[outcome[i]]++;
            }
        }
        return counts;
    }

    /**
     * Counts every completion, by outcome.
     *
     * @return counts indexed by {@link Outcome#ordinal()}.
     */
    synchronized long[] total() {
        final long[] counts = new long[Outcome.values().length];
        for (int i = 0; i < completions; i++) {
            counts[outcome[i]]++;
        }
        return counts;
    }
}
