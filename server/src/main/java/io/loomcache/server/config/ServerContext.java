package io.loomcache.server.config;

import java.nio.file.Path;

import org.agrona.BitUtil;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.KeySlot;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.server.cluster.ClusterMembers;
import io.loomcache.server.executor.RequestRecordDescriptor;
import io.loomcache.server.log.NodeLog;
import io.loomcache.store.EvictionPolicy;
import io.loomcache.wal.FsyncPolicy;

/**
 * Validated configuration of a node. Fluent setters (defaults from {@link Setting}), then {@link #conclude()}
 * resolves automatic values and checks the combination, failing with a {@link ConfigException} that names the
 * setting. Not thread-safe: build it on one thread and hand it to the node, which only reads it afterwards.
 */
public final class ServerContext {
    /** {@link #respPort()} when the node has no Redis port. */
    public static final int RESP_OFF = -1;
    /** Default partitions of the key space; a key's partition is its hash modulo the count. */
    public static final int PARTITION_COUNT = 271;
    /** Most partitions a node may be configured with: one Redis Cluster slot each ({@link KeySlot}). */
    public static final int MAX_PARTITION_COUNT = KeySlot.MAX_PARTITIONS;
    /** Smallest store memory cap of one executor in bytes. */
    public static final long MIN_EXECUTOR_MEMORY_BYTES = 256 * 1024;
    private int nodeId;
    private String nodeName = "0";
    private int serverPort;
    private int respPort;
    private String bindAddress;
    private int healthPort;
    private int metricsPort;
    private boolean persistenceEnabled;
    private Path dataDir;
    private Path walDir;
    private FsyncPolicy walFsync;
    private long walFsyncIntervalMs;
    private int walSegmentLength;
    private int snapshotEvery;
    private String transport;
    private int executors;
    private int partitions = PARTITION_COUNT;
    private long maxMemoryBytes;
    private EvictionPolicy eviction;
    private int maxFrameLength;
    private int maxConnections;
    private int maxConnectionsPerIp;
    private long readTimeoutMs;
    private long writeTimeoutMs;
    private double backpressureLow;
    private double backpressureHigh;
    private long outboundBudgetBytes;
    private long queueDelayBudgetMs;
    private long acceptThrottleMs;
    private int connectionBufferLength;
    private long connectionSpillBytes;
    private long partialFrameBudgetBytes;
    private long connectionMemoryBytes;
    private int executorQueueLength;
    private long drainTimeoutMs;
    private final ClusterContext cluster = new ClusterContext();
    private EpochClock epochClock = SystemEpochClock.INSTANCE;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private final CachedNanoClock cachedNanoClock = new CachedNanoClock();
    private NodeLog log;
    private boolean concluded;

    /** Creates a context holding every {@link Setting}'s default, parsed as any other source would be. */
    public ServerContext() {
        for (final Setting setting : Setting.values()) {
            setting.apply(this, setting.defaultValue());
        }
    }

