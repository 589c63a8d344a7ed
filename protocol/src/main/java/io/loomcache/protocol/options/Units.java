package io.loomcache.protocol.options;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The one grammar of durations and sizes an operator types: node settings (flags, environment, config file), the
 * {@code loomcache} CLI and the load generator all parse through here, so a value one accepts the others accept.
 * <pre>
 * duration = number unit          unit = ns | us | ms | s | m | h
 * size     = number [unit]        unit = b | k | kb | kib | m | mb | mib | g | gb | gib   (binary: 1k = 1024)
 * number   = a decimal: 15, 1.5, +2, 1e3; digits may be grouped with _ (1_000)
 * </pre>
 * Case does not matter and blanks around the number and unit are ignored. A duration needs its unit, except
 * {@code 0}: {@code --ttl 60} read as 60 ms would silently expire what a user meant to keep a minute. Only node
 * settings read a bare number as milliseconds ({@link #durationMs(String, boolean)}), as they always have. A
 * size without a unit is bytes. Negative values, values past {@code Long.MAX_VALUE} and fractions of the result's
 * unit (a byte, a millisecond for {@link #durationMs}) are refused; a fraction of a nanosecond is dropped.
 *
 * <p>Why in {@code protocol}: it is the one module the server, the client and the load generator all depend on
 * (the load generator on nothing else), and it depends only on Agrona. A module of its own for three small
 * classes would add a pom and a dependency edge to each jar for no gain; the package keeps them apart from the
 * wire format. Stateless and thread-safe; configuration time only (allocates).
 */
public final class Units {
    private static final String[] DURATION_UNITS = {"ns", "us", "ms", "s", "m", "h"};
    private static final long[] DURATION_NANOS = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L,
        3_600_000_000_000L};
    private static final long NANOS_PER_MS = 1_000_000L;
    private static final String NOT_A_DURATION = " is not a duration (use a unit: 500ms, 15s, 2m, 1h)";
    private static final String NOT_A_SIZE = " is not a size (use e.g. 512, 64k, 2m, 1g)";

    private Units() {
    }

    /**
     * Parses a duration that needs a unit.
     *
     * @param text the text, e.g. {@code 15s} or {@code 1.5ms}.
     * @return nanoseconds, &gt;= 0.
     * @throws IllegalArgumentException with a one-line reason quoting the text when it is not a duration.
     */
    public static long durationNs(final String text) {
        return durationNs(text, 0);
    }

    /**
     * Parses a duration into whole milliseconds.
     *
     * @param text the text, e.g. {@code 200ms} or {@code 1h}.
     * @param bareNumberIsMs whether a number without a unit counts milliseconds (node settings) or is refused.
     * @return milliseconds, &gt;= 0.
     * @throws IllegalArgumentException with a one-line reason when it is not a duration or not whole milliseconds.
     */
    public static long durationMs(final String text, final boolean bareNumberIsMs) {
        final long nanos = durationNs(text, bareNumberIsMs ? NANOS_PER_MS : 0);
        if (nanos % NANOS_PER_MS != 0) {
            throw new IllegalArgumentException(quote(text) + " is not a whole number of milliseconds");
        }
        return nanos / NANOS_PER_MS;
    }

    /**
     * Parses a size.
     *
     * @param text the text, e.g. {@code 64k}, {@code 2MiB} or {@code 1234}.
     * @return bytes, &gt;= 0.
     * @throws IllegalArgumentException with a one-line reason quoting the text when it is not a whole size.
     */
    public static long sizeBytes(final String text) {
        final String lower = text.trim().toLowerCase(Locale.ROOT);
        final int unitStart = unitStart(lower);
        final long unitBytes = switch (lower.substring(unitStart)) {
            case "", "b" -> 1L;
            case "k", "kb", "kib" -> 1L << 10;
            case "m", "mb", "mib" -> 1L << 20;
            case "g", "gb", "gib" -> 1L << 30;
            default -> throw new IllegalArgumentException(quote(text) + NOT_A_SIZE);
        };
        final BigDecimal bytes = amount(text, lower.substring(0, unitStart), unitBytes, NOT_A_SIZE, " is too large");
        if (bytes.signum() != 0 && bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException(quote(text) + " is not a whole number of bytes");
        }
        return bytes.longValue();
    }

    /**
     * Prints a duration in the largest unit that keeps it exact, e.g. {@code 15s}, {@code 500ms}, {@code 2m}.
     *
     * @param nanos the duration in ns, &gt;= 0.
     * @return the text, parsed back by {@link #durationNs(String)} to the same value.
     */
    public static String formatDuration(final long nanos) {
        if (nanos == 0) {
            return "0";
        }
        for (int i = DURATION_UNITS.length - 1; i > 0; i--) {
            if (nanos % DURATION_NANOS[i] == 0) {
                return nanos / DURATION_NANOS[i] + DURATION_UNITS[i];
            }
        }
        return nanos + DURATION_UNITS[0];
    }

    private static long durationNs(final String text, final long bareUnitNs) {
        final String lower = text.trim().toLowerCase(Locale.ROOT);
        final int unitStart = unitStart(lower);
        final String number = lower.substring(0, unitStart);
        final String unit = lower.substring(unitStart);
        long unitNs = unit.isEmpty() ? bareUnitNs : 0;
        for (int i = 0; i < DURATION_UNITS.length; i++) {
            if (DURATION_UNITS[i].equals(unit)) {
                unitNs = DURATION_NANOS[i];
            }
        }
        if (unitNs == 0) {
            if (unit.isEmpty() && amount(text, number, 1, NOT_A_DURATION, "").signum() == 0) {
                return 0;
            }
            throw new IllegalArgumentException(quote(text) + NOT_A_DURATION);
        }
        return amount(text, number, unitNs, NOT_A_DURATION, " is too long").longValue();
    }

    private static int unitStart(final String lower) {
        int unitStart = lower.length();
        while (unitStart > 0 && Character.isLetter(lower.charAt(unitStart - 1))) {
            unitStart--;
        }
        return unitStart;
    }

    private static BigDecimal amount(
        final String text, final String number, final long unit, final String notA, final String tooLarge) {
        final BigDecimal value;
        try {
            value = new BigDecimal(number.trim().replace("_", ""));
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException(quote(text) + notA, ex);
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException(quote(text) + " is negative");
        }
        final BigDecimal scaled = value.multiply(BigDecimal.valueOf(unit));
        if (scaled.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(quote(text) + tooLarge);
        }
        return scaled;
    }

    private static String quote(final String text) {
        return "'" + text + "'";
    }
}
