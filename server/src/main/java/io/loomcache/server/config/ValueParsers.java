package io.loomcache.server.config;

import java.util.Locale;

import io.loomcache.protocol.options.Units;

/**
 * Parsers of setting text: each returns the typed value or throws {@link IllegalArgumentException} whose message
 * is the one-line reason shown to the operator. Configuration time only; thread-safe (stateless).
 */
public final class ValueParsers {
    private static final int MAX_PORT = 65_535;

    private ValueParsers() {
    }

    /**
     * Parses a TCP port.
     *
     * @param text the setting text.
     * @return 0 (ephemeral) to 65535.
     * @throws IllegalArgumentException when not a port number.
     */
    public static int port(final String text) {
        final long value = parseLongOrNull(text);
        if (value < 0 || value > MAX_PORT) {
            throw new IllegalArgumentException("not a port number (0-" + MAX_PORT + ")");
        }
        return (int)value;
    }

    /**
     * Parses an int inside a range.
     *
     * @param text the setting text.
     * @param min the smallest accepted value.
     * @param max the largest accepted value.
     * @return the value.
     * @throws IllegalArgumentException when not an integer in range.
     */
    public static int intInRange(final String text, final int min, final int max) {
        final long value = parseLongOrNull(text);
        if (value < min || value > max) {
            throw new IllegalArgumentException("not an integer in " + min + ".." + max);
        }
        return (int)value;
    }

    /**
     * Parses a boolean: true/false, yes/no, on/off, 1/0 (any case).
     *
     * @param text the setting text.
     * @return the value.
     * @throws IllegalArgumentException otherwise.
     */
    public static boolean bool(final String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean (true|false)");
        };
    }

    /**
     * Parses a byte size in the grammar of {@link Units#sizeBytes(String)}: {@code 512k}, {@code 64MiB}, {@code 1234}.
     *
     * @param text the setting text.
     * @param min the smallest accepted size in bytes.
     * @param max the largest accepted size in bytes.
     * @return bytes.
     * @throws IllegalArgumentException when not a size in range.
     */
    public static long bytes(final String text, final long min, final long max) {
        final long bytes = Units.sizeBytes(text);
        if (bytes < min || bytes > max) {
            throw new IllegalArgumentException("not a size in " + min + ".." + max + " bytes (e.g. 512k, 64m, 1g)");
        }
        return bytes;
    }

    /**
     * Parses a duration in the grammar of {@link Units#durationMs(String, boolean)}, where a bare number is
     * milliseconds as it always was in node settings: {@code 200ms}, {@code 10s}, {@code 1h}, {@code 50}.
     *
     * @param text the setting text.
     * @param minMs the smallest accepted duration in ms.
     * @param maxMs the largest accepted duration in ms.
     * @return milliseconds.
     * @throws IllegalArgumentException when not a duration in range.
     */
    public static long durationMs(final String text, final long minMs, final long maxMs) {
        final long ms = Units.durationMs(text, true);
        if (ms < minMs || ms > maxMs) {
            throw new IllegalArgumentException("not a duration in " + minMs + ".." + maxMs + " ms (e.g. 200ms, 10s)");
        }
        return ms;
    }

    /**
     * Parses a fraction.
     *
     * @param text the setting text.
     * @return a value in (0, 1].
     * @throws IllegalArgumentException otherwise.
     */
    public static double fraction(final String text) {
        final double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("not a fraction in (0, 1]", ex);
        }
        if (!(value > 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException("not a fraction in (0, 1]");
        }
        return value;
    }

    /**
     * Parses one of a fixed set of lower-case words.
     *
     * @param text the setting text.
     * @param choices the accepted words.
     * @return the matching word.
     * @throws IllegalArgumentException when none matches.
     */
    public static String choice(final String text, final String... choices) {
        final String word = text.trim().toLowerCase(Locale.ROOT);
        for (final String choice : choices) {
            if (choice.equals(word)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("not one of " + String.join("|", choices));
    }

    private static long parseLongOrNull(final String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (final NumberFormatException ex) {
            return Long.MIN_VALUE;
        }
    }
}
