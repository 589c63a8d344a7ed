package io.loomcache.server.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.loomcache.store.EvictionPolicy;
import io.loomcache.wal.FsyncPolicy;

/**
 * The single table of node settings: for each, the config-file key, the {@code LOOMCACHE_*} environment variable,
 * the command-line flag, the default (parsed by the same parser as any other source) and a one-line description.
 * Help text, the environment, config files and flags all read this table, so they cannot disagree. Precedence:
 * default &lt; config file &lt; environment &lt; flag.
 */
public enum Setting {
    /** Node id reported in HELLO responses and metrics. */
    NODE_ID("--node-id", "node.id", "0", "node name: a number 0..1073741823, or a name such as loomcache-0",
        (c, v) -> c.nodeName(v)),
    /** Binary protocol port. */
    SERVER_PORT("--port", "server.port", "7654", "binary protocol TCP port (0 = ephemeral)",
        (c, v) -> c.serverPort(ValueParsers.port(v))),
    /** Redis (RESP) port. */
    RESP_PORT("--resp-port", "resp.port", "6379", "Redis (RESP2/RESP3) port (0 = ephemeral, off = none)",
        (c, v) -> c.respPort(v.trim().equalsIgnoreCase("off") ? ServerContext.RESP_OFF : ValueParsers.port(v))),
    /** Address every listener binds. */
    BIND_ADDRESS("--bind-address", "server.bind-address", "0.0.0.0",
        "address the protocol, health and metrics ports bind",
        (c, v) -> c.bindAddress(address(v))),
    /** HTTP /health port. */
    HEALTH_PORT("--health-port", "health.port", "8080", "HTTP /health port (0 = ephemeral)",
        (c, v) -> c.healthPort(ValueParsers.port(v))),
    /** Prometheus /metrics port. */
    METRICS_PORT("--metrics-port", "metrics.port", "9090", "Prometheus /metrics port (0 = ephemeral)",
        (c, v) -> c.metricsPort(ValueParsers.port(v))),
    /** Write-ahead logging on or off. */
    SERVER_PERSISTENCE_ENABLED("--persistence", "server.persistence.enabled", "true",
        "log writes to the WAL and recover at start",
        (c, v) -> c.persistenceEnabled(ValueParsers.bool(v))),
    /** Data directory. */
    DATA_DIR("--data-dir", "data.dir", "./data", "data directory",
        (c, v) -> c.dataDir(Path.of(nonEmpty(v)))),
    /** WAL directory; empty means data.dir/wal. */
    WAL_DIR("--wal-dir", "wal.dir", "", "WAL directory (empty = <data.dir>/wal); one sub-directory per executor",
        (c, v) -> c.walDir(v.isBlank() ? null : Path.of(v.trim()))),
    /** WAL fsync policy. */
    WAL_FSYNC("--wal-fsync", "wal.fsync", "batch",
        "when a write is acknowledged: batch (after fsync) | interval | none",
        (c, v) -> c.walFsync(FsyncPolicy.valueOf(
            ValueParsers.choice(v, "none", "interval", "batch").toUpperCase(Locale.ROOT)))),
    /** Interval of the interval fsync policy. */
    WAL_FSYNC_INTERVAL("--wal-fsync-interval", "wal.fsync-interval", "10ms", "fsync period of wal.fsync=interval",
        (c, v) -> c.walFsyncIntervalMs(ValueParsers.durationMs(v, 1, 60_000))),
    /** WAL segment file size. */
    WAL_SEGMENT_SIZE("--wal-segment-size", "wal.segment-size", "64m", "WAL segment file size, a multiple of 64 bytes",
        (c, v) -> c.walSegmentLength((int)ValueParsers.bytes(v, 64 * 1024, 1024L * 1024 * 1024))),
    /** Snapshot period in WAL records. */
    SNAPSHOT_EVERY("--snapshot-every", "snapshot.every", "10000",
        "snapshot an executor's store every N WAL records (0 = never)",
        (c, v) -> c.snapshotEvery(ValueParsers.intInRange(v, 0, Integer.MAX_VALUE))),
    /** Network transport. */
    TRANSPORT("--transport", "server.transport", "netty",
        "nio (virtual threads) | netty (io_uring, else epoll, else NIO) | netty-io_uring | netty-epoll",
        (c, v) -> c.transport(ValueParsers.choice(v, "nio", "netty", "netty-io_uring", "netty-epoll"))),
    /** Partition executor count. */
    EXECUTORS("--executors", "server.executors", "auto",
        "partition executors: a thread each (nio) or an event loop each (netty); auto = available processors",
        (c, v) -> c.executors(autoOr(v, 1, ServerContext.MAX_PARTITION_COUNT))),
    /** Key partitions. */
    PARTITIONS("--partitions", "server.partitions", "271",
        "key partitions, 1 to 16384 (each a range of Redis Cluster slots), spread over executors and Raft groups; "
            + "the same on every member and for the life of the data",
        (c, v) -> c.partitions(ValueParsers.intInRange(v, 1, ServerContext.MAX_PARTITION_COUNT))),
    /** Memory cap of the whole node's store. */
    MAX_MEMORY("--max-memory", "store.max-memory", "1g",
        "off-heap store memory cap of the node, split evenly across executors",
        (c, v) -> c.maxMemoryBytes(ValueParsers.bytes(v, 1024 * 1024, Long.MAX_VALUE))),
    /** Eviction policy. */
    EVICTION("--eviction", "store.eviction", "lru", "what a full store does: none (refuse writes) | lru | lfu",
        (c, v) -> c.eviction(EvictionPolicy.valueOf(
            ValueParsers.choice(v, "none", "lru", "lfu").toUpperCase(Locale.ROOT)))),
    /** Largest frame accepted. */
    MAX_FRAME_LENGTH("--max-frame-length", "protocol.max-frame-length", "2m",
        "largest request frame in bytes, header included",
        (c, v) -> c.maxFrameLength((int)ValueParsers.bytes(v, 1024, 64 * 1024 * 1024))),
    /** Connection cap of the node. */
    MAX_CONNECTIONS("--max-connections", "server.max-connections", "10000", "open connections the node accepts",
        (c, v) -> c.maxConnections(ValueParsers.intInRange(v, 1, 1_000_000))),
    /** Connection cap per remote IPv4 address or IPv6 /64 prefix. */
    MAX_CONNECTIONS_PER_IP("--max-connections-per-ip", "server.max-connections-per-ip", "1000",
        "open connections one IPv4 address or IPv6 /64 prefix may hold",
        (c, v) -> c.maxConnectionsPerIp(ValueParsers.intInRange(v, 1, 1_000_000))),
    /** Slowloris deadline. */
    READ_TIMEOUT("--read-timeout", "server.read-timeout", "10s",
        "deadline to complete a started frame, else TIMEOUT and close",
        (c, v) -> c.readTimeoutMs(ValueParsers.durationMs(v, 1, 3_600_000))),
    /** Slow consumer deadline. */
    WRITE_TIMEOUT("--write-timeout", "server.write-timeout", "10s",
        "deadline for a blocked write to a client that stops reading",
        (c, v) -> c.writeTimeoutMs(ValueParsers.durationMs(v, 1, 3_600_000))),
    /** Low watermark. */
    BACKPRESSURE_LOW("--backpressure-low", "backpressure.low", "0.5",
        "load fraction where throttling starts / busy ends",
        (c, v) -> c.backpressureLow(ValueParsers.fraction(v))),
    /** High watermark. */
    BACKPRESSURE_HIGH("--backpressure-high", "backpressure.high", "0.8",
        "load fraction where new work gets SERVER_BUSY",
        (c, v) -> c.backpressureHigh(ValueParsers.fraction(v))),
    /** Outbound bytes that count as full load. */
    OUTBOUND_BUDGET("--outbound-budget", "backpressure.outbound-budget", "64m",
        "unsent response bytes of all connections = load 1.0",
        (c, v) -> c.outboundBudgetBytes(ValueParsers.bytes(v, 1024, Long.MAX_VALUE))),
    /** Executor queueing delay that counts as full load. */
    QUEUE_DELAY_BUDGET("--queue-delay-budget", "backpressure.queue-delay-budget", "50ms",
        "time a request waiting in an executor queue that counts as load 1.0",
        (c, v) -> c.queueDelayBudgetMs(ValueParsers.durationMs(v, 1, 60_000))),
    /** Accept delay while throttled. */
    ACCEPT_THROTTLE("--accept-throttle", "backpressure.accept-throttle", "10ms",
        "delay between accepts while between the watermarks",
        (c, v) -> c.acceptThrottleMs(ValueParsers.durationMs(v, 0, 60_000))),
    /** Per-connection outbound ring. */
    CONNECTION_BUFFER("--connection-buffer", "server.connection-buffer", "256k",
        "outbound ring per connection, a power of two",
        (c, v) -> c.connectionBufferLength((int)ValueParsers.bytes(v, 4096, 64 * 1024 * 1024))),
    /** Per-connection spill cap. */
    CONNECTION_SPILL("--connection-spill", "server.connection-spill", "16m",
        "unsent bytes past the ring before a connection is dropped",
        (c, v) -> c.connectionSpillBytes(ValueParsers.bytes(v, 0, Long.MAX_VALUE))),
    /** Node-wide memory leased to busy connections. */
    CONNECTION_MEMORY("--connection-memory", "server.connection-memory", "256m",
        "direct memory leased to busy connections (outbound rings, I/O buffers); past it requests get SERVER_BUSY",
        (c, v) -> c.connectionMemoryBytes(ValueParsers.bytes(v, 64 * 1024, Long.MAX_VALUE))),
    /** Node-wide memory for frames being assembled. */
    PARTIAL_FRAME_BUDGET("--partial-frame-budget", "server.partial-frame-budget", "64m",
        "memory of all partial (split) frames of the node; past it a frame gets SERVER_BUSY",
        (c, v) -> c.partialFrameBudgetBytes(ValueParsers.bytes(v, 1024, Long.MAX_VALUE))),
    /** Executor request ring. */
    EXECUTOR_QUEUE("--executor-queue", "server.executor-queue", "auto",
        "request ring per executor (auto = 8 x max frame, pow2)",
        (c, v) -> c.executorQueueLength(autoOrBytes(v))),
    /** Cluster members. */
    NODES("--nodes", "cluster.nodes", "",
        "cluster members name@host:port,... (host:port names the member by its host's first label); empty = a " +
            "single node",
        (c, v) -> c.cluster().nodes(v.trim())),
    /** Raft groups of the cluster. */
    RAFT_GROUPS("--raft-groups", "cluster.raft-groups", "6",
        "Raft groups the partitions are spread over (partition % groups); the same on every member",
        (c, v) -> c.cluster().raftGroups(ValueParsers.intInRange(v, 1, ServerContext.MAX_PARTITION_COUNT))),
    /** Raft election timeout. */
    RAFT_ELECTION_TIMEOUT("--raft-election-timeout", "cluster.election-timeout", "300ms",
        "time without a leader before a member stands for election (randomised up to twice it)",
        (c, v) -> c.cluster().electionTimeoutMs(ValueParsers.durationMs(v, 10, 60_000))),
    /** Raft heartbeat interval. */
    RAFT_HEARTBEAT("--raft-heartbeat", "cluster.heartbeat-interval", "50ms",
        "leader heartbeat period; keep it well under the election timeout",
        (c, v) -> c.cluster().heartbeatMs(ValueParsers.durationMs(v, 1, 10_000))),
    /** Raft snapshot period. */
    RAFT_SNAPSHOT_EVERY("--raft-snapshot-every", "cluster.snapshot-every", "10000",
        "snapshot a Raft group every N applied entries (0 = never)",
        (c, v) -> c.cluster().snapshotEvery(ValueParsers.intInRange(v, 0, Integer.MAX_VALUE))),
    /** Read consistency in a cluster. */
    READ_MODE("--read-mode", "cluster.read-mode", "linearizable",
        "linearizable (ReadIndex: a heartbeat round per batch of reads) | lease (no round while the leader's " +
            "lease holds; assumes clocks drift < 10%)",
        (c, v) -> c.cluster().leaseReads("lease".equals(ValueParsers.choice(v, "linearizable", "lease")))),
    /** Drain time at shutdown. */
    DRAIN_TIMEOUT("--drain-timeout", "server.drain-timeout", "200ms",
        "time in-flight requests get to finish at shutdown",
        (c, v) -> c.drainTimeoutMs(ValueParsers.durationMs(v, 0, 600_000)));

