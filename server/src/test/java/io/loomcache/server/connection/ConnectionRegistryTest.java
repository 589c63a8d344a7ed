package io.loomcache.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class ConnectionRegistryTest {
    /** A connection with no transport. */
    private static final class BareConnection extends Connection {
        BareConnection() {
            super(InetAddress.getLoopbackAddress(), 4096, 0);
        }

        @Override
        public void wakeWriter() {
        }

        @Override
        protected void closeTransport() {
            release();
        }
    }

    @Test
    void shouldKeepReleasingSlotsAfterTheGenerationCounterPassesTwoToTheThirtyOne() {
        final ConnectionRegistry registry = new ConnectionRegistry(2, Integer.MAX_VALUE - 3);
        for (int i = 0; i < 10; i++) {
            final BareConnection first = new BareConnection();
            final BareConnection second = new BareConnection();
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
