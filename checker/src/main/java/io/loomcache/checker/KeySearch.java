package io.loomcache.checker;

import java.util.Arrays;

/**
 * Wing–Gong search with Lowe's memo over one key's sub-history. Events form a doubly linked list in real-time order:
 * a call entry per operation and a return entry per operation that completed ok (an unknown-outcome operation has
 * no return: it returns at +infinity and may be left out). The search linearizes the first call whose transition is
 * legal, lifting its call and return from the list, and backtracks when it reaches a return whose operation is not
 * linearized yet; (linearized set, register value) pairs already explored are skipped. Walking off the end of the
 * list means every ok operation is linearized. Single-threaded, one instance per key and check.
 */
final class KeySearch {
    static final int LINEARIZABLE = 0;
    static final int NOT_LINEARIZABLE = 1;
    static final int UNKNOWN = 2;

    private static final int HEAD = 0;

    private final History history;
    private final int opCount;
    private final int[] globalOp;
    private final int[] entryOp;
    private final boolean[] entryIsCall;
    private final int[] returnEntryOfCall;
    private final int[] next;
    private final int[] prev;
    private final int tail;

    private long statesExplored;
    private int deepestDepth = -1;
    private int[] deepestPrefix = new int[0];
    private long[] deepestValues = new long[0];
    private int stuckOp = -1;
    private long stuckValue = History.NIL;
    private int[] alsoPending = new int[0];

    /**
     * Builds the event list of the operations that constrain the key.
     *
     * @param history    the whole history.
     * @param events     the key's event indexes, ascending.
     * @param eventCount how many of {@code events} are used.
     * @param localOfGlobal scratch of at least {@code history.opCount()} ints, shared between keys.
     */
    KeySearch(final History history, final int[] events, final int eventCount, final int[] localOfGlobal) {
        this.history = history;
        final int[] global = new int[eventCount];
        int ops = 0;
        final int[] listOp = new int[eventCount];
        final boolean[] listIsCall = new boolean[eventCount];
        int entries = 0;
        for (int i = 0; i < eventCount; i++) {
            final int op = history.eventOp(events[i]);
            if (!constrains(history, op)) {
                continue;
            }
            if (history.isInvokeEvent(events[i])) {
                localOfGlobal[op] = ops;
                global[ops++] = op;
                listOp[entries] = localOfGlobal[op];
                listIsCall[entries++] = true;
            } else if (history.status(op) == History.OK) {
                listOp[entries] = localOfGlobal[op];
                listIsCall[entries++] = false;
            }
        }
        this.opCount = ops;
        this.globalOp = Arrays.copyOf(global, ops);
        this.tail = entries + 1;
        this.entryOp = new int[entries + 2];
        this.entryIsCall = new boolean[entries + 2];
        this.next = new int[entries + 2];
        this.prev = new int[entries + 2];
        this.returnEntryOfCall = new int[entries + 2];
        Arrays.fill(returnEntryOfCall, -1);
        final int[] callEntryOfOp = new int[ops];
        for (int i = 0; i < entries; i++) {
            final int entry = i + 1;
            entryOp[entry] = listOp[i];
            entryIsCall[entry] = listIsCall[i];
            if (listIsCall[i]) {
                callEntryOfOp[listOp[i]] = entry;
            } else {
                returnEntryOfCall[callEntryOfOp[listOp[i]]] = entry;
            }
        }
        for (int entry = HEAD; entry <= tail; entry++) {
            next[entry] = entry + 1;
            prev[entry] = entry - 1;
        }
    }

    /** A failed operation had no effect and a read of unknown outcome observed nothing: neither constrains. */
    private static boolean constrains(final History history, final int op) {
        final int status = history.status(op);
        if (status == History.FAIL) {
            return false;
        }
        return history.type(op) != History.READ || status == History.OK;
    }