    /**
     * Resolves automatic values (executors, I/O threads, executor queue, WAL directory, the log on stderr over the
     * context's clocks, the cached clock's first reading) and checks the settings together; idempotent.
     *
     * @return this.
     * @throws ConfigException naming the first setting that does not fit.
     */
    public ServerContext conclude() {
        if (concluded) {
            return this;
        }
        final int processors = Runtime.getRuntime().availableProcessors();
        if (partitions < 1 || partitions > MAX_PARTITION_COUNT) {
            throw new ConfigException(Setting.PARTITIONS, Integer.toString(partitions),
                "must be 1 to " + MAX_PARTITION_COUNT);
        }
        if (executors == 0) {
            executors = Math.min(processors, partitions);
        }
        if (executors > partitions) {
            throw new ConfigException(Setting.EXECUTORS, Integer.toString(executors),
                "more executors than partitions (" + partitions + "): some would own none");
        }
        walDir = walDir == null ? dataDir.resolve("wal") : walDir;
        log = log == null ? new NodeLog(System.err, epochClock, nanoClock) : log;
        cachedNanoClock.update(nanoClock.nanoTime());
        if (backpressureLow >= backpressureHigh) {
            throw new ConfigException(Setting.BACKPRESSURE_LOW, Double.toString(backpressureLow),
                "must be below backpressure.high (" + backpressureHigh + ")");
        }
        if (queueDelayBudgetMs < 1) {
            throw new ConfigException(Setting.QUEUE_DELAY_BUDGET, Long.toString(queueDelayBudgetMs),
                "must be at least 1ms");
        }
        if (maxMemoryBytes / executors < MIN_EXECUTOR_MEMORY_BYTES) {
            throw new ConfigException(Setting.MAX_MEMORY, Long.toString(maxMemoryBytes),
                "leaves less than " + MIN_EXECUTOR_MEMORY_BYTES + " bytes per executor (" + executors + ")");
        }
        if (walSegmentLength % 64 != 0) {
            throw new ConfigException(Setting.WAL_SEGMENT_SIZE, Integer.toString(walSegmentLength),
                "must be a multiple of 64 bytes");
        }
        if (!BitUtil.isPowerOfTwo(connectionBufferLength)) {
            throw new ConfigException(Setting.CONNECTION_BUFFER, Integer.toString(connectionBufferLength),
                "must be a power of two");
        }
        if (maxFrameLength < FrameHeaderDescriptor.HEADER_LENGTH) {
            throw new ConfigException(Setting.MAX_FRAME_LENGTH, Integer.toString(maxFrameLength), "too small");
        }
        if (connectionMemoryBytes < 2L * connectionBufferLength) {
            throw new ConfigException(Setting.CONNECTION_MEMORY, Long.toString(connectionMemoryBytes),
                "must hold at least two outbound rings of server.connection-buffer (" + connectionBufferLength + ")");
        }
        if (partialFrameBudgetBytes < maxFrameLength) {
            throw new ConfigException(Setting.PARTIAL_FRAME_BUDGET, Long.toString(partialFrameBudgetBytes),
                "must be at least protocol.max-frame-length (" + maxFrameLength + ")");
        }
        final int neededQueue = minExecutorQueueLength(maxFrameLength);
        if (executorQueueLength == 0) {
            executorQueueLength = neededQueue;
        } else if (!BitUtil.isPowerOfTwo(executorQueueLength) || executorQueueLength < neededQueue) {
            throw new ConfigException(Setting.EXECUTOR_QUEUE, Integer.toString(executorQueueLength),
                "must be a power of two of at least " + neededQueue + " bytes (8 x the largest request record)");
        }
        if (persistenceEnabled && walSegmentLength < 2L * maxFrameLength) {
            throw new ConfigException(Setting.WAL_SEGMENT_SIZE, Integer.toString(walSegmentLength),
                "must be at least twice protocol.max-frame-length (" + maxFrameLength + ")");
        }
        cluster.conclude(nodeName, persistenceEnabled, maxFrameLength, partitions);
        concluded = true;
        return this;
    }

    /**
     * The cluster settings ({@code cluster.*}); the members once concluded.
     *
     * @return the cluster part of this context.
     */
    public ClusterContext cluster() {
        return cluster;
    }

    /** @return the cluster's members after {@link #conclude()}, or null for a single node. */
    public ClusterMembers members() {
        return cluster.members();
    }

    /** @return the number of Raft groups. */
    public int raftGroups() {
        return cluster.raftGroups();
    }

    /**
     * The smallest executor request ring that carries a frame of the given length: Agrona rings take messages up
     * to an eighth of their capacity.
     *
     * @param maxFrameLength the largest frame in bytes.
     * @return a power of two in bytes.
     */
    public static int minExecutorQueueLength(final int maxFrameLength) {
        final long record = (long)RequestRecordDescriptor.FRAME_OFFSET + maxFrameLength;
        return (int)Math.max(64 * 1024, BitUtil.findNextPositivePowerOfTwo(8 * record));
    }

    /**
     * The protocol limits the node enforces: its frame length, the protocol's key and value limits.
     *
     * @return the limits.
     */
    public ProtocolLimits protocolLimits() {
        return new ProtocolLimits(maxFrameLength,
            Math.min(ProtocolLimits.DEFAULT_MAX_KEY_LENGTH, maxFrameLength),
            Math.min(ProtocolLimits.DEFAULT_MAX_VALUE_LENGTH, maxFrameLength));
    }

    /**
     * The store memory cap of one executor.
     *
     * @return bytes.
     */
    public long executorMemoryBytes() {
        return maxMemoryBytes / executors;
    }

