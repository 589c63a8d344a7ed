package io.loomcache.client.cli;

/**
 * Parses durations written as a whole number and a unit: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}.
 */
final class Durations {
    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @param text the text, e.g. "10s".
     * @return milliseconds, &gt;= 0.
     * @throws UsageException when the text has no unit, an unknown unit, no digits, or overflows.
     */
    static long parseMs(final String text) {
        int digits = 0;
        while (digits < text.length() && Character.isDigit(text.charAt(digits))) {
            digits++;
        }
        final String unit = text.substring(digits);
        final long unitMs = switch (unit) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> -1L;
        };
        if (digits == 0 || digits > 18 || unitMs < 0) {
            throw new UsageException("invalid duration '" + text + "': use a whole number and a unit: 500ms, 10s, " +
                "2m, 1h");
        }
        final long amount = Long.parseLong(text, 0, digits, 10);
        try {
            return Math.multiplyExact(amount, unitMs);
        } catch (final ArithmeticException ex) {
            throw new UsageException("duration '" + text + "' is too long");
        }
    }
}
