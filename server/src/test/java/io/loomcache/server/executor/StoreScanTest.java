package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.loomcache.protocol.resp.RespGlob;

/** The glob of SCAN and KEYS: Redis's {@code stringmatchlen} rules, in linear time. */
class StoreScanTest {
    private static boolean matches(final String pattern, final String text) {
        final byte[] p = pattern.getBytes(StandardCharsets.UTF_8);
        final byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return RespGlob.matches(new UnsafeBuffer(p), 0, p.length, new UnsafeBuffer(t), 0, t.length);
    }

    /** The examples of Redis's KEYS documentation, and the edge cases of its glob. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "h?llo|hello|true", "h?llo|hallo|true", "h?llo|hllo|false", "h*llo|hllo|true", "h*llo|heeeello|true",
        "h[ae]llo|hello|true", "h[ae]llo|hallo|true", "h[ae]llo|hillo|false", "h[^e]llo|hallo|true",
        "h[^e]llo|hello|false", "h[a-b]llo|hallo|true", "h[a-b]llo|hbllo|true", "h[a-b]llo|hcllo|false",
        "h[b-a]llo|hallo|true", "*|anything|true", "*|''|true", "''|''|true", "''|a|false", "a*|a|true",
        "*a|ba|true", "*a|ab|false", "a\\*b|a*b|true", "a\\*b|axb|false", "user:*:name|user:42:name|true",
        "user:*:name|user:42:city|false", "[abc|b|true", "?|''|false", "**x|x|true", "a*b*c|aXbYc|true",
        "a*b*c|aXbY|false", "h[\\]]llo|h]llo|true"})
    void shouldMatchAsRedisDoes(final String pattern, final String text, final boolean expected) {
        assertEquals(expected, matches(pattern.equals("''") ? "" : pattern, text.equals("''") ? "" : text),
            pattern + " ~ " + text);
    }

    @Test
    void shouldRefuseAPathologicalPatternInLinearTime() {
        // a backtracking matcher takes exponential time on this (Redis CVE-2022-36021); this one is quadratic at most
        final String text = "a".repeat(10_000);
        assertFalse(matches("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", text));
    }
}