    private final String key;
    private final String env;
    private final String flag;
    private final String defaultValue;
    private final String description;
    private final BiConsumer<ServerContext, String> applier;

    Setting(
        final String flag,
        final String key,
        final String defaultValue,
        final String description,
        final BiConsumer<ServerContext, String> applier) {
        this.key = key;
        this.env = "LOOMCACHE_" + name();
        this.flag = flag;
        this.defaultValue = defaultValue;
        this.description = description;
        this.applier = applier;
    }

    /**
     * The config-file key, e.g. {@code server.port}.
     *
     * @return the key.
     */
    public String key() {
        return key;
    }

    /**
     * The environment variable, e.g. {@code LOOMCACHE_SERVER_PORT}.
     *
     * @return the name.
     */
    public String env() {
        return env;
    }

    /**
     * The command-line flag, e.g. {@code --port}.
     *
     * @return the flag with its dashes.
     */
    public String flag() {
        return flag;
    }

    /**
     * The default as text.
     *
     * @return the default.
     */
    public String defaultValue() {
        return defaultValue;
    }

    /**
     * One line for --help.
     *
     * @return the description.
     */
    public String description() {
        return description;
    }

    /**
     * Parses text and sets it on a context.
     *
     * @param context the context to change.
     * @param value the text.
     * @throws IllegalArgumentException with the reason when the text is invalid.
     */
    public void apply(final ServerContext context, final String value) {
        applier.accept(context, value);
    }

