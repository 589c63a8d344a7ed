package io.loomcache.loadgen.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal strict JSON parser for tests (objects, arrays, strings with escapes, numbers, true/false/null): enough
 * to prove the load generator's JSON output is valid JSON. Objects become LinkedHashMaps, numbers Doubles.
 */
public final class MiniJson {
    private final String text;
    private int index;

    private MiniJson(final String text) {
        this.text = text;
    }

    public static Object parse(final String text) {
        final MiniJson parser = new MiniJson(text);
        final Object value = parser.value();
        parser.skipSpace();
        if (parser.index != text.length()) {
            throw parser.error("trailing characters");
        }
        return value;
    }

    private Object value() {
        skipSpace();
        if (index >= text.length()) {
            throw error("unexpected end");
        }
        final char c = text.charAt(index);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        final Map<String, Object> map = new LinkedHashMap<>();
        index++;
        skipSpace();
        if (peek() == '}') {
            index++;
            return map;
        }
        while (true) {
            skipSpace();
            final String key = string();
            skipSpace();
            expect(':');
            if (map.put(key, value()) != null) {
                throw error("duplicate key " + key);
            }
            skipSpace();
            if (peek() == ',') {
                index++;
            } else {
                expect('}');
                return map;
            }
        }
    }

    private List<Object> array() {
        final List<Object> list = new ArrayList<>();
        index++;
        skipSpace();
        if (peek() == ']') {
            index++;
            return list;
        }
        while (true) {
            list.add(value());
            skipSpace();
            if (peek() == ',') {
                index++;
            } else {
                expect(']');
                return list;
            }
        }
    }

    private String string() {
        expect('"');
        final StringBuilder out = new StringBuilder();
        while (true) {
            final char c = text.charAt(index++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            final char escaped = text.charAt(index++);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char)Integer.parseInt(text.substring(index, index + 4), 16));
                    index += 4;
                }
                default -> throw error("bad escape");
            }
        }
    }

    private Double number() {
        final int start = index;
        if (peek() == '-') {
            index++;
        }
        while (index < text.length() && "0123456789.eE+-".indexOf(text.charAt(index)) >= 0) {
            index++;
        }
        final String number = text.substring(start, index);
        if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            throw error("bad number '" + number + "'");
        }
        return Double.valueOf(number);
    }

    private Object literal(final String word, final Object value) {
        if (!text.startsWith(word, index)) {
            throw error("bad literal");
        }
        index += word.length();
        return value;
    }

    private void expect(final char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        index++;
    }

    private char peek() {
        return index < text.length() ? text.charAt(index) : '\0';
    }

    private void skipSpace() {
        while (index < text.length() && Character.isWhitespace(text.charAt(index))) {
            index++;
        }
    }

    private IllegalArgumentException error(final String message) {
        return new IllegalArgumentException(message + " at " + index);
    }
}
