package io.loomcache.protocol.resp;

import org.agrona.DirectBuffer;

/**
 * Redis's glob patterns ({@code *}, {@code ?}, {@code [a-z]}, {@code [^x]}, {@code \} escapes), as KEYS, SCAN MATCH,
 * PSUBSCRIBE and PUBSUB CHANNELS use them, matched in time linear in pattern x text, never exponential (Redis's
 * CVE-2022-36021 was a backtracking pattern). Allocation-free; stateless.
 */
public final class RespGlob {
    private RespGlob() {
    }

    /**
     * Redis's glob match, iteratively: on a mismatch the last {@code *} takes one more byte, so the time is at most
     * pattern length x text length.
     *
     * @param pattern the pattern's bytes.
     * @param patternOffset of the pattern.
     * @param patternLength of the pattern.
     * @param text the text's bytes.
     * @param textOffset of the text.
     * @param textLength of the text.
     * @return true when the text matches the whole pattern.
     */
    public static boolean matches(
        final DirectBuffer pattern, final int patternOffset, final int patternLength,
        final DirectBuffer text, final int textOffset, final int textLength) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = 0;
        while (t < textLength) {
            if (p < patternLength && pattern.getByte(patternOffset + p) == '*') {
                starP = p++;
                starT = t;
                continue;
            }
            if (p < patternLength) {
                final int width = matchOne(pattern, patternOffset, patternLength, p, text.getByte(textOffset + t));
                if (width > 0) {
                    p += width;
                    t++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP + 1;
            t = ++starT;
        }
        while (p < patternLength && pattern.getByte(patternOffset + p) == '*') {
            p++;
        }
        return p == patternLength;
    }

    /** The pattern bytes one element at {@code p} spans when it matches {@code c}, or 0 when it does not. */
    private static int matchOne(
        final DirectBuffer pattern, final int offset, final int length, final int p, final byte c) {
        final byte head = pattern.getByte(offset + p);
        if (head == '?') {
            return 1;
        }
        if (head == '\\' && p + 1 < length) {
            return pattern.getByte(offset + p + 1) == c ? 2 : 0;
        }
        if (head != '[') {
            return head == c ? 1 : 0;
        }
        int i = p + 1;
        final boolean negate = i < length && pattern.getByte(offset + i) == '^';
        if (negate) {
            i++;
        }
        boolean match = false;
        while (i < length && pattern.getByte(offset + i) != ']') {
            final byte b = pattern.getByte(offset + i);
            if (b == '\\' && i + 1 < length) {
                match |= pattern.getByte(offset + i + 1) == c;
                i += 2;
            } else if (i + 2 < length && pattern.getByte(offset + i + 1) == '-' &&
                pattern.getByte(offset + i + 2) != ']') {
                int low = b & 0xFF;
                int high = pattern.getByte(offset + i + 2) & 0xFF;
                if (low > high) {
                    final int swap = low;
                    low = high;
                    high = swap;
                }
                match |= (c & 0xFF) >= low && (c & 0xFF) <= high;
                i += 3;
            } else {
                match |= b == c;
                i++;
            }
        }
        // an unclosed '[' runs to the end of the pattern, as in Redis
        final int end = i < length ? i + 1 : length;
        return match != negate ? end - p : 0;
    }
}
