package io.loomcache.loadgen.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void shouldParseEveryUnit() {
        assertEquals(100L, Durations.parseNs("100ns"));
        assertEquals(250_000L, Durations.parseNs("250us"));
        assertEquals(500_000_000L, Durations.parseNs("500ms"));
        assertEquals(15_000_000_000L, Durations.parseNs("15s"));
        assertEquals(120_000_000_000L, Durations.parseNs("2m"));
        assertEquals(3_600_000_000_000L, Durations.parseNs("1h"));
    }

    @Test
    void shouldParseDecimalsAndBareZero() {
        assertEquals(1_500_000_000L, Durations.parseNs("1.5s"));
        assertEquals(0L, Durations.parseNs("0"));
        assertEquals(0L, Durations.parseNs("0s"));
    }

    @Test
    void shouldRejectNumbersWithoutUnitUnknownUnitsAndNegatives() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("15"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("15sec"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("abc"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("-1s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("99999999999h"));
    }

    @Test
    void shouldFormatInTheLargestExactUnit() {
        assertEquals("15s", Durations.format(15_000_000_000L));
        assertEquals("500ms", Durations.format(500_000_000L));
        assertEquals("2m", Durations.format(120_000_000_000L));
        assertEquals("1500ms", Durations.format(1_500_000_000L));
        assertEquals("0", Durations.format(0));
    }

    @Property
    void formatThenParseShouldBeIdentity(@ForAll @LongRange(min = 0, max = 1_000_000_000_000_000L) final long ns) {
        assertEquals(ns, Durations.parseNs(Durations.format(ns)));
    }
}
