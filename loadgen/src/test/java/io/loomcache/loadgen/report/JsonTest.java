package io.loomcache.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reports' JSON reader: every JSON form it meets, and strictness, since tests use it to prove reports valid. */
class JsonTest {
    @Test
    void shouldReadObjectsArraysStringsNumbersAndLiterals() {
        final Object value = Json.parse(" {\"a\": [1, -2.5e3, 0, 0.25], \"b\": \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\", "
            + "\"c\": true, \"d\": false, \"e\": null, \"f\": {}, \"g\": []} ");
        final Map<?, ?> object = (Map<?, ?>)value;
        assertEquals(List.of(1.0, -2500.0, 0.0, 0.25), object.get("a"));
        assertEquals("x\"\\/\b\f\n\r\t\u00e9", object.get("b"));
        assertEquals(true, object.get("c"));
        assertEquals(false, object.get("d"));
        assertNull(object.get("e"));
        assertEquals(Map.of(), object.get("f"));
        assertEquals(List.of(), object.get("g"));
        assertEquals(List.of("a", "b", "c"), List.copyOf(object.keySet()).subList(0, 3), "document order");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1", "01", "1.", ".5", "1e", "-", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "[1] 2", "\"a",
        "\"\u0001\"", "\"\\x\"", "tru", "nul", "{1: 2}", ""})
    void shouldRefuseWhatIsNotJson(final String text) {
        assertThrows(IllegalArgumentException.class, () -> Json.parse(text), text);
    }
}