    /**
     * Runs the search.
     *
     * @param maxStates most configurations to explore before answering {@link #UNKNOWN}.
     * @return {@link #LINEARIZABLE}, {@link #NOT_LINEARIZABLE} or {@link #UNKNOWN}.
     */
    int run(final long maxStates) {
        final long[] linearized = new long[Math.max(1, (opCount + 63) >>> 6)];
        final VisitedSet visited = new VisitedSet(linearized.length);
        final int[] stackEntry = new int[opCount];
        final long[] stackValue = new long[opCount];
        int depth = 0;
        long value = History.NIL;
        int entry = next[HEAD];
        while (entry != tail) {
            final int op = entryOp[entry];
            if (entryIsCall[entry]) {
                if (isLegal(op, value)) {
                    final long after = apply(op, value);
                    linearized[op >>> 6] |= 1L << op;
                    if (visited.add(linearized, after)) {
                        statesExplored = visited.size();
                        if (statesExplored > maxStates) {
                            return UNKNOWN;
                        }
                        stackEntry[depth] = entry;
                        stackValue[depth++] = value;
                        value = after;
                        lift(entry);
                        entry = next[HEAD];
                        continue;
                    }
                    linearized[op >>> 6] &= ~(1L << op);
                }
                entry = next[entry];
            } else {
                if (depth > deepestDepth) {
                    recordDeepest(stackEntry, stackValue, depth, entry, value);
                }
                if (depth == 0) {
                    return NOT_LINEARIZABLE;
                }
                final int lifted = stackEntry[--depth];
                value = stackValue[depth];
                linearized[entryOp[lifted] >>> 6] &= ~(1L << entryOp[lifted]);
                unlift(lifted);
                entry = next[lifted];
            }
        }
        statesExplored = visited.size();
        return LINEARIZABLE;
    }

    private boolean isLegal(final int op, final long value) {
        final int global = globalOp[op];
        return switch (history.type(global)) {
            case History.READ -> history.readResult(global) == value;
            case History.WRITE -> true;
            default -> history.casMismatch(global) != (history.value(global) == value);
        };
    }

    private long apply(final int op, final long value) {
        final int global = globalOp[op];
        final int type = history.type(global);
        if (type == History.READ || type == History.CAS && history.casMismatch(global)) {
            return value;
        }
        return type == History.WRITE ? history.value(global) : history.newValue(global);
    }

    private void lift(final int callEntry) {
        unlink(callEntry);
        final int returnEntry = returnEntryOfCall[callEntry];
        if (returnEntry >= 0) {
            unlink(returnEntry);
        }
    }

    private void unlift(final int callEntry) {
        final int returnEntry = returnEntryOfCall[callEntry];
        if (returnEntry >= 0) {
            relink(returnEntry);
        }
        relink(callEntry);
    }

    private void unlink(final int entry) {
        next[prev[entry]] = next[entry];
        prev[next[entry]] = prev[entry];
    }

    private void relink(final int entry) {
        next[prev[entry]] = entry;
        prev[next[entry]] = entry;
    }

    private void recordDeepest(
        final int[] stackEntry, final long[] stackValue, final int depth, final int returnEntry, final long value) {
        deepestDepth = depth;
        deepestPrefix = new int[depth];
        deepestValues = new long[depth];
        for (int i = 0; i < depth; i++) {
            deepestPrefix[i] = globalOp[entryOp[stackEntry[i]]];
            deepestValues[i] = i + 1 < depth ? stackValue[i + 1] : value;
        }
        stuckOp = globalOp[entryOp[returnEntry]];
        stuckValue = value;
        int pending = 0;
        final int[] others = new int[opCount];
        for (int entry = next[HEAD]; entry != returnEntry; entry = next[entry]) {
            if (entryIsCall[entry] && entryOp[entry] != entryOp[returnEntry]) {
                others[pending++] = globalOp[entryOp[entry]];
            }
        }
        alsoPending = Arrays.copyOf(others, pending);
    }

    long statesExplored() {
        return statesExplored;
    }

    int operationCount() {
        return opCount;
    }

    int[] deepestPrefix() {
        return deepestPrefix;
    }

    long[] deepestValues() {
        return deepestValues;
    }

    int stuckOp() {
        return stuckOp;
    }

    long stuckValue() {
        return stuckValue;
    }

    int[] alsoPending() {
        return alsoPending;
    }
}
