package io.loomcache.checker;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A concurrent history of operations on key-value registers, recorded in real-time order: each invoke and each
 * completion is an event whose position is its order of recording. Values are longs; {@link #NIL} is a register's
 * initial "never written" value. The recording methods are synchronized, so client threads may record directly;
 * record the invoke before the request leaves and the completion after the response arrives.
 */
public final class History {
    /** The value of a register that was never written; a read may return it, a write may not store it. */
    public static final long NIL = Long.MIN_VALUE;

    static final int READ = 0;
    static final int WRITE = 1;
    static final int CAS = 2;

    static final int PENDING = 0;
    static final int OK = 1;
    static final int FAIL = 2;
    static final int INFO = 3;

    private static final int INITIAL_CAPACITY = 64;

    private int opCount;
    private int[] process = new int[INITIAL_CAPACITY];
    private int[] type = new int[INITIAL_CAPACITY];
    private int[] status = new int[INITIAL_CAPACITY];
    private long[] key = new long[INITIAL_CAPACITY];
    private long[] value = new long[INITIAL_CAPACITY];
    private long[] newValue = new long[INITIAL_CAPACITY];
    private long[] readResult = new long[INITIAL_CAPACITY];
    private boolean[] casMismatch = new boolean[INITIAL_CAPACITY];
    private int[] invokeEvent = new int[INITIAL_CAPACITY];
    private int[] completeEvent = new int[INITIAL_CAPACITY];

    private int eventCount;
    private int[] eventOp = new int[INITIAL_CAPACITY];
    private int[] eventLine = new int[INITIAL_CAPACITY];
    private boolean positionsAreLines;

    /**
     * Creates an empty history.
     */
    public History() {
    }

    /**
     * Records the invocation of a read.
     *
     * @param process client id.
     * @param key     register key.
     * @return the operation id to complete with {@link #okRead}, {@link #fail} or {@link #info}.
     */
    public synchronized int invokeRead(final int process, final long key) {
        return invoke(process, READ, key, NIL, NIL);
    }

    /**
     * Records the invocation of a write.
     *
     * @param process client id.
     * @param key     register key.
     * @param value   value to store, never {@link #NIL}.
     * @return the operation id to complete with {@link #ok}, {@link #fail} or {@link #info}.
     */
    public synchronized int invokeWrite(final int process, final long key, final long value) {
        requireStorable(value);
        return invoke(process, WRITE, key, value, NIL);
    }

    /**
     * Records the invocation of a compare-and-set.
     *
     * @param process  client id.
     * @param key      register key.
     * @param expected value the register must hold ({@link #NIL}: never written).
     * @param newValue value to store when it does, never {@link #NIL}.
     * @return the operation id to complete with {@link #ok}, {@link #fail} or {@link #info}.
     */
    public synchronized int invokeCas(final int process, final long key, final long expected, final long newValue) {
        requireStorable(newValue);
        return invoke(process, CAS, key, expected, newValue);
    }

    /**
     * Records that a write or compare-and-set took effect.
     *
     * @param opId id returned by the invoke; a read is completed with {@link #okRead} instead.
     * @throws IllegalArgumentException for a read or an unknown id; IllegalStateException when already completed.
     */
    public synchronized void ok(final int opId) {
        requirePending(opId);
        if (type[opId] == READ) {
            throw new IllegalArgumentException("operation " + opId + " is a read: complete it with okRead");
        }
        complete(opId, OK);
    }

    /**
     * Records a compare-and-set that completed and reported that the register did not hold the expected value: it
     * changed nothing, and the checker verifies that at its linearization point the value really differed (unlike
     * {@link #fail}, which drops the operation).
     *
     * @param opId id returned by {@link #invokeCas}.
     * @throws IllegalArgumentException when the op is not a cas; IllegalStateException when already completed.
     */
    public synchronized void okCasMismatch(final int opId) {
        requirePending(opId);
        if (type[opId] != CAS) {
            throw new IllegalArgumentException("operation " + opId + " is not a cas");
        }
        casMismatch[opId] = true;
        complete(opId, OK);
    }

    /**
     * Records the value a read returned.
     *
     * @param opId  id returned by {@link #invokeRead}.
     * @param value value read, {@link #NIL} when the register was never written.
     * @throws IllegalArgumentException when the op is not a read; IllegalStateException when already completed.
     */
    public synchronized void okRead(final int opId, final long value) {
        requirePending(opId);
        if (type[opId] != READ) {
            throw new IllegalArgumentException("operation " + opId + " is not a read");
        }
        readResult[opId] = value;
        complete(opId, OK);
    }

    /**
     * Records that an operation definitely did not take effect (a cas that found another value, a write rejected
     * before it reached the log); the checker drops it.
     *
     * @param opId id returned by the invoke.
     * @throws IllegalStateException when already completed.
     */
    public synchronized void fail(final int opId) {
        requirePending(opId);
        complete(opId, FAIL);
    }

    /**
     * Records that an operation's outcome is unknown (timed out): it may take effect at any time after its invoke,
     * or never. An operation never completed at all is treated the same way.
     *
     * @param opId id returned by the invoke.
     * @throws IllegalStateException when already completed.
     */
    public synchronized void info(final int opId) {
        requirePending(opId);
        complete(opId, INFO);
    }

    /**
     * Number of operations invoked so far.
     *
     * @return operation count (completed or not).
     */
    public synchronized int size() {
        return opCount;
    }

    /**
     * Parses a Jepsen register log (one event a line, all operations on key 0).
     *
     * @param file the log.
     * @return the history, with positions that are the file's line numbers.
     * @throws IOException on a read error or a malformed line (the message names the line number).
     */
    public static History parseJepsen(final Path file) throws IOException {
        return JepsenFormat.parse(file);
    }

    /**
     * Writes this history as a Jepsen register log, for debugging.
     *
     * @param out destination, not closed.
     * @throws IOException on a write error.
     * @throws IllegalStateException when the history has more than one key.
     */
    public synchronized void writeJepsen(final Writer out) throws IOException {
        JepsenFormat.write(this, out);
    }

    void labelLastEventWithLine(final int line) {
        eventLine[eventCount - 1] = line;
        positionsAreLines = true;
    }

    int opCount() {
        return opCount;
    }

    int eventCount() {
        return eventCount;
    }

    int eventOp(final int event) {
        return eventOp[event];
    }

    boolean isInvokeEvent(final int event) {
        return invokeEvent[eventOp[event]] == event;
    }

    int process(final int op) {
        return process[op];
    }

    int type(final int op) {
        return type[op];
    }

    int status(final int op) {
        return status[op];
    }

    long key(final int op) {
        return key[op];
    }

    long value(final int op) {
        return value[op];
    }

    long newValue(final int op) {
        return newValue[op];
    }

    boolean casMismatch(final int op) {
        return casMismatch[op];
    }

    long readResult(final int op) {
        return readResult[op];
    }

    int invokePosition(final int op) {
        return eventLine[invokeEvent[op]];
    }

    int completePosition(final int op) {
        return completeEvent[op] < 0 ? -1 : eventLine[completeEvent[op]];
    }

    boolean positionsAreLines() {
        return positionsAreLines;
    }

    String describeOp(final int op) {
        final StringBuilder text = new StringBuilder(64).append("process ").append(process[op]).append(' ');
        switch (type[op]) {
            case READ -> text.append("read -> ").append(status[op] == OK ? format(readResult[op]) : "?");
            case WRITE -> text.append("write ").append(format(value[op]));
            case CAS -> text.append("cas [").append(format(value[op])).append(' ').append(format(newValue[op]))
                .append(']').append(casMismatch[op] ? " -> no match" : "");
            default -> throw new IllegalStateException("unknown operation type " + type[op]);
        }
        final String unit = positionsAreLines ? "line" : "event";
        switch (status[op]) {
            case OK -> text.append(" ok (").append(unit).append("s ").append(invokePosition(op)).append('-')
                .append(completePosition(op)).append(')');
            case FAIL -> text.append(" failed (").append(unit).append("s ").append(invokePosition(op)).append('-')
                .append(completePosition(op)).append(')');
            case INFO -> text.append(" unknown outcome (").append(unit).append("s ").append(invokePosition(op))
                .append('-').append(completePosition(op)).append(", timed out)");
            default -> text.append(" unknown outcome (").append(unit).append(' ').append(invokePosition(op))
                .append(", never completed)");
        }
        return text.toString();
    }

    static String format(final long value) {
        return value == NIL ? "nil" : Long.toString(value);
    }

    private int invoke(final int process, final int type, final long key, final long value, final long newValue) {
        final int op = opCount;
        if (op == this.process.length) {
            growOps(op * 2);
        }
        this.process[op] = process;
        this.type[op] = type;
        this.status[op] = PENDING;
        this.key[op] = key;
        this.value[op] = value;
        this.newValue[op] = newValue;
        this.readResult[op] = NIL;
        this.invokeEvent[op] = addEvent(op);
        this.completeEvent[op] = -1;
        opCount = op + 1;
        return op;
    }

    private void complete(final int op, final int outcome) {
        status[op] = outcome;
        completeEvent[op] = addEvent(op);
    }

    private int addEvent(final int op) {
        final int event = eventCount;
        if (event == eventOp.length) {
            eventOp = Arrays.copyOf(eventOp, event * 2);
            eventLine = Arrays.copyOf(eventLine, event * 2);
        }
        eventOp[event] = op;
        eventLine[event] = event + 1;
        eventCount = event + 1;
        return event;
    }

    private void growOps(final int capacity) {
        process = Arrays.copyOf(process, capacity);
        type = Arrays.copyOf(type, capacity);
        status = Arrays.copyOf(status, capacity);
        key = Arrays.copyOf(key, capacity);
        value = Arrays.copyOf(value, capacity);
        newValue = Arrays.copyOf(newValue, capacity);
        casMismatch = Arrays.copyOf(casMismatch, capacity);
        readResult = Arrays.copyOf(readResult, capacity);
        invokeEvent = Arrays.copyOf(invokeEvent, capacity);
        completeEvent = Arrays.copyOf(completeEvent, capacity);
    }

    private void requirePending(final int opId) {
        if (opId < 0 || opId >= opCount) {
            throw new IllegalArgumentException("unknown operation id " + opId);
        }
        if (status[opId] != PENDING) {
            throw new IllegalStateException("operation " + opId + " is already completed");
        }
    }

    private static void requireStorable(final long value) {
        if (value == NIL) {
            throw new IllegalArgumentException("NIL (Long.MIN_VALUE) means never written and cannot be stored");
        }
    }
}
