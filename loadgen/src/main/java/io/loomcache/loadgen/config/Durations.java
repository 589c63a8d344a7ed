package io.loomcache.loadgen.config;

import java.math.BigDecimal;

/**
 * Parses and prints durations as written on the command line: a number with a unit, {@code 500ms}, {@code 15s},
 * {@code 2m}, {@code 1h}, {@code 250us}, {@code 100ns}, decimals allowed ({@code 1.5s}); {@code 0} needs no unit.
 * Stateless and thread-safe.
 */
public final class Durations {
    private static final String[] UNITS = {"ns", "us", "ms", "s", "m", "h"};
    private static final long[] NANOS = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L,
        3_600_000_000_000L};

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @param text the text, e.g. {@code 15s}.
     * @return nanoseconds, &gt;= 0.
     * @throws IllegalArgumentException with a one-line reason when the text is not a duration.
     */
    public static long parseNs(final String text) {
        final String trimmed = text.trim();
        if ("0".equals(trimmed)) {
            return 0;
        }
        int unitStart = trimmed.length();
        while (unitStart > 0 && Character.isLetter(trimmed.charAt(unitStart - 1))) {
            unitStart--;
        }
        final String unit = trimmed.substring(unitStart);
        final String number = trimmed.substring(0, unitStart);
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return toNanos(text, number, NANOS[i]);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration (use a unit: 500ms, 15s, 2m, 1h)");
    }

    private static long toNanos(final String text, final String number, final long unitNanos) {
        final BigDecimal value;
        try {
            value = new BigDecimal(number);
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use e.g. 500ms, 15s, 2m)", ex);
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException("'" + text + "' is negative");
        }
        final BigDecimal nanos = value.multiply(BigDecimal.valueOf(unitNanos));
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long");
        }
        return nanos.longValue();
    }

    /**
     * Prints a duration in the largest unit that keeps it exact, e.g. {@code 15s}, {@code 500ms}, {@code 2m}.
     *
     * @param nanos the duration in ns, &gt;= 0.
     * @return the text, parsed back by {@link #parseNs(String)} to the same value.
     */
    public static String format(final long nanos) {
        if (nanos == 0) {
            return "0";
        }
        for (int i = UNITS.length - 1; i > 0; i--) {
            if (nanos % NANOS[i] == 0) {
                return nanos / NANOS[i] + UNITS[i];
            }
        }
        return nanos + UNITS[0];
    }
}