    /**
     * The bytes an executor request ring takes, trailer included.
     *
     * @return bytes.
     */
    public int executorQueueBufferLength() {
        return executorQueueLength + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * Sets the node id reported to clients; the node's name becomes the number.
     *
     * @param nodeId the value, 0 to {@link NodeIdentity#MAX_NUMERIC_ID}.
     * @return this.
     */
    public ServerContext nodeId(final int nodeId) {
        return nodeName(String.valueOf(nodeId));
    }

    /**
     * Sets the node's name ({@link NodeIdentity#parseName}: e.g. {@code single-node}, {@code loomcache-0}, {@code 3})
     * and with it the compact id the wire carries ({@link NodeIdentity#compactId}).
     *
     * @param nodeName the name.
     * @return this.
     */
    public ServerContext nodeName(final String nodeName) {
        this.nodeName = NodeIdentity.parseName(nodeName);
        this.nodeId = NodeIdentity.compactId(this.nodeName);
        return this;
    }

    /**
     * The node's name, as configured.
     *
     * @return the name.
     */
    public String nodeName() {
        return nodeName;
    }

    /**
     * The node id reported to clients.
     *
     * @return the value.
     */
    public int nodeId() {
        return nodeId;
    }

    /**
     * Sets the binary protocol port, 0 for ephemeral.
     *
     * @param serverPort the value.
     * @return this.
     */
    public ServerContext serverPort(final int serverPort) {
        this.serverPort = serverPort;
        return this;
    }

    /**
     * The binary protocol port, 0 for ephemeral.
     *
     * @return the value.
     */
    public int serverPort() {
        return serverPort;
    }

    /**
     * Sets the address every listener binds.
     *
     * @param bindAddress the value.
     * @return this.
     */
    public ServerContext bindAddress(final String bindAddress) {
        this.bindAddress = bindAddress;
        return this;
    }

    /**
     * The address every listener binds.
     *
     * @return the value.
     */
    public String bindAddress() {
        return bindAddress;
    }

    /**
     * Sets the Redis (RESP) port, 0 for ephemeral, {@link #RESP_OFF} for none.
     *
     * @param respPort the value.
     * @return this.
     */
    public ServerContext respPort(final int respPort) {
        this.respPort = respPort;
        return this;
    }

    /**
     * The Redis (RESP) port, 0 for ephemeral, {@link #RESP_OFF} for none.
     *
     * @return the value.
     */
    public int respPort() {
        return respPort;
    }

    /**
     * Sets the HTTP /health port, 0 for ephemeral.
     *
     * @param healthPort the value.
     * @return this.
     */
    public ServerContext healthPort(final int healthPort) {
        this.healthPort = healthPort;
        return this;
    }

    /**
     * The HTTP /health port, 0 for ephemeral.
     *
     * @return the value.
     */
    public int healthPort() {
        return healthPort;
    }

    /**
     * Sets the Prometheus /metrics port, 0 for ephemeral.
     *
     * @param metricsPort the value.
     * @return this.
     */
    public ServerContext metricsPort(final int metricsPort) {
        this.metricsPort = metricsPort;
        return this;
    }

    /**
     * The Prometheus /metrics port, 0 for ephemeral.
     *
     * @return the value.
     */
    public int metricsPort() {
        return metricsPort;
    }

    /**
     * Sets the whether writes go to the WAL and are recovered at start.
     *
     * @param persistenceEnabled the value.
     * @return this.
     */
    public ServerContext persistenceEnabled(final boolean persistenceEnabled) {
        this.persistenceEnabled = persistenceEnabled;
        return this;
    }

    /**
     * The whether writes go to the WAL and are recovered at start.
     *
     * @return the value.
     */
    public boolean persistenceEnabled() {
        return persistenceEnabled;
    }

    /**
     * Sets the data directory.
     *
     * @param dataDir the value.
     * @return this.
     */
    public ServerContext dataDir(final Path dataDir) {
        this.dataDir = dataDir;
        return this;
    }

    /**
     * The data directory.
     *
     * @return the value.
     */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Sets the WAL directory, null for dataDir/wal.
     *
     * @param walDir the value.
     * @return this.
     */
    public ServerContext walDir(final Path walDir) {
        this.walDir = walDir;
        return this;
    }

    /**
     * The WAL directory, null for dataDir/wal.
     *
     * @return the value.
     */
    public Path walDir() {
        return walDir;
    }

    /**
     * Sets the WAL fsync policy, which decides what an acknowledgement means.
     *
     * @param walFsync the value.
     * @return this.
     */
    public ServerContext walFsync(final FsyncPolicy walFsync) {
        this.walFsync = walFsync;
        return this;
    }

    /**
     * The WAL fsync policy, which decides what an acknowledgement means.
     *
     * @return the value.
     */
    public FsyncPolicy walFsync() {
        return walFsync;
    }

    /**
     * Sets the fsync period in ms of the INTERVAL policy.
     *
     * @param walFsyncIntervalMs the value.
     * @return this.
     */
    public ServerContext walFsyncIntervalMs(final long walFsyncIntervalMs) {
        this.walFsyncIntervalMs = walFsyncIntervalMs;
        return this;
    }

    /**
     * The fsync period in ms of the INTERVAL policy.
     *
     * @return the value.
     */
    public long walFsyncIntervalMs() {
        return walFsyncIntervalMs;
    }

    /**
     * Sets the WAL segment file length in bytes.
     *
     * @param walSegmentLength the value.
     * @return this.
     */
    public ServerContext walSegmentLength(final int walSegmentLength) {
        this.walSegmentLength = walSegmentLength;
        return this;
    }

    /**
     * The WAL segment file length in bytes.
     *
     * @return the value.
     */
    public int walSegmentLength() {
        return walSegmentLength;
    }

    /**
     * Sets the WAL records between snapshots of an executor's store, 0 for never.
     *
     * @param snapshotEvery the value.
     * @return this.
     */
    public ServerContext snapshotEvery(final int snapshotEvery) {
        this.snapshotEvery = snapshotEvery;
        return this;
    }

    /**
     * The WAL records between snapshots of an executor's store, 0 for never.
     *
     * @return the value.
     */
    public int snapshotEvery() {
        return snapshotEvery;
    }

    /**
     * Sets the transport name: nio, netty (the best of io_uring, epoll, NIO), netty-io_uring or netty-epoll.
     *
     * @param transport the value.
     * @return this.
     */
    public ServerContext transport(final String transport) {
        this.transport = transport;
        return this;
    }

    /**
     * The transport name: nio, netty, netty-io_uring or netty-epoll.
     *
     * @return the value.
     */
    public String transport() {
        return transport;
    }

    /**
     * Sets the partition count: a key's partition is its hash modulo it; executors and Raft groups are spread over
     * the partitions, so neither may outnumber them. The same on every member and across restarts.
     *
     * @param partitions 1 to {@link #MAX_PARTITION_COUNT}.
     * @return this.
     */
    public ServerContext partitions(final int partitions) {
        this.partitions = partitions;
        return this;
    }

    /**
     * The partition count.
     *
     * @return the value.
     */
    public int partitions() {
        return partitions;
    }

    /**
     * Sets the partition executor count, 0 for the available processors.
     *
     * @param executors the value.
     * @return this.
     */
    public ServerContext executors(final int executors) {
        this.executors = executors;
        return this;
    }

    /**
     * The partition executor count, 0 for the available processors.
     *
     * @return the value.
     */
    public int executors() {
        return executors;
    }

    /**
     * Sets the store memory cap of the node in bytes, split across executors.
     *
     * @param maxMemoryBytes the value.
     * @return this.
     */
    public ServerContext maxMemoryBytes(final long maxMemoryBytes) {
        this.maxMemoryBytes = maxMemoryBytes;
        return this;
    }

    /**
     * The store memory cap of the node in bytes, split across executors.
     *
     * @return the value.
     */
    public long maxMemoryBytes() {
        return maxMemoryBytes;
    }

    /**
     * Sets the eviction policy of every store.
     *
     * @param eviction the value.
     * @return this.
     */
    public ServerContext eviction(final EvictionPolicy eviction) {
        this.eviction = eviction;
        return this;
    }

    /**
     * The eviction policy of every store.
     *
     * @return the value.
     */
    public EvictionPolicy eviction() {
        return eviction;
    }

    /**
     * Sets the largest accepted frame in bytes, header included.
     *
     * @param maxFrameLength the value.
     * @return this.
     */
    public ServerContext maxFrameLength(final int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
        return this;
    }

    /**
     * The largest accepted frame in bytes, header included.
     *
     * @return the value.
     */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * Sets the open connection cap of the node.
     *
     * @param maxConnections the value.
     * @return this.
     */
    public ServerContext maxConnections(final int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * The open connection cap of the node.
     *
     * @return the value.
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Sets the open connection cap per remote IP: per IPv4 address, per IPv6 /64 prefix.
     *
     * @param maxConnectionsPerIp the value.
     * @return this.
     */
    public ServerContext maxConnectionsPerIp(final int maxConnectionsPerIp) {
        this.maxConnectionsPerIp = maxConnectionsPerIp;
        return this;
    }

    /**
     * The open connection cap per remote IP: per IPv4 address, per IPv6 /64 prefix.
     *
     * @return the value.
     */
    public int maxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    /**
     * Sets the ms a started frame may take to complete (slowloris deadline).
     *
     * @param readTimeoutMs the value.
     * @return this.
     */
    public ServerContext readTimeoutMs(final long readTimeoutMs) {
        this.readTimeoutMs = readTimeoutMs;
        return this;
    }

    /**
     * The ms a started frame may take to complete (slowloris deadline).
     *
     * @return the value.
     */
    public long readTimeoutMs() {
        return readTimeoutMs;
    }

    /**
     * Sets the ms a write to a client may stay blocked before the connection is dropped.
     *
     * @param writeTimeoutMs the value.
     * @return this.
     */
    public ServerContext writeTimeoutMs(final long writeTimeoutMs) {
        this.writeTimeoutMs = writeTimeoutMs;
        return this;
    }

    /**
     * The ms a write to a client may stay blocked before the connection is dropped.
     *
     * @return the value.
     */
    public long writeTimeoutMs() {
        return writeTimeoutMs;
    }

    /**
     * Sets the low watermark as a load fraction.
     *
     * @param backpressureLow the value.
     * @return this.
     */
    public ServerContext backpressureLow(final double backpressureLow) {
        this.backpressureLow = backpressureLow;
        return this;
    }

    /**
     * The low watermark as a load fraction.
     *
     * @return the value.
     */
    public double backpressureLow() {
        return backpressureLow;
    }

    /**
     * Sets the high watermark as a load fraction.
     *
     * @param backpressureHigh the value.
     * @return this.
     */
    public ServerContext backpressureHigh(final double backpressureHigh) {
        this.backpressureHigh = backpressureHigh;
        return this;
    }

    /**
     * The high watermark as a load fraction.
     *
     * @return the value.
     */
    public double backpressureHigh() {
        return backpressureHigh;
    }

    /**
     * Sets the unsent response bytes of all connections that count as load 1.0.
     *
     * @param outboundBudgetBytes the value.
     * @return this.
     */
    public ServerContext outboundBudgetBytes(final long outboundBudgetBytes) {
        this.outboundBudgetBytes = outboundBudgetBytes;
        return this;
    }

    /**
     * The unsent response bytes of all connections that count as load 1.0.
     *
     * @return the value.
     */
    public long outboundBudgetBytes() {
        return outboundBudgetBytes;
    }

    /**
     * Sets the executor queueing delay that counts as load 1.0, in ms.
     *
     * @param queueDelayBudgetMs the value, at least 1.
     * @return this.
     */
    public ServerContext queueDelayBudgetMs(final long queueDelayBudgetMs) {
        this.queueDelayBudgetMs = queueDelayBudgetMs;
        return this;
    }

    /**
     * The executor queueing delay that counts as load 1.0, in ms.
     *
     * @return the value.
     */
    public long queueDelayBudgetMs() {
        return queueDelayBudgetMs;
    }

    /**
     * The executor queueing delay that counts as load 1.0, in ns.
     *
     * @return the value.
     */
    public long queueDelayBudgetNs() {
        return queueDelayBudgetMs * 1_000_000L;
    }

    /**
     * Sets the ms between accepts while the load is between the watermarks.
     *
     * @param acceptThrottleMs the value.
     * @return this.
     */
    public ServerContext acceptThrottleMs(final long acceptThrottleMs) {
        this.acceptThrottleMs = acceptThrottleMs;
        return this;
    }

    /**
     * The ms between accepts while the load is between the watermarks.
     *
     * @return the value.
     */
    public long acceptThrottleMs() {
        return acceptThrottleMs;
    }

    /**
     * Sets the outbound ring bytes per connection, a power of two.
     *
     * @param connectionBufferLength the value.
     * @return this.
     */
    public ServerContext connectionBufferLength(final int connectionBufferLength) {
        this.connectionBufferLength = connectionBufferLength;
        return this;
    }

    /**
     * The outbound ring bytes per connection, a power of two.
     *
     * @return the value.
     */
    public int connectionBufferLength() {
        return connectionBufferLength;
    }

    /**
     * Sets the unsent bytes past a full ring before the connection is dropped.
     *
     * @param connectionSpillBytes the value.
     * @return this.
     */
    public ServerContext connectionSpillBytes(final long connectionSpillBytes) {
        this.connectionSpillBytes = connectionSpillBytes;
        return this;
    }

    /**
     * The unsent bytes past a full ring before the connection is dropped.
     *
     * @return the value.
     */
    public long connectionSpillBytes() {
        return connectionSpillBytes;
    }

    /**
     * Sets the direct memory leased to busy connections (see {@link Setting#CONNECTION_MEMORY}).
     *
     * @param connectionMemoryBytes the value.
     * @return this.
     */
    public ServerContext connectionMemoryBytes(final long connectionMemoryBytes) {
        this.connectionMemoryBytes = connectionMemoryBytes;
        return this;
    }

    /**
     * The direct memory leased to busy connections.
     *
     * @return bytes.
     */
    public long connectionMemoryBytes() {
        return connectionMemoryBytes;
    }

    /**
     * Sets the bytes all partially received frames of the node may hold (see {@link Setting#PARTIAL_FRAME_BUDGET}).
     *
     * @param partialFrameBudgetBytes the value, at least the max frame length.
     * @return this.
     */
    public ServerContext partialFrameBudgetBytes(final long partialFrameBudgetBytes) {
        this.partialFrameBudgetBytes = partialFrameBudgetBytes;
        return this;
    }

    /**
     * The bytes all partially received frames of the node may hold.
     *
     * @return the value.
     */
    public long partialFrameBudgetBytes() {
        return partialFrameBudgetBytes;
    }

    /**
     * Sets the request ring bytes per executor, a power of two, 0 for automatic.
     *
     * @param executorQueueLength the value.
     * @return this.
     */
    public ServerContext executorQueueLength(final int executorQueueLength) {
        this.executorQueueLength = executorQueueLength;
        return this;
    }

    /**
     * The request ring bytes per executor, a power of two, 0 for automatic.
     *
     * @return the value.
     */
    public int executorQueueLength() {
        return executorQueueLength;
    }

    /**
     * Sets the ms in-flight requests get to finish at shutdown.
     *
     * @param drainTimeoutMs the value.
     * @return this.
     */
    public ServerContext drainTimeoutMs(final long drainTimeoutMs) {
        this.drainTimeoutMs = drainTimeoutMs;
        return this;
    }

    /**
     * The ms in-flight requests get to finish at shutdown.
     *
     * @return the value.
     */
    public long drainTimeoutMs() {
        return drainTimeoutMs;
    }

    /**
     * Sets the clock for TTLs and deadlines (tests inject one).
     *
     * @param epochClock the value.
     * @return this.
     */
    public ServerContext epochClock(final EpochClock epochClock) {
        this.epochClock = epochClock;
        return this;
    }

    /**
     * The clock for TTLs and deadlines (tests inject one).
     *
     * @return the value.
     */
    public EpochClock epochClock() {
        return epochClock;
    }

    /**
     * Sets the monotonic clock of queueing delays, latencies and deadlines (tests inject one; it should read well
     * above 1 ms, as a deadline stamp of 0 ms means none).
     *
     * @param nanoClock the value.
     * @return this.
     */
    public ServerContext nanoClock(final NanoClock nanoClock) {
        this.nanoClock = nanoClock;
        return this;
    }

    /**
     * The monotonic clock of queueing delays, latencies and deadlines; any thread.
     *
     * @return the value.
     */
    public NanoClock nanoClock() {
        return nanoClock;
    }

    /**
     * {@link #nanoClock()} as read once per duty cycle by the node's conductor (Aeron's cached clock): what
     * connection threads read for millisecond deadlines instead of the clock itself. Any thread.
     *
     * @return the value.
     */
    public CachedNanoClock cachedNanoClock() {
        return cachedNanoClock;
    }

    /**
     * Sets the node's log (tests capture one); by default {@link #conclude()} makes one on stderr.
     *
     * @param log the value.
     * @return this.
     */
    public ServerContext log(final NodeLog log) {
        this.log = log;
        return this;
    }

    /**
     * The node's log and error handler: every part logs and reports errors through it, never a static logger.
     *
     * @return the log, null before {@link #conclude()} unless set.
     */
    public NodeLog log() {
        return log;
    }
}
