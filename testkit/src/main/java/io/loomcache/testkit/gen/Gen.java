package io.loomcache.testkit.gen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A seeded source of test values: the same seed and size limit draw the same values. Numbers are biased toward the
 * boundaries of their range (min, max, 0, 1, -1 and their neighbours), lengths toward their min and max, byte arrays
 * toward uniform fills with boundary bytes, as jqwik's edge cases are; one draw in {@link #EDGE_ONE_IN} is an edge,
 * and one in {@link #SMALL_ONE_IN} lies at a log-uniform distance from the value nearest 0.
 *
 * <p>The size limit caps every length and list size drawn (never below the minimum asked for); {@link Property}
 * lowers it to shrink a failing case. One instance per try, on one thread.
 */
public final class Gen {
    /** One draw in this many is an edge value. */
    public static final int EDGE_ONE_IN = 8;

    /** One draw in this many is near the range's value closest to 0, at a log-uniform distance, as jqwik biases. */
    public static final int SMALL_ONE_IN = 4;

    private static final byte[] EDGE_BYTES = {0, 1, -1, Byte.MAX_VALUE, Byte.MIN_VALUE};

    private final SplittableRandom random;
    private final long seed;
    private final int sizeLimit;
    private int largestLength;

    /**
     * Creates a source with no size limit.
     *
     * @param seed the seed every value derives from.
     */
    public Gen(final long seed) {
        this(seed, Integer.MAX_VALUE);
    }

    /**
     * Creates a source whose lengths are capped.
     *
     * @param seed      the seed every value derives from.
     * @param sizeLimit the largest length or list size to draw, unless a minimum asks for more.
     */
    public Gen(final long seed, final int sizeLimit) {
        this.random = new SplittableRandom(seed);
        this.seed = seed;
        this.sizeLimit = sizeLimit;
    }

    /**
     * The seed.
     *
     * @return the seed this source was made from.
     */
    public long seed() {
        return seed;
    }

    /**
     * The largest length or list size drawn so far, which bounds what shrinking tries.
     *
     * @return the largest length drawn, 0 if none.
     */
    public int largestLength() {
        return largestLength;
    }

    /**
     * The underlying generator, for uniform draws without edge bias.
     *
     * @return the random source.
     */
    public SplittableRandom random() {
        return random;
    }

    /**
     * An int in {@code [min, max]}, edge-biased.
     *
     * @param min the smallest value.
     * @param max the largest value, at least {@code min}.
     * @return the value.
     */
    public int ints(final int min, final int max) {
        return (int)longs(min, max);
    }

    /**
     * Any int, edge-biased.
     *
     * @return the value.
     */
    public int anyInt() {
        return ints(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /**
     * A long in {@code [min, max]}, edge-biased.
     *
     * @param min the smallest value.
     * @param max the largest value, at least {@code min}.
     * @return the value.
     */
    public long longs(final long min, final long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        if (random.nextInt(EDGE_ONE_IN) == 0) {
            final long[] edges = {min, max, 0, 1, -1, min + 1, max - 1};
            final long edge = edges[random.nextInt(edges.length)];
            if (edge >= min && edge <= max) {
                return edge;
            }
        }
        if (random.nextInt(SMALL_ONE_IN) == 0) {
            final long magnitude = random.nextLong(1L << random.nextInt(Long.SIZE - 1));
            final long target = Math.max(min, Math.min(max, 0));
            final boolean down = target == max || target != min && random.nextBoolean();
            final long value = down ? target - magnitude : target + magnitude;
            if (down ? value <= target && value >= min : value >= target && value <= max) {
                return value;
            }
        }
        if (max < Long.MAX_VALUE) {
            return random.nextLong(min, max + 1);
        }
        return min == Long.MIN_VALUE ? random.nextLong() : random.nextLong(min - 1, max) + 1;
    }

    /**
     * Any long, edge-biased.
     *
     * @return the value.
     */
    public long anyLong() {
        return longs(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * A fair coin.
     *
     * @return true or false.
     */
    public boolean bool() {
        return random.nextBoolean();
    }

    /**
     * A length or count in {@code [min, max]}, biased toward min, min + 1 and max, capped by the size limit.
     *
     * @param min the smallest length.
     * @param max the largest length.
     * @return the length.
     */
    public int length(final int min, final int max) {
        final int drawn = ints(min, max);
        final int length = Math.max(min, Math.min(drawn, sizeLimit));
        largestLength = Math.max(largestLength, length);
        return length;
    }

    /**
     * The full size {@code max} unless shrinking lowers it: for a sequence whose length should not be left to chance.
     *
     * @param max the size when not shrinking.
     * @return {@code max} capped by the size limit.
     */
    public int size(final int max) {
        final int size = Math.min(max, sizeLimit);
        largestLength = Math.max(largestLength, size);
        return size;
    }

    /**
     * Bytes of a length in {@code [0, maxLength]}.
     *
     * @param maxLength the longest array.
     * @return a new array.
     */
    public byte[] bytes(final int maxLength) {
        return bytes(0, maxLength);
    }

    /**
     * Bytes of a length in {@code [minLength, maxLength]}; one array in {@link #EDGE_ONE_IN} is one boundary byte
     * repeated.
     *
     * @param minLength the shortest array.
     * @param maxLength the longest array.
     * @return a new array.
     */
    public byte[] bytes(final int minLength, final int maxLength) {
        final byte[] bytes = new byte[length(minLength, maxLength)];
        if (random.nextInt(EDGE_ONE_IN) == 0) {
            Arrays.fill(bytes, EDGE_BYTES[random.nextInt(EDGE_BYTES.length)]);
        } else {
            random.nextBytes(bytes);
        }
        return bytes;
    }

    /**
     * One of the values, uniformly.
     *
     * @param values the choices, at least one.
     * @return one of them.
     */
    public int choice(final int... values) {
        return values[random.nextInt(values.length)];
    }

    /**
     * One of the values, uniformly.
     *
     * @param values the choices, at least one.
     * @param <T>    the element type.
     * @return one of them.
     */
    public <T> T choice(final List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /**
     * An index chosen with the given weights, as jqwik's {@code frequencyOf}.
     *
     * @param weights a non-negative weight per index, at least one positive.
     * @return an index into {@code weights}.
     */
    public int weighted(final int... weights) {
        int total = 0;
        for (final int weight : weights) {
            total += weight;
        }
        int pick = random.nextInt(total);
        int index = 0;
        while (pick >= weights[index]) {
            pick -= weights[index];
            index++;
        }
        return index;
    }

    /**
     * A list of a size in {@code [minSize, maxSize]} (edge-biased and capped as {@link #length} is).
     *
     * @param minSize the smallest size.
     * @param maxSize the largest size.
     * @param element draws one element from this source.
     * @param <T>     the element type.
     * @return a new list.
     */
    public <T> List<T> list(final int minSize, final int maxSize, final Function<Gen, T> element) {
        final int size = length(minSize, maxSize);
        final List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(this));
        }
        return list;
    }
}
