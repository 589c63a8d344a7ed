package io.loomcache.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.store.EvictionPolicy;
import io.loomcache.wal.FsyncPolicy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void shouldUseTheDocumentedDefaultsWithNoConfiguration() {
        final ServerContext context = ConfigLoader.load(new String[0], Map.of());
        assertEquals(7654, context.serverPort());
        assertEquals(8080, context.healthPort());
        assertEquals(9090, context.metricsPort());
        assertEquals("0.0.0.0", context.bindAddress());
        assertTrue(context.persistenceEnabled());
        assertEquals(Path.of("./data"), context.dataDir());
        assertEquals(Path.of("./data/wal"), context.walDir());
        assertEquals(FsyncPolicy.BATCH, context.walFsync());
        assertEquals(10_000, context.snapshotEvery());
        assertEquals("netty", context.transport());
        assertEquals(Runtime.getRuntime().availableProcessors(), context.executors());
        assertEquals(1024L * 1024 * 1024, context.maxMemoryBytes());
        assertEquals(EvictionPolicy.LRU, context.eviction());
        assertEquals(1000, context.maxConnectionsPerIp());
        assertEquals(200, context.drainTimeoutMs());
        assertEquals(ServerContext.minExecutorQueueLength(context.maxFrameLength()), context.executorQueueLength());
        assertEquals(ProtocolLimits.DEFAULT_MAX_FRAME_LENGTH, context.maxFrameLength());
    }

    @Test
    void shouldGiveAContextBuiltInCodeTheSameDefaultsAsTheLoader() throws ReflectiveOperationException {
        final ServerContext loaded = ConfigLoader.load(new String[0], Map.of());
        final ServerContext built = new ServerContext().conclude();
        int compared = compareGetters(ServerContext.class, loaded, built);
        compared += compareGetters(ClusterContext.class, loaded.cluster(), built.cluster());
        assertTrue(compared >= Setting.values().length, "compared " + compared + " getters");
    }

    private static int compareGetters(final Class<?> type, final Object loaded, final Object built)
        throws ReflectiveOperationException {
        int compared = 0;
        for (final Method getter : type.getDeclaredMethods()) {
            final Class<?> returned = getter.getReturnType();
            if (getter.getParameterCount() == 0 && getter.getModifiers() == Modifier.PUBLIC &&
                (returned.isPrimitive() || returned.isEnum() || returned == String.class || returned == Path.class)) {
                assertEquals(getter.invoke(loaded), getter.invoke(built), getter.getName());
                compared++;
            }
        }
        return compared;
    }

    @Test
    void shouldLetEnvironmentOverrideTheFileAndFlagsOverrideTheEnvironment() throws Exception {
        final Path file = dir.resolve("node.properties");
        Files.writeString(file, "server.port=1111\nhealth.port=2222\nstore.eviction=lfu\nwal.fsync=none\n");
        final ServerContext context = ConfigLoader.load(
            new String[] {"--config", file.toString(), "--port", "3333", "--wal-fsync=interval"},
            Map.of("LOOMCACHE_SERVER_PORT", "4444", "LOOMCACHE_HEALTH_PORT", "5555", "LOOMCACHE_MAX_MEMORY", "2g",
                "LOOMCACHE_EXECUTORS", "3"));
        assertEquals(3333, context.serverPort(), "flag beats env and file");
        assertEquals(5555, context.healthPort(), "env beats file");
        assertEquals(EvictionPolicy.LFU, context.eviction(), "file beats default");
        assertEquals(FsyncPolicy.INTERVAL, context.walFsync());
        assertEquals(2L * 1024 * 1024 * 1024, context.maxMemoryBytes());
        assertEquals(3, context.executors());
    }

    @Test
    void shouldNameTheSourceValueAndReasonOfAnInvalidSetting() {
        final ConfigException fromEnv = assertThrows(ConfigException.class,
            () -> ConfigLoader.load(new String[0], Map.of("LOOMCACHE_SERVER_PORT", "abc")));
        assertEquals("invalid setting LOOMCACHE_SERVER_PORT=abc: not a port number (0-65535)", fromEnv.getMessage());
        final ConfigException fromFlag = assertThrows(ConfigException.class,
            () -> ConfigLoader.load(new String[] {"--wal-fsync", "sometimes"}, Map.of()));
        assertEquals("invalid setting --wal-fsync=sometimes: not one of none|interval|batch", fromFlag.getMessage());
        final ConfigException watermarks = assertThrows(ConfigException.class,
            () -> ConfigLoader.load(new String[] {"--backpressure-low", "0.9"}, Map.of()));
        assertTrue(watermarks.getMessage().startsWith("invalid setting LOOMCACHE_BACKPRESSURE_LOW=0.9"));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--no-such-flag", "1"}, Map.of()));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--port"}, Map.of()));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[0], Map.of("LOOMCACHE_MAX_MEMORY",
            "12q")));
    }

    @Test
    void shouldTakeANodeNameAsTheSeedsDoAndMapItToAStableCompactId() {
        final ServerContext numeric = ConfigLoader.load(new String[] {"--node-id", "7"}, Map.of());
        assertEquals("7", numeric.nodeName());
        assertEquals(7, numeric.nodeId(), "a number is its own id, as before");
        final ServerContext docker = ConfigLoader.load(new String[0], Map.of("LOOMCACHE_NODE_ID", "single-node"));
        assertEquals("single-node", docker.nodeName());
        // FNV-1a of the UTF-8 name, folded into 2^30..2^31-1: the same on every machine and every restart
        assertEquals(1_695_424_264, docker.nodeId());
        assertEquals(1_479_959_299, ConfigLoader.load(new String[] {"--node-id", "loomcache-0"}, Map.of()).nodeId());
        assertEquals(1_463_181_680, ConfigLoader.load(new String[] {"--node-id", "loomcache-1"}, Map.of()).nodeId());
        assertEquals(NodeIdentity.MAX_NUMERIC_ID,
            ConfigLoader.load(new String[] {"--node-id", "1073741823"}, Map.of()).nodeId());
        for (final String name : new String[] {"a", "node.eu-west_1", "x".repeat(63), "007"}) {
            assertTrue(NodeIdentity.compactId(NodeIdentity.parseName(name)) >= 0, name);
        }
        assertEquals("invalid setting --node-id=bad name: not a node name (letters, digits, '.', '_', '-'; starting " +
            "with a letter or digit)", assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {"--node-id", "bad name"}, Map.of())).getMessage());
        for (final String bad : new String[] {"", "-lead", "x".repeat(64), "1073741824", "99999999999", "n\u00e9"}) {
            assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--node-id", bad}, Map.of()),
                "'" + bad + "'");
        }
    }

    @Test
    void shouldTakeAPartitionCountNoExecutorOrGroupCountExceeds() {
        final ServerContext context = ConfigLoader.load(new String[] {"--partitions", "64", "--executors", "64"},
            Map.of());
        assertEquals(64, context.partitions());
        assertEquals(271, ConfigLoader.load(new String[0], Map.of()).partitions());
        assertTrue(ConfigLoader.load(new String[] {"--executors", "auto"}, Map.of("LOOMCACHE_PARTITIONS", "1"))
            .executors() == 1, "auto executors never outnumber the partitions");
        final ConfigException executors = assertThrows(ConfigException.class,
            () -> ConfigLoader.load(new String[] {"--partitions", "4", "--executors", "5"}, Map.of()));
        assertTrue(executors.getMessage().contains("more executors than partitions (4)"), executors.getMessage());
        final ConfigException groups = assertThrows(ConfigException.class,
            () -> ConfigLoader.load(new String[] {"--partitions", "4", "--executors", "1", "--raft-groups", "6",
                "--node-id", "a", "--nodes", "a@127.0.0.1:7001,b@127.0.0.1:7002"}, Map.of()));
        assertTrue(groups.getMessage().contains("more Raft groups than partitions (4)"), groups.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--partitions", "0"}, Map.of()));
        assertThrows(ConfigException.class,
            () -> ConfigLoader.load(new String[] {"--partitions", "16385"}, Map.of()));
    }

    @Test
    void shouldRejectAnUnknownKeyInTheConfigFile() throws Exception {
        final Path file = dir.resolve("typo.properties");
        Files.writeString(file, "server.prot=1\n");
        final ConfigException error = assertThrows(ConfigException.class,
            () -> ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()));
        assertTrue(error.getMessage().contains("unknown key server.prot"), error.getMessage());
    }

    @Test
    void shouldListEveryFlagEnvironmentVariableKeyAndDefaultInHelp() {
        final String help = HelpText.render();
        final Set<String> flags = new HashSet<>();
        final Set<String> envs = new HashSet<>();
        for (final Setting setting : Setting.values()) {
            assertTrue(help.contains(setting.flag()), setting.flag());
            assertTrue(help.contains(setting.env()), setting.env());
            assertTrue(help.contains(setting.key()), setting.key());
            assertTrue(flags.add(setting.flag()), "duplicate flag " + setting.flag());
            assertTrue(envs.add(setting.env()), "duplicate env " + setting.env());
            assertTrue(setting.env().startsWith("LOOMCACHE_"));
        }
        for (final String required : new String[] {"LOOMCACHE_NODE_ID", "LOOMCACHE_SERVER_PORT",
            "LOOMCACHE_BIND_ADDRESS", "LOOMCACHE_HEALTH_PORT", "LOOMCACHE_METRICS_PORT",
            "LOOMCACHE_SERVER_PERSISTENCE_ENABLED", "LOOMCACHE_WAL_DIR", "LOOMCACHE_WAL_FSYNC",
            "LOOMCACHE_SNAPSHOT_EVERY", "LOOMCACHE_TRANSPORT", "LOOMCACHE_EXECUTORS", "LOOMCACHE_MAX_MEMORY",
            "LOOMCACHE_EVICTION", "LOOMCACHE_MAX_FRAME_LENGTH", "LOOMCACHE_MAX_CONNECTIONS_PER_IP",
            "LOOMCACHE_READ_TIMEOUT", "LOOMCACHE_BACKPRESSURE_LOW", "LOOMCACHE_BACKPRESSURE_HIGH",
            "LOOMCACHE_DRAIN_TIMEOUT"}) {
            assertTrue(envs.contains(required), required);
        }
        assertFalse(help.contains("null"));
    }

    @Test
    void shouldParseSizesDurationsAndFractions() {
        assertEquals(64L * 1024 * 1024, ValueParsers.bytes("64m", 0, Long.MAX_VALUE));
        assertEquals(512 * 1024, ValueParsers.bytes("512KB", 0, Long.MAX_VALUE));
        assertEquals(1234, ValueParsers.bytes("1234", 0, Long.MAX_VALUE));
        assertEquals(200, ValueParsers.durationMs("200ms", 0, 1_000_000));
        assertEquals(10_000, ValueParsers.durationMs("10s", 0, 1_000_000));
        assertEquals(120_000, ValueParsers.durationMs("2m", 0, 1_000_000));
        assertEquals(3_600_000, ValueParsers.durationMs("1h", 0, 3_600_000), "the CLI's 1h works in the node too");
        assertEquals(50, ValueParsers.durationMs("50", 0, 1_000_000), "a bare number is ms in node settings");
        assertEquals(64 * 1024, ValueParsers.bytes("64KiB", 0, Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> ValueParsers.durationMs("2h", 0, 3_600_000));
        assertThrows(IllegalArgumentException.class, () -> ValueParsers.durationMs("-1s", 0, 3_600_000));
        assertEquals(0.25, ValueParsers.fraction("0.25"));
        assertThrows(IllegalArgumentException.class, () -> ValueParsers.fraction("1.5"));
        assertThrows(IllegalArgumentException.class, () -> ValueParsers.bytes("99999999999g", 0, Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> ValueParsers.port("65536"));
    }
}
