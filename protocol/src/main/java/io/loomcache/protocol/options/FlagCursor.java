package io.loomcache.protocol.options;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Walks the words of a command line, one flag syntax for the node, the CLI and the load generator: a flag is
 * {@code --name value} or {@code --name=value}, a switch is a bare {@code --name}, {@code -h} is a switch too;
 * any other word (one leading dash included, such as {@code -5}) is an argument, and so is every word after
 * {@code --}. Allocates only substrings; one cursor per parse, not thread-safe.
 */
public final class FlagCursor {
    private final List<String> words;
    private int next;
    private boolean flagsEnded;
    private String word;
    private String name;
    private String inlineValue;

    /**
     * Creates a cursor before the first word.
     *
     * @param words the words of the command line.
     */
    public FlagCursor(final List<String> words) {
        this.words = words;
    }

    /**
     * Moves to the next flag or argument.
     *
     * @return false when no word is left.
     */
    public boolean advance() {
        while (next < words.size()) {
            word = words.get(next++);
            if (!flagsEnded && "--".equals(word)) {
                flagsEnded = true;
                continue;
            }
            final boolean flag = !flagsEnded && (word.startsWith("--") || "-h".equals(word));
            final int equals = flag ? word.indexOf('=') : -1;
            name = flag ? (equals < 0 ? word : word.substring(0, equals)) : null;
            inlineValue = equals < 0 ? null : word.substring(equals + 1);
            return true;
        }
        return false;
    }

    /**
     * Tells whether the current word is a flag or a switch.
     *
     * @return false for an argument.
     */
    public boolean isFlag() {
        return name != null;
    }

    /**
     * The current word as written.
     *
     * @return the argument, or the whole flag word.
     */
    public String word() {
        return word;
    }

    /**
     * The current flag's name, without any {@code =value}.
     *
     * @return e.g. {@code --port}, or null for an argument.
     */
    public String name() {
        return name;
    }

    /**
     * Takes the current flag's value: the text after {@code =}, else the next word.
     *
     * @return the value, possibly empty.
     * @throws UsageException when the flag is the last word.
     */
    public String value() {
        if (inlineValue != null) {
            return inlineValue;
        }
        if (next >= words.size()) {
            throw new UsageException(name + " needs a value");
        }
        return words.get(next++);
    }

    /**
     * Takes the current flag's value and parses it, e.g. with {@link Units#durationNs(String)}.
     *
     * @param parser the parser, throwing {@link IllegalArgumentException} with a one-line reason.
     * @return the parsed value.
     * @throws UsageException naming the flag when the value is missing or the parser refuses it.
     */
    public long value(final ToLongFunction<String> parser) {
        final String value = value();
        try {
            return parser.applyAsLong(value);
        } catch (final IllegalArgumentException ex) {
            throw new UsageException("invalid " + name + " " + ex.getMessage());
        }
    }

    /**
     * Checks that the current switch was written without {@code =value}.
     *
     * @return true, the value of a switch that is present.
     * @throws UsageException when it was written with a value.
     */
    public boolean requireNoValue() {
        if (inlineValue != null) {
            throw new UsageException(name + " takes no value");
        }
        return true;
    }
}
