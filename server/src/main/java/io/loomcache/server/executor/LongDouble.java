package io.loomcache.server.executor;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;

/**
 * Redis's INCRBYFLOAT arithmetic, reproduced exactly on the JVM: Redis reads numbers with {@code strtold} into the
 * x87 80-bit long double (a 64-bit significand), adds them in that precision, and writes the sum with
 * {@code "%.17Lf"} with trailing zeros and a trailing dot removed. Here every number is held exactly as a
 * {@link BigDecimal} and rounded to the nearest value with a 64-bit significand (ties to even) after parsing and after
 * the addition, which is what the hardware does; the sum is then printed from its exact value with 17 decimals,
 * rounded half-even as glibc's printf does. Text accepted is what Redis's {@code string2ld} accepts in decimal: an
 * optional sign, digits with an optional point, an optional exponent, or "inf"/"infinity"; no blanks, no NaN, no
 * value so large or so small that {@code strtold} overflows or underflows; hexadecimal floats are not accepted (Redis
 * would). Allocates (BigDecimal): INCRBYFLOAT is a rare command, not the hot path.
 */
final class LongDouble {
    /** Redis's MAX_LONG_DOUBLE_CHARS: longer text is not a number. */
    static final int MAX_TEXT_LENGTH = 5 * 1024;
    /** The infinite values, which Redis reads but refuses to store. */
    static final BigDecimal INFINITE = null;

    private static final int SIGNIFICAND_BITS = 64;
    /** Above 2^16384 an 80-bit long double is infinite. */
    private static final int MAX_BINARY_EXPONENT = 16_384;
    /** Below 2^-16445 (the smallest subnormal) strtold underflows to zero. */
    private static final int MIN_BINARY_EXPONENT = -16_445;
    /** Beyond this decimal exponent the value surely overflows or underflows; spares BigDecimal huge scales. */
    private static final int MAX_DECIMAL_EXPONENT = 10_000;
    private static final int PRINTED_DECIMALS = 17;

    private LongDouble() {
    }

    /** The outcome of a parse. */
    enum Kind {
        /** Not a number Redis reads. */
        INVALID,
        /** A finite number: {@link Parsed#value()} holds it, rounded to long double. */
        FINITE,
        /** Positive or negative infinity. */
        INFINITE
    }

    /**
     * A parsed number.
     *
     * @param kind what was read.
     * @param value the finite value, rounded to long double; null otherwise.
     */
    record Parsed(Kind kind, BigDecimal value) {
    }

