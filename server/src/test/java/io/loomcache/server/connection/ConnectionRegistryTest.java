package io.loomcache.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionRegistryTest {
    @Test
    void shouldKeepReleasingSlotsAfterTheGenerationCounterPassesTwoToTheThirtyOne() {
        final ConnectionRegistry registry = new ConnectionRegistry(2, Integer.MAX_VALUE - 3);
        for (int i = 0; i < 10; i++) {
            final DetachedConnection first = new DetachedConnection(4096, 0);
            final DetachedConnection second = new DetachedConnection(4096, 0);
            assertTrue(registry.register(first), "registration " + i + " refused");
            assertTrue(registry.register(second), "registration " + i + " refused");
            assertTrue(first.id() >= 0, "negative id " + first.id());
            assertSame(first, registry.get(first.id()));
            registry.unregister(first);
            registry.unregister(second);
            assertEquals(0, registry.count(), "slots leaked after registration " + i);
            assertNull(registry.get(first.id()));
        }
    }
}