    /**
     * Finds a setting by flag.
     *
     * @param flag the flag with its dashes.
     * @return the setting, or null.
     */
    public static Setting byFlag(final String flag) {
        return find(Setting::flag, flag);
    }

    /**
     * Finds a setting by config-file key.
     *
     * @param key the key.
     * @return the setting, or null.
     */
    public static Setting byKey(final String key) {
        return find(Setting::key, key);
    }

    private static Setting find(final Function<Setting, String> name, final String wanted) {
        for (final Setting setting : values()) {
            if (name.apply(setting).equals(wanted)) {
                return setting;
            }
        }
        return null;
    }

    private static int autoOr(final String value, final int min, final int max) {
        return "auto".equalsIgnoreCase(value.trim()) ? 0 : ValueParsers.intInRange(value, min, max);
    }

    private static int autoOrBytes(final String value) {
        return "auto".equalsIgnoreCase(value.trim()) ? 0 : (int)ValueParsers.bytes(value, 64 * 1024, 1L << 30);
    }

    private static String nonEmpty(final String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return value.trim();
    }

    private static String address(final String value) {
        final String trimmed = nonEmpty(value);
        if (!trimmed.matches("[0-9A-Za-z.:\\-\\[\\]%]+")) {
            throw new IllegalArgumentException("not an IP address or host name");
        }
        return trimmed;
    }
}
