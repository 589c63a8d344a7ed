package io.loomcache.loadgen.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small JSON reader for the generator's own reports ({@code --json}), read back by {@code loadgen-compare} and the
 * plot page: objects become {@link Map}s (in document order), arrays {@link List}s, numbers {@link Double}s,
 * strings, booleans and null as themselves. Strict (RFC 8259's grammar: no {@code +1}, {@code 01}, {@code 1.} or
 * raw control characters in strings), so the tests use it to prove the reports are JSON: what is not is an
 * {@link IllegalArgumentException} naming the offset. Not for untrusted input of unbounded size (recursive, whole
 * document in memory).
 */
public final class Json {
    private static final int MAX_DEPTH = 64;
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final String text;
    private int position;

    private Json(final String text) {
        this.text = text;
    }

    /**
     * Parses one JSON document.
     *
     * @param text the document.
     * @return its value.
     * @throws IllegalArgumentException when it is not JSON.
     */
    public static Object parse(final String text) {
        final Json json = new Json(text);
        final Object value = json.value(0);
        json.blanks();
        if (json.position != text.length()) {
            throw json.error("text after the document");
        }
        return value;
    }

    private Object value(final int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        blanks();
        if (position >= text.length()) {
            throw error("unexpected end");
        }
        final char c = text.charAt(position);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object(final int depth) {
        final Map<String, Object> object = new LinkedHashMap<>();
        position++;
        blanks();
        if (peek() == '}') {
            position++;
            return object;
        }
        while (true) {
            blanks();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            final String name = string();
            blanks();
            expect(':');
            object.put(name, value(depth + 1));
            blanks();
            if (peek() == ',') {
                position++;
            } else {
                expect('}');
                return object;
            }
        }
    }

    private List<Object> array(final int depth) {
        final List<Object> array = new ArrayList<>();
        position++;
        blanks();
        if (peek() == ']') {
            position++;
            return array;
        }
        while (true) {
            array.add(value(depth + 1));
            blanks();
            if (peek() == ',') {
                position++;
            } else {
                expect(']');
                return array;
            }
        }
    }

    private String string() {
        position++;
        final StringBuilder out = new StringBuilder();
        while (position < text.length()) {
            final char c = text.charAt(position++);
            if (c == '"') {
                return out.toString();
            }
            if (c < ' ') {
                position--;
                throw error("raw control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (position >= text.length()) {
                break;
            }
            final char escaped = text.charAt(position++);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (position + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        out.append((char)Integer.parseInt(text.substring(position, position + 4), 16));
                    } catch (final NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    position += 4;
                }
                default -> throw error("bad escape \\" + escaped);
            }
        }
        throw error("unterminated string");
    }

    private Object word(final String word, final Object value) {
        if (!text.startsWith(word, position)) {
            throw error("unexpected character");
        }
        position += word.length();
        return value;
    }

    private Double number() {
        final int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        final String number = text.substring(start, position);
        if (!NUMBER.matcher(number).matches()) {
            position = start;
            throw error(number.isEmpty() ? "unexpected character" : "not a JSON number: " + number);
        }
        return Double.valueOf(number);
    }

    private void blanks() {
        while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
    }

    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private void expect(final char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        position++;
    }

    private IllegalArgumentException error(final String what) {
        return new IllegalArgumentException("not JSON at offset " + position + ": " + what);
    }
}
