package io.loomcache.server.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NodeMemoryTest {
    private static final long MIB = 1024 * 1024;

    private static ServerContext defaults() {
        return new ServerContext().executors(2).conclude();
    }

    @Test
    void shouldAcceptTheDefaultsInTheJvmThatScriptsNodeStarts() {
        assertDoesNotThrow(() -> NodeMemory.check(defaults(), 512 * MIB, 1024 * MIB));
    }

    @Test
    void shouldRefuseMoreIdleConnectionsThanTheHeapHoldsNamingMaxConnections() {
        final ConfigException refused = assertThrows(ConfigException.class,
            () -> NodeMemory.check(defaults(), 128 * MIB, 1024 * MIB));
        assertTrue(refused.getMessage().startsWith("invalid setting LOOMCACHE_MAX_CONNECTIONS=10000: idle connections"),
            refused.getMessage());
        assertTrue(refused.getMessage().contains("raise -Xmx"), refused.getMessage());
        assertDoesNotThrow(() -> NodeMemory.check(new ServerContext().executors(2).maxConnections(2_000).conclude(),
            128 * MIB, 1024 * MIB));
    }

    @Test
    void shouldRefuseBudgetsThatNeedMoreDirectMemoryThanTheJvmAllowsNamingConnectionMemory() {
        final ConfigException refused = assertThrows(ConfigException.class,
            () -> NodeMemory.check(defaults(), 512 * MIB, 256 * MIB));
        assertTrue(refused.getMessage().startsWith("invalid setting LOOMCACHE_CONNECTION_MEMORY=268435456"),
            refused.getMessage());
        assertTrue(refused.getMessage().contains("-XX:MaxDirectMemorySize"), refused.getMessage());
    }
}