    /**
     * Reads text as Redis's {@code string2ld} reads a decimal long double.
     *
     * @param buffer the text's buffer.
     * @param offset of the text.
     * @param length of the text.
     * @return what was read.
     */
    static Parsed parse(final DirectBuffer buffer, final int offset, final int length) {
        if (length <= 0 || length >= MAX_TEXT_LENGTH) {
            return new Parsed(Kind.INVALID, null);
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        final String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int i = 0;
        boolean negative = false;
        if (text.charAt(0) == '+' || text.charAt(0) == '-') {
            negative = text.charAt(0) == '-';
            i++;
        }
        final String rest = text.substring(i).toLowerCase(java.util.Locale.ROOT);
        if (rest.equals("inf") || rest.equals("infinity")) {
            return new Parsed(Kind.INFINITE, null);
        }
        int digits = 0;
        int j = i;
        while (j < text.length() && Character.isDigit(text.charAt(j))) {
            j++;
            digits++;
        }
        if (j < text.length() && text.charAt(j) == '.') {
            j++;
            while (j < text.length() && Character.isDigit(text.charAt(j))) {
                j++;
                digits++;
            }
        }
        if (digits == 0) {
            return new Parsed(Kind.INVALID, null);
        }
        final int mantissaEnd = j;
        long exponent = 0;
        if (j < text.length() && (text.charAt(j) == 'e' || text.charAt(j) == 'E')) {
            int k = j + 1;
            boolean exponentNegative = false;
            if (k < text.length() && (text.charAt(k) == '+' || text.charAt(k) == '-')) {
                exponentNegative = text.charAt(k) == '-';
                k++;
            }
            final int exponentStart = k;
            while (k < text.length() && Character.isDigit(text.charAt(k))) {
                if (exponent < MAX_DECIMAL_EXPONENT * 10L) {
                    exponent = exponent * 10 + (text.charAt(k) - '0');
                }
                k++;
            }
            if (k > exponentStart) {
                exponent = exponentNegative ? -exponent : exponent;
                j = k;
            }
        }
        if (j != text.length()) {
            return new Parsed(Kind.INVALID, null);
        }
        final BigDecimal mantissa = new BigDecimal(text.substring(i, mantissaEnd).equals(".") ? "0" :
            fixPoint(text.substring(i, mantissaEnd)));
        if (mantissa.signum() == 0) {
            return new Parsed(Kind.FINITE, BigDecimal.ZERO);
        }
        final long decimalExponent = exponent + mantissa.precision() - mantissa.scale();
        if (decimalExponent > MAX_DECIMAL_EXPONENT || decimalExponent < -MAX_DECIMAL_EXPONENT) {
            // strtold overflows to HUGE_VAL or underflows to zero with ERANGE: string2ld refuses both
            return new Parsed(Kind.INVALID, null);
        }
        final BigDecimal exact = mantissa.scaleByPowerOfTen((int)exponent);
        final BigDecimal rounded = round(negative ? exact.negate() : exact);
        return rounded == INFINITE || rounded.signum() == 0 ? new Parsed(Kind.INVALID, null) :
            new Parsed(Kind.FINITE, rounded);
    }

    /** "5." and ".5" as BigDecimal reads them. */
    private static String fixPoint(final String text) {
        if (text.endsWith(".")) {
            return text.substring(0, text.length() - 1);
        }
        return text.startsWith(".") ? "0" + text : text;
    }

    /**
     * Rounds an exact value to the nearest long double (64-bit significand, ties to even).
     *
     * @param exact the value.
     * @return the rounded value, or {@link #INFINITE} when it overflows.
     */
    static BigDecimal round(final BigDecimal exact) {
        if (exact.signum() == 0) {
            return BigDecimal.ZERO;
        }
        final BigInteger numerator;
        final BigInteger denominator;
        final BigDecimal magnitude = exact.abs();
        if (magnitude.scale() > 0) {
            numerator = magnitude.unscaledValue();
            denominator = BigInteger.TEN.pow(magnitude.scale());
        } else {
            numerator = magnitude.unscaledValue().multiply(BigInteger.TEN.pow(-magnitude.scale()));
            denominator = BigInteger.ONE;
        }
        // floor(log2(n / d))
        int log2 = numerator.bitLength() - denominator.bitLength();
        if (log2 >= 0 ? numerator.compareTo(denominator.shiftLeft(log2)) < 0 :
            numerator.shiftLeft(-log2).compareTo(denominator) < 0) {
            log2--;
        }
        if (log2 >= MAX_BINARY_EXPONENT) {
            return INFINITE;
        }
        // a significand of 64 bits, fewer for a subnormal
        final int exponent = Math.max(log2 - (SIGNIFICAND_BITS - 1), MIN_BINARY_EXPONENT);
        final BigInteger scaledNumerator = exponent >= 0 ? numerator : numerator.shiftLeft(-exponent);
        final BigInteger scaledDenominator = exponent >= 0 ? denominator.shiftLeft(exponent) : denominator;
        final BigInteger[] quotient = scaledNumerator.divideAndRemainder(scaledDenominator);
        BigInteger significand = quotient[0];
        final int half = quotient[1].shiftLeft(1).compareTo(scaledDenominator);
        if (half > 0 || half == 0 && significand.testBit(0)) {
            significand = significand.add(BigInteger.ONE);
        }
        int finalExponent = exponent;
        if (significand.bitLength() > SIGNIFICAND_BITS) {
            significand = significand.shiftRight(1);
            finalExponent++;
        }
        if (finalExponent + SIGNIFICAND_BITS - 1 >= MAX_BINARY_EXPONENT) {
            return INFINITE;
        }
        final BigDecimal value = finalExponent >= 0 ? new BigDecimal(significand.shiftLeft(finalExponent)) :
            new BigDecimal(significand.multiply(BigInteger.valueOf(5).pow(-finalExponent)), -finalExponent);
        return exact.signum() < 0 ? value.negate() : value;
    }

    /**
     * Writes a long double as Redis's {@code ld2string} does in its human mode: {@code "%.17Lf"}, then trailing zeros
     * and a trailing point removed, "-0" as "0".
     *
     * @param value a finite long double.
     * @return the text.
     */
    static String format(final BigDecimal value) {
        String text = value.setScale(PRINTED_DECIMALS, RoundingMode.HALF_EVEN).toPlainString();
        if (text.indexOf('.') >= 0) {
            int end = text.length();
            while (text.charAt(end - 1) == '0') {
                end--;
            }
            if (text.charAt(end - 1) == '.') {
                end--;
            }
            text = text.substring(0, end);
        }
        return text.equals("-0") ? "0" : text;
    }
}
