package io.loomcache.loadgen.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import io.loomcache.protocol.options.Units;

/**
 * The length of each written value ({@code --value-size}): fixed ({@code 100}, {@code 4k}), uniform in a range
 * ({@code 100-4k}, both ends included), or drawn from a weighted list ({@code 100:60,1k:30,16k:10}: sizes and
 * weights). Drawn per request, like memtier's {@code --data-size-range} and {@code --data-size-list}. Immutable and
 * allocation-free to draw from, so one instance serves every I/O thread.
 */
public final class ValueSizes {
    private final int[] sizes;
    private final double[] cumulative;
    private final boolean range;
    private final String text;

    private ValueSizes(final int[] sizes, final double[] cumulative, final boolean range, final String text) {
        this.sizes = sizes;
        this.cumulative = cumulative;
        this.range = range;
        this.text = text;
    }

    /**
     * Every value the same length.
     *
     * @param size bytes.
     * @return the sizes.
     */
    public static ValueSizes fixed(final int size) {
        return new ValueSizes(new int[] {size}, new double[] {1}, false, Integer.toString(size));
    }

    /**
     * Parses {@code --value-size}.
     *
     * @param value a size, a range {@code MIN-MAX}, or a list {@code SIZE:WEIGHT,...}; sizes in Units' grammar.
     * @param maxSize the largest size allowed.
     * @return the sizes.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static ValueSizes parse(final String value, final int maxSize) {
        final String trimmed = value.trim();
        if (trimmed.contains(":")) {
            final List<Integer> entries = new ArrayList<>();
            double total = 0;
            final List<Double> weights = new ArrayList<>();
            for (final String part : trimmed.split(",", -1)) {
                final int colon = part.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("'" + part.trim() + "' is not SIZE:WEIGHT");
                }
                final int size = size(part.substring(0, colon), maxSize);
                final double weight;
                try {
                    weight = Double.parseDouble(part.substring(colon + 1).trim());
                } catch (final NumberFormatException ex) {
                    throw new IllegalArgumentException("'" + part.trim() + "': the weight is not a number");
                }
                if (!(weight > 0) || Double.isInfinite(weight)) {
                    throw new IllegalArgumentException("'" + part.trim() + "': the weight must be more than 0");
                }
                entries.add(size);
                weights.add(weight);
                total += weight;
            }
            final int[] sizes = new int[entries.size()];
            final double[] cumulative = new double[entries.size()];
            double sum = 0;
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = entries.get(i);
                sum += weights.get(i) / total;
                cumulative[i] = sum;
            }
            cumulative[cumulative.length - 1] = 1;
            return new ValueSizes(sizes, cumulative, false, trimmed);
        }
        final int dash = trimmed.indexOf('-', 1);
        if (dash > 0) {
            final int min = size(trimmed.substring(0, dash), maxSize);
            final int max = size(trimmed.substring(dash + 1), maxSize);
            if (min > max) {
                throw new IllegalArgumentException("the range " + trimmed + " ends below its start");
            }
            return new ValueSizes(new int[] {min, max}, new double[] {1}, true, trimmed);
        }
        final int size = size(trimmed, maxSize);
        return new ValueSizes(new int[] {size}, new double[] {1}, false, trimmed);
    }

    private static int size(final String text, final int maxSize) {
        final long size = Units.sizeBytes(text.trim());
        if (size < 0 || size > maxSize) {
            throw new IllegalArgumentException("a value size must be in 0.." + maxSize + " bytes, not " + text.trim());
        }
        return (int)size;
    }

    /**
     * Draws the length of one value.
     *
     * @param random the I/O thread's generator.
     * @return bytes.
     */
    public int next(final SplittableRandom random) {
        if (range) {
            return sizes[0] + random.nextInt(sizes[1] - sizes[0] + 1);
        }
        if (sizes.length == 1) {
            return sizes[0];
        }
        final double u = random.nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return sizes[i];
            }
        }
        return sizes[sizes.length - 1];
    }

    /**
     * The longest value: request buffers and templates are sized for it.
     *
     * @return bytes.
     */
    public int max() {
        int max = 0;
        for (final int size : sizes) {
            max = Math.max(max, size);
        }
        return max;
    }

    /**
     * Whether every value has the same length.
     *
     * @return true for a fixed size.
     */
    public boolean isFixed() {
        return !range && sizes.length == 1;
    }

    /**
     * The sizes as given, e.g. {@code 100}, {@code 100-4k}, {@code 100:60,1k:40}.
     *
     * @return the text.
     */
    public String describe() {
        return text;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ValueSizes[%s]", text);
    }
}
