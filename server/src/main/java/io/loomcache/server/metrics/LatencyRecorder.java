package io.loomcache.server.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

import io.loomcache.protocol.CommandTable;
import io.loomcache.protocol.Opcodes;

/**
 * Request latency by opcode, counted into fixed log-linear buckets: the bucket of a latency is found with one
 * {@link Long#numberOfLeadingZeros} and a shift (no search), and an executor's recorder has one writer at a time (the
 * executor's holder), so recording is two plain increments published with opaque stores: no lock-prefixed
 * instruction and no cache line shared between executors. A recorder shared by many threads
 * ({@link #concurrent()}) adds atomically instead; only rare paths use it. {@link ServerMetrics#scrape()} sums the
 * recorders into one Prometheus histogram per opcode.
 * <p>
 * Buckets, by upper bound (inclusive, as Prometheus' {@code le}): 1,024 ns, then two per power of two (1.5 x 2^m and
 * 2^(m+1) ns for m = 10..33), up to 2^34 ns (~17 s), then +Inf.
 */
public final class LatencyRecorder {
    /** Buckets per opcode, +Inf included. */
    public static final int BUCKETS = 50;
    private static final int FIRST_OCTAVE = 10;
    private static final int LAST_OCTAVE = 33;
    /** The opcodes timed, each with its histogram. */
    static final int[] TIMED_OPCODES = {
        Opcodes.HELLO, Opcodes.PING, Opcodes.MAP_PUT, Opcodes.MAP_GET, Opcodes.MAP_REMOVE, Opcodes.MAP_PUT_IF_ABSENT,
        Opcodes.MAP_REPLACE, Opcodes.MAP_CONTAINS_KEY, Opcodes.MAP_SIZE, Opcodes.MAP_CLEAR, Opcodes.MAP_EXPIRE,
        Opcodes.MAP_TTL, Opcodes.MAP_INCREMENT, Opcodes.MAP_APPEND, Opcodes.MAP_GET_AND_PUT,
        Opcodes.MAP_GET_AND_REMOVE, Opcodes.MAP_PUT_IF_PRESENT, Opcodes.MAP_PERSIST, Opcodes.MAP_SET_RANGE,
        Opcodes.MAP_PUT_KEEP_TTL,
    };
    private static final byte[] SLOTS = new byte[CommandTable.TABLE_LENGTH];

    static {
        Arrays.fill(SLOTS, (byte)-1);
        for (int slot = 0; slot < TIMED_OPCODES.length; slot++) {
            SLOTS[TIMED_OPCODES[slot]] = (byte)slot;
        }
    }

    private final boolean concurrent;
    private final AtomicLongArray counts = new AtomicLongArray(TIMED_OPCODES.length * BUCKETS);
    private final AtomicLongArray sumsNs = new AtomicLongArray(TIMED_OPCODES.length);

    private LatencyRecorder(final boolean concurrent) {
        this.concurrent = concurrent;
    }

    /**
     * A recorder with one writer at a time (e.g. an executor's, written by whoever holds the executor).
     *
     * @return the recorder.
     */
    public static LatencyRecorder singleWriter() {
        return new LatencyRecorder(false);
    }

    /**
     * A recorder any number of threads may write at once.
     *
     * @return the recorder.
     */
    public static LatencyRecorder concurrent() {
        return new LatencyRecorder(true);
    }

    /**
     * Counts one answered request; allocation-free. Opcodes not in {@link #TIMED_OPCODES} are ignored.
     *
     * @param opcode the request's opcode.
     * @param latencyNs from read to response queued; negative counts as 0.
     */
    public void record(final int opcode, final long latencyNs) {
        final int slot = slot(opcode);
        if (slot < 0) {
            return;
        }
        final long ns = Math.max(0, latencyNs);
        final int index = slot * BUCKETS + bucket(ns);
        if (concurrent) {
            counts.getAndIncrement(index);
            sumsNs.getAndAdd(slot, ns);
        } else {
            counts.setOpaque(index, counts.getPlain(index) + 1);
            sumsNs.setOpaque(slot, sumsNs.getPlain(slot) + ns);
        }
    }

    /**
     * The histogram of an opcode.
     *
     * @param opcode any int.
     * @return its index in {@link #TIMED_OPCODES}, or -1 when it is not timed.
     */
    static int slot(final int opcode) {
        return opcode < 0 || opcode >= SLOTS.length ? -1 : SLOTS[opcode];
    }

    /**
     * The bucket of a latency: the first whose upper bound is at least {@code ns}.
     *
     * @param ns a latency, not negative.
     * @return the bucket, 0 to {@link #BUCKETS} - 1.
     */
    static int bucket(final long ns) {
        final long below = ns - 1;
        if (below < 1L << FIRST_OCTAVE) {
            return 0;
        }
        final int octave = 63 - Long.numberOfLeadingZeros(below);
        if (octave > LAST_OCTAVE) {
            return BUCKETS - 1;
        }
        return 1 + 2 * (octave - FIRST_OCTAVE) + (int)((below >>> (octave - 1)) & 1);
    }

    /**
     * The inclusive upper bound of a bucket.
     *
     * @param bucket 0 to {@link #BUCKETS} - 2 (the last one is +Inf).
     * @return nanoseconds.
     */
    static long upperBoundNs(final int bucket) {
        if (bucket == 0) {
            return 1L << FIRST_OCTAVE;
        }
        final int octave = FIRST_OCTAVE + (bucket - 1) / 2;
        return (bucket - 1) % 2 == 0 ? 3L << (octave - 1) : 1L << (octave + 1);
    }

    long count(final int slot, final int bucket) {
        return counts.getOpaque(slot * BUCKETS + bucket);
    }

    long sumNs(final int slot) {
        return sumsNs.getOpaque(slot);
    }
}
