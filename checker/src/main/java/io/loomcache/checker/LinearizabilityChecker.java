package io.loomcache.checker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a {@link History} of register operations is linearizable. The history is split per key
 * (P-compositionality: it is linearizable iff every key's sub-history is) and each key is searched with the
 * Wing–Gong algorithm plus Lowe's memo of explored (linearized set, value) pairs. Failed operations and reads of
 * unknown outcome are dropped; writes and cas of unknown outcome (timed out or never completed) may take effect at
 * any point after their invoke, or never. Stateless; check a history after recording has finished.
 */
public final class LinearizabilityChecker {
    private LinearizabilityChecker() {
    }

    /**
     * Checks a history without a state budget.
     *
     * @param history the history to check.
     * @return LINEARIZABLE or NOT_LINEARIZABLE with a counterexample.
     */
    public static CheckResult check(final History history) {
        return check(history, Long.MAX_VALUE);
    }

    /**
     * Checks a history, giving up on a key after exploring {@code maxStatesPerKey} configurations.
     *
     * @param history         the history to check.
     * @param maxStatesPerKey budget of distinct configurations per key, positive.
     * @return the result; UNKNOWN when a key ran out of budget and no other key was found not linearizable.
     */
    public static CheckResult check(final History history, final long maxStatesPerKey) {
        if (maxStatesPerKey <= 0) {
            throw new IllegalArgumentException("maxStatesPerKey must be positive: " + maxStatesPerKey);
        }
        synchronized (history) {
            return checkRecorded(history, maxStatesPerKey);
        }
    }

    private static CheckResult checkRecorded(final History history, final long maxStatesPerKey) {
        final Map<Long, Integer> keyIndex = new HashMap<>();
        final List<Long> keys = new ArrayList<>();
        final List<int[]> eventsByKey = new ArrayList<>();
        int[] eventCountByKey = new int[16];
        for (int event = 0; event < history.eventCount(); event++) {
            final long key = history.key(history.eventOp(event));
            Integer index = keyIndex.get(key);
            if (index == null) {
                index = keys.size();
                keyIndex.put(key, index);
                keys.add(key);
                eventsByKey.add(new int[8]);
                if (index == eventCountByKey.length) {
                    eventCountByKey = Arrays.copyOf(eventCountByKey, index * 2);
                }
            }
            int[] events = eventsByKey.get(index);
            if (eventCountByKey[index] == events.length) {
                events = Arrays.copyOf(events, events.length * 2);
                eventsByKey.set(index, events);
            }
            events[eventCountByKey[index]++] = event;
        }
        final int[] localOfGlobal = new int[history.opCount()];
        long statesExplored = 0;
        long undecidedKey = History.NIL;
        boolean undecided = false;
        for (int index = 0; index < keys.size(); index++) {
            final KeySearch search =
                new KeySearch(history, eventsByKey.get(index), eventCountByKey[index], localOfGlobal);
            final int verdict = search.run(maxStatesPerKey);
            statesExplored += search.statesExplored();
            if (verdict == KeySearch.NOT_LINEARIZABLE) {
                return new CheckResult(CheckResult.Verdict.NOT_LINEARIZABLE, keys.get(index),
                    counterexample(history, search, keys.get(index)), history.opCount(), keys.size(),
                    statesExplored);
            }
            if (verdict == KeySearch.UNKNOWN && !undecided) {
                undecided = true;
                undecidedKey = keys.get(index);
            }
        }
        return new CheckResult(undecided ? CheckResult.Verdict.UNKNOWN : CheckResult.Verdict.LINEARIZABLE,
            undecidedKey, List.of(), history.opCount(), keys.size(), statesExplored);
    }

    private static List<String> counterexample(final History history, final KeySearch search, final long key) {
        final int[] prefix = search.deepestPrefix();
        final long[] values = search.deepestValues();
        final List<String> lines = new ArrayList<>(prefix.length + 4);
        lines.add("longest linearizable prefix: " + prefix.length + " of " + search.operationCount()
            + " operations on key " + History.format(key) + " (register starts nil)");
        for (int i = 0; i < prefix.length; i++) {
            lines.add("  " + (i + 1) + ". " + history.describeOp(prefix[i]) + " => register "
                + History.format(values[i]));
        }
        lines.add("cannot linearize next: " + history.describeOp(search.stuckOp()) + " while the register holds "
            + History.format(search.stuckValue()));
        for (final int op : search.alsoPending()) {
            lines.add("  also pending at that point: " + history.describeOp(op));
        }
        return lines;
    }
}
