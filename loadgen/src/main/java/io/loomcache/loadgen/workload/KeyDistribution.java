package io.loomcache.loadgen.workload;

import java.util.Locale;

/**
 * How the keys of a run are drawn from {@code 0 .. keys - 1}: the law and its parameters, as given on the command
 * line ({@code --key-dist}, {@code --zipf-exponent}, {@code --hot-keys}, {@code --hot-ops}). Each I/O thread makes its
 * own {@link KeyChooser} from it. Immutable.
 *
 * @param kind one of {@link #UNIFORM}, {@link #ZIPFIAN}, {@link #HOTSPOT}, {@link #SEQUENTIAL}.
 * @param zipfExponent the Zipf exponent s (probability of the key of rank k proportional to 1/k^s), more than 0.
 * @param hotKeys the fraction of the keys in the hot set, 0 .. 1 exclusive.
 * @param hotOps the fraction of the requests that go to the hot set, 0 .. 1.
 */
public record KeyDistribution(int kind, double zipfExponent, double hotKeys, double hotOps) {
    /** Every key equally likely. */
    public static final int UNIFORM = 0;
    /** Key k (from 0) drawn with probability proportional to 1/(k+1)^s: key 0 is the hottest. */
    public static final int ZIPFIAN = 1;
    /** {@code hotOps} of the requests on the first {@code hotKeys} of the keys, uniform within each set. */
    public static final int HOTSPOT = 2;
    /** Keys in order, each I/O thread from its own start, wrapping around. */
    public static final int SEQUENTIAL = 3;

    /** YCSB's Zipf constant: its workloads' default skew. */
    public static final double DEFAULT_ZIPF_EXPONENT = 0.99;
    /** YCSB's default hot set: a fifth of the keys. */
    public static final double DEFAULT_HOT_KEYS = 0.2;
    /** YCSB's default share of the requests on the hot set. */
    public static final double DEFAULT_HOT_OPS = 0.8;

    private static final String[] NAMES = {"uniform", "zipfian", "hotspot", "sequential"};

    /** Uniform keys, the default. */
    public static final KeyDistribution DEFAULT = new KeyDistribution(UNIFORM, DEFAULT_ZIPF_EXPONENT,
        DEFAULT_HOT_KEYS, DEFAULT_HOT_OPS);

    /**
     * Checks the parameters.
     *
     * @throws IllegalArgumentException naming the parameter out of range.
     */
    public KeyDistribution {
        if (kind < UNIFORM || kind > SEQUENTIAL) {
            throw new IllegalArgumentException("unknown key distribution " + kind);
        }
        if (!(zipfExponent > 0) || zipfExponent > 100) {
            throw new IllegalArgumentException("the Zipf exponent must be in (0, 100], not " + zipfExponent);
        }
        if (!(hotKeys > 0 && hotKeys < 1)) {
            throw new IllegalArgumentException("the hot key fraction must be in (0, 1), not " + hotKeys);
        }
        if (!(hotOps >= 0 && hotOps <= 1)) {
            throw new IllegalArgumentException("the hot request fraction must be in [0, 1], not " + hotOps);
        }
    }

    /**
     * Finds a distribution's kind by name.
     *
     * @param name uniform, zipfian, hotspot or sequential, any case.
     * @return the kind, or -1 when unknown.
     */
    public static int kindOf(final String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Describes the distribution for reports, e.g. {@code zipfian(s=0.99)} or {@code hotspot(80% on 20%)}.
     *
     * @return the text.
     */
    public String describe() {
        return switch (kind) {
            case ZIPFIAN -> String.format(Locale.ROOT, "zipfian(s=%s)", zipfExponent);
            case HOTSPOT -> String.format(Locale.ROOT, "hotspot(%s%% of requests on %s%% of keys)",
                percent(hotOps), percent(hotKeys));
            default -> NAMES[kind];
        };
    }

    /**
     * The distribution's name.
     *
     * @return uniform, zipfian, hotspot or sequential.
     */
    public String name() {
        return NAMES[kind];
    }

    private static String percent(final double fraction) {
        final double value = fraction * 100;
        return Math.abs(value - Math.rint(value)) < 1e-9 ? Long.toString(Math.round(value)) :
            String.format(Locale.ROOT, "%.4g", value);
    }
}
