package io.loomcache.protocol.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
    private static final long[] UNIT_NANOS = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L,
        3_600_000_000_000L};
    private static final long MAX_ROUND_TRIP_NS = 1_000_000_000_000_000_000L;

    @ParameterizedTest(name = "<{0}>")
    @CsvSource(delimiter = '|', value = {
        // the load generator's former grammar: every unit, decimals, a bare 0
        "100ns | 100", "250us | 250000", "500ms | 500000000", "15s | 15000000000", "2m | 120000000000",
        "1h | 3600000000000", "1.5s | 1500000000", "0 | 0", "0s | 0",
        // the node's former grammar: any case, blanks, a sign
        "10MS | 10000000", "'  10 ms ' | 10000000", "+10s | 10000000000",
        // new: digit groups, exponents, a fraction of a nanosecond dropped
        "1_000ms | 1000000000", "1e3ms | 1000000000", "1.5ns | 1"})
    void shouldParseDurationsWithAUnit(final String text, final long nanos) {
        assertEquals(nanos, Units.durationNs(text));
    }

    @ParameterizedTest(name = "<{0}>")
    @CsvSource(delimiter = '|', value = {
        // the CLI's former grammar
        "500ms | 500", "10s | 10000", "2m | 120000", "1h | 3600000", "0s | 0",
        // what the CLI refused and the node or the load generator accepted
        "1.5s | 1500", "'10 s' | 10000", "5S | 5000", "1000us | 1"})
    void shouldParseWholeMillisecondsWithAUnit(final String text, final long ms) {
        assertEquals(ms, Units.durationMs(text, false));
    }

    @ParameterizedTest(name = "<{0}>")
    @CsvSource(delimiter = '|', value = {
        // the node's former grammar: a bare number is ms
        "200ms | 200", "10s | 10000", "2m | 120000", "10 | 10", "0 | 0",
        // refused by the node before the grammar was shared
        "1h | 3600000", "1.5s | 1500"})
    void shouldReadABareNumberAsMillisecondsInNodeSettings(final String text, final long ms) {
        assertEquals(ms, Units.durationMs(text, true));
    }

    @ParameterizedTest(name = "<{0}>")
    @ValueSource(strings = {"", "10", "15", "s", "10x", "15sec", "abc", "-5s", "-1s", "1.5.1s", "5e",
        "99999999999h", "999999999999999999h"})
    void shouldRefuseDurationsWithoutNumberOrUnitOrThatAreNegativeOrTooLong(final String text) {
        assertThrows(IllegalArgumentException.class, () -> Units.durationNs(text));
        assertThrows(IllegalArgumentException.class, () -> Units.durationMs(text, false));
    }

    @Test
    void shouldSayWhyADurationIsRefused() {
        assertMessage("'15' is not a duration (use a unit: 500ms, 15s, 2m, 1h)", () -> Units.durationNs("15"));
        assertMessage("'15sec' is not a duration (use a unit: 500ms, 15s, 2m, 1h)", () -> Units.durationNs("15sec"));
        assertMessage("'-1s' is negative", () -> Units.durationNs("-1s"));
        assertMessage("'-5' is negative", () -> Units.durationMs("-5", true));
        assertMessage("'99999999999h' is too long", () -> Units.durationNs("99999999999h"));
        assertMessage("'1500us' is not a whole number of milliseconds", () -> Units.durationMs("1500us", true));
    }

    @ParameterizedTest(name = "<{0}>")
    @CsvSource(delimiter = '|', value = {
        // the node's former grammar: k m g binary, an optional b, any case, bare bytes
        "64m | 67108864", "512KB | 524288", "1234 | 1234", "64mb | 67108864", "1g | 1073741824", "100b | 100",
        "' 2 M ' | 2097152", "0 | 0",
        // new: IEC suffixes, decimals that make whole bytes, digit groups
        "64KiB | 65536", "2mib | 2097152", "1GiB | 1073741824", "1.5k | 1536", "1_000 | 1000",
        "8589934591g | 9223372035781033984"})
    void shouldParseSizes(final String text, final long bytes) {
        assertEquals(bytes, Units.sizeBytes(text));
    }

    @ParameterizedTest(name = "<{0}>")
    @ValueSource(strings = {"", "b", "12q", "64t", "-1k", "0.5b", "1.0001k", "8589934592g", "99999999999g", "abc"})
    void shouldRefuseSizesThatAreNotWholeNonNegativeBytes(final String text) {
        assertThrows(IllegalArgumentException.class, () -> Units.sizeBytes(text));
    }

    @Test
    void shouldSayWhyASizeIsRefused() {
        assertMessage("'12q' is not a size (use e.g. 512, 64k, 2m, 1g)", () -> Units.sizeBytes("12q"));
        assertMessage("'-1k' is negative", () -> Units.sizeBytes("-1k"));
        assertMessage("'99999999999g' is too large", () -> Units.sizeBytes("99999999999g"));
        assertMessage("'0.5b' is not a whole number of bytes", () -> Units.sizeBytes("0.5b"));
    }

    @Test
    void shouldFormatInTheLargestExactUnit() {
        assertEquals("15s", Units.formatDuration(15_000_000_000L));
        assertEquals("500ms", Units.formatDuration(500_000_000L));
        assertEquals("2m", Units.formatDuration(120_000_000_000L));
        assertEquals("1500ms", Units.formatDuration(1_500_000_000L));
        assertEquals("1h", Units.formatDuration(3_600_000_000_000L));
        assertEquals("7ns", Units.formatDuration(7));
        assertEquals("0", Units.formatDuration(0));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 4_711, 20_250_101})
    void formatThenParseShouldBeIdentity(final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 2_000; i++) {
            final long unit = UNIT_NANOS[random.nextInt(UNIT_NANOS.length)];
            final long ns = switch (i) {
                case 0 -> 0;
                case 1 -> MAX_ROUND_TRIP_NS;
                default -> i % 2 == 0 ? random.nextLong(MAX_ROUND_TRIP_NS + 1)
                    : random.nextLong(MAX_ROUND_TRIP_NS / unit + 1) * unit;
            };
            final String text = Units.formatDuration(ns);
            assertEquals(ns, Units.durationNs(text), () -> "seed " + seed + ": " + ns + " printed as " + text);
        }
    }

    private static void assertMessage(final String message, final Runnable parse) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, parse::run).getMessage());
    }
}
