package io.loomcache.store;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.loomcache.store.StoreFixtures.START_MS;
import static io.loomcache.store.StoreFixtures.bytes;
import static io.loomcache.store.StoreFixtures.clockAt;
import static io.loomcache.store.StoreFixtures.context;
import static io.loomcache.store.StoreFixtures.put;
import static io.loomcache.store.StoreFixtures.remove;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EntryIterationTest {
    private final ManualClock clock = clockAt(START_MS);
    private final OffHeapStore store = new OffHeapStore(context(clock, 1 << 20));

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void shouldVisitExactlyTheLiveEntriesWithTheirValuesAndAbsoluteExpiry() {
        final Map<String, String> expectedValues = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            put(store, bytes("key-" + i), bytes("value-" + i), 0);
            expectedValues.put("key-" + i, "value-" + i);
        }
        put(store, bytes("short-lived"), bytes("gone"), 10);
        put(store, bytes("long-lived"), bytes("stays"), 60_000);
        expectedValues.put("long-lived", "stays");
        for (int i = 0; i < 500; i += 3) {
            remove(store, bytes("key-" + i));
            expectedValues.remove("key-" + i);
        }
        clock.advance(10);

        final Map<String, String> seenValues = new HashMap<>();
        final Map<String, Long> seenExpiry = new HashMap<>();
        final int visited = store.forEachEntry((entry, keyOffset, keyLength, valueOffset, valueLength, expireAtMs) -> {
            final String key = entry.getStringWithoutLengthAscii(keyOffset, keyLength);
            final byte[] value = new byte[valueLength];
            entry.getBytes(valueOffset, value);
            seenValues.put(key, new String(value, StandardCharsets.US_ASCII));
            seenExpiry.put(key, expireAtMs);
        });

        assertEquals(expectedValues, seenValues);
        assertEquals(expectedValues.size(), visited);
        assertEquals(START_MS + 60_000, seenExpiry.get("long-lived"));
        assertEquals(0L, seenExpiry.get("key-1"));
    }
}
