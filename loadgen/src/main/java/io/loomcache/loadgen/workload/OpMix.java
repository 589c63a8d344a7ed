package io.loomcache.loadgen.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The operations of a run and their shares ({@code --mix get=80,set=15,del=5}, {@code --read-ratio}, or a YCSB core
 * workload by name): each request's operation is drawn by weight. Immutable and allocation-free to draw from, so
 * one instance serves every I/O thread.
 * <p>
 * Operations, as requests of both protocols (the README's table): {@link #GET}, {@link #SET} (no TTL), {@link #DEL},
 * {@link #SETNX} (put if absent), {@link #SETEX} (put with the run's TTL), {@link #CAS} (compare-and-set against the
 * value the generator writes: MAP_REPLACE, LoomCache protocol only) and {@link #GETSET} (read and write the key in
 * one atomic step, YCSB's read-modify-write).
 */
public final class OpMix {
    /** A read. */
    public static final int GET = 0;
    /** A write without TTL. */
    public static final int SET = 1;
    /** A removal. */
    public static final int DEL = 2;
    /** A write only when the key is missing. */
    public static final int SETNX = 3;
    /** A write with the run's TTL. */
    public static final int SETEX = 4;
    /** A compare-and-set: the generator's value replaced by itself when the key holds it. */
    public static final int CAS = 5;
    /** A read of the old value and a write of the new one, in one step. */
    public static final int GETSET = 6;
    /** The number of operations. */
    public static final int COUNT = 7;

    private static final String[] NAMES = {"get", "set", "del", "setnx", "setex", "cas", "getset"};
    private static final double PERCENT = 100;

    private final double[] shares;
    private final double[] cumulative;

    private OpMix(final double[] weights) {
        double total = 0;
        for (final double weight : weights) {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("an operation's weight must be 0 or more, not " + weight);
            }
            total += weight;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("the operation weights add up to 0");
        }
        shares = new double[COUNT];
        cumulative = new double[COUNT];
        double sum = 0;
        for (int op = 0; op < COUNT; op++) {
            shares[op] = weights[op] / total;
            sum += shares[op];
            cumulative[op] = sum;
        }
        cumulative[lastWeighted()] = 1;
    }

    /**
     * Reads and writes only, as {@code --read-ratio} gives them.
     *
     * @param readRatio the share of reads, 0 .. 1.
     * @return the mix.
     */
    public static OpMix readRatio(final double readRatio) {
        final double[] weights = new double[COUNT];
        weights[GET] = readRatio;
        weights[SET] = 1 - readRatio;
        return new OpMix(weights);
    }

    /**
     * Parses {@code --mix}: {@code name=weight} pairs, weights in any unit (they are normalised).
     *
     * @param value e.g. {@code get=80,set=15,del=5}.
     * @return the mix.
     * @throws IllegalArgumentException naming the bad pair.
     */
    public static OpMix parse(final String value) {
        final double[] weights = new double[COUNT];
        for (final String part : value.split(",", -1)) {
            final int equals = part.indexOf('=');
            final int op = equals < 0 ? -1 : opOf(part.substring(0, equals).trim());
            if (op < 0) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not op=weight with op one of " +
                    String.join(", ", NAMES));
            }
            try {
                weights[op] += Double.parseDouble(part.substring(equals + 1).trim());
            } catch (final NumberFormatException ex) {
                throw new IllegalArgumentException("'" + part.trim() + "': the weight is not a number");
            }
        }
        return new OpMix(weights);
    }

    /**
     * A YCSB core workload's operations, where they map onto LoomCache's: A (update heavy: 50% reads, 50% updates),
     * B (read mostly: 95/5), C (read only), F (read-modify-write: 50% reads, 50% GETSET, the atomic read-and-write).
     * D (read latest: inserts and reads of the newest keys) and E (short range scans) have no counterpart.
     *
     * @param name a, b, c or f, any case.
     * @return the mix.
     * @throws IllegalArgumentException for another name, saying why.
     */
    public static OpMix ycsb(final String name) {
        final double[] weights = new double[COUNT];
        switch (name.toLowerCase(Locale.ROOT)) {
            case "a" -> {
                weights[GET] = 50;
                weights[SET] = 50;
            }
            case "b" -> {
                weights[GET] = 95;
                weights[SET] = 5;
            }
            case "c" -> weights[GET] = 100;
            case "f" -> {
                weights[GET] = 50;
                weights[GETSET] = 50;
            }
            case "d" -> throw new IllegalArgumentException("YCSB workload D reads the latest inserted keys: the " +
                "generator's key space is fixed (no insert-latest law), so it has no counterpart");
            case "e" -> throw new IllegalArgumentException("YCSB workload E scans short key ranges: LoomCache keys " +
                "are hashed to slots, with no ordered range scan, so it has no counterpart");
            default -> throw new IllegalArgumentException("'" + name + "' is not a YCSB core workload (A to F)");
        }
        return new OpMix(weights);
    }

    private int lastWeighted() {
        int last = 0;
        for (int op = 0; op < COUNT; op++) {
            if (shares[op] > 0) {
                last = op;
            }
        }
        return last;
    }

    /**
     * Draws an operation.
     *
     * @param random the I/O thread's generator.
     * @return one of the operation constants.
     */
    public int next(final SplittableRandom random) {
        final double u = random.nextDouble();
        for (int op = 0; op < COUNT; op++) {
            if (u < cumulative[op] && shares[op] > 0) {
                return op;
            }
        }
        return lastWeighted();
    }

    /**
     * An operation's share.
     *
     * @param op an operation constant.
     * @return 0 .. 1.
     */
    public double share(final int op) {
        return shares[op];
    }

    /**
     * Whether a mix has an operation: a codec makes requests only for those.
     *
     * @param mix the mix, null for one with every operation.
     * @param op an operation constant.
     * @return true when the operation has a share, or the mix is null.
     */
    public static boolean includes(final OpMix mix, final int op) {
        return mix == null || mix.share(op) > 0;
    }

    /**
     * Whether the mix has only reads and writes without TTL (what {@code --read-ratio} gives).
     *
     * @return true for a plain GET/SET mix.
     */
    public boolean readsAndWritesOnly() {
        for (int op = DEL; op < COUNT; op++) {
            if (shares[op] > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The mix as text, e.g. {@code get=50%,getset=50%}.
     *
     * @return the operations with a share, in order.
     */
    public String describe() {
        final List<String> parts = new ArrayList<>();
        for (int op = 0; op < COUNT; op++) {
            if (shares[op] > 0) {
                final double percent = shares[op] * PERCENT;
                parts.add(NAMES[op] + "=" + (Math.abs(percent - Math.rint(percent)) < 1e-9 ?
                    Long.toString(Math.round(percent)) :
                    String.format(Locale.ROOT, "%.2f", percent)) + "%");
            }
        }
        return String.join(",", parts);
    }

    /**
     * An operation's name.
     *
     * @param op an operation constant.
     * @return get, set, del, setnx, setex, cas or getset.
     */
    public static String name(final int op) {
        return NAMES[op];
    }

    private static int opOf(final String name) {
        for (int op = 0; op < COUNT; op++) {
            if (NAMES[op].equals(name.toLowerCase(Locale.ROOT))) {
                return op;
            }
        }
        return -1;
    }
}
