package io.loomcache.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @Test
    void shouldParseEveryUnit() {
        assertEquals(500, Durations.parseMs("500ms"));
        assertEquals(10_000, Durations.parseMs("10s"));
        assertEquals(120_000, Durations.parseMs("2m"));
        assertEquals(3_600_000, Durations.parseMs("1h"));
        assertEquals(0, Durations.parseMs("0s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "s", "10x", "-5s", "1.5s", "10 s", "5S", "999999999999999999h"})
    void shouldRejectDurationsWithoutDigitsAndUnit(final String text) {
        assertThrows(UsageException.class, () -> Durations.parseMs(text));
    }
}
