package io.loomcache.server.executor;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import io.loomcache.protocol.KeySlot;
import io.loomcache.raft.Transport;
import io.loomcache.server.GuardedAgent;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.config.Setting;
import io.loomcache.server.connection.ConnectionRegistry;
import io.loomcache.server.log.NodeLog;
import io.loomcache.server.log.NodeLog.Component;
import io.loomcache.server.metrics.ServerMetrics;
import io.loomcache.store.StoreContext;
import io.loomcache.wal.WalContext;
import io.loomcache.wal.WriteAheadLog;

/**
 * The node's partition executors: builds each {@link PartitionAgent} with its request ring, store and WAL
 * (under {@code walDir/executor-N}), recovers the stores, runs each agent on a thread of its own
 * ({@link #start()}) or on a transport's event loop ({@link #startOn}), and stops them. The WAL directory records
 * the executor count in {@code layout.properties}: a node restarted with another count refuses to start instead of
 * losing keys to the wrong executor. Thread-safe after {@link #start()}.
 */
public final class ExecutorGroup implements AutoCloseable {
    private static final String LAYOUT_FILE = "layout.properties";
    /** How keys are placed, written in the layout file: partition = Redis Cluster slot range ({@link KeySlot}). */
    public static final String PARTITIONER = "redis-slots";
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long CLOSE_TIMEOUT_S = 10;

    private final List<PartitionAgent> agents;
    private final ManyToOneRingBuffer[] rings;
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<HostedExecutor> hosted = new ArrayList<>();
    private final NodeLog log;
    private boolean closed;
    private volatile boolean readOnly;
    private final int raftGroups;
    private final int partitions;

    private ExecutorGroup(final List<PartitionAgent> agents, final NodeLog log, final int raftGroups,
        final int partitions) {
        this.partitions = partitions;
        this.log = log;
        this.raftGroups = raftGroups;
        this.agents = Collections.unmodifiableList(agents);
        this.rings = new ManyToOneRingBuffer[agents.size()];
        for (int i = 0; i < rings.length; i++) {
            rings[i] = agents.get(i).requests();
        }
    }

    /**
     * Builds and recovers every executor; nothing runs yet.
     *
     * @param context the concluded node configuration.
     * @param registry the node's connections.
     * @param fanOut the node's fan-out table.
     * @param metrics the node's metrics.
     * @return the group.
     * @throws IOException when a WAL or snapshot cannot be opened or read.
     */
    public static ExecutorGroup create(
        final ServerContext context,
        final ConnectionRegistry registry,
        final FanOutTable fanOut,
        final ServerMetrics metrics) throws IOException {
        return create(context, registry, fanOut, metrics, null);
    }

    /**
     * Builds the executors of a node; in a cluster each hosts its Raft groups (group g on executor g % executors)
     * and keys are routed by group, so that a group's partitions share one executor whatever the executor count.
     *
     * @param context the node's configuration.
     * @param registry the node's connections.
     * @param fanOut the node's fan-out table.
     * @param metrics the node's metrics.
     * @param peers the cluster's peer links, or null for a single node.
     * @return the group.
     * @throws IOException when a WAL, a Raft log or a snapshot cannot be opened or read.
     */
    public static ExecutorGroup create(
        final ServerContext context,
        final ConnectionRegistry registry,
        final FanOutTable fanOut,
        final ServerMetrics metrics,
        final Transport peers) throws IOException {
        if (context.persistenceEnabled() && context.members() == null) {
            checkLayout(context.walDir(), context.executors(), context.partitions());
        }
        final List<PartitionAgent> agents = new ArrayList<>();
        try {
            for (int i = 0; i < context.executors(); i++) {
                final ResponseDelivery delivery = new ResponseDelivery(registry, fanOut, metrics,
                    metrics.newLatencyRecorder(), context.nanoClock());
                if (peers == null) {
                    agents.add(createAgent(context, i, delivery));
                } else {
                    final PartitionAgent agent = new PartitionAgent(i, newRing(context), newStore(context), null,
                        context, delivery, peers);
                    agents.add(agent);
                    agent.openGroups();
                }
            }
        } catch (final IOException | RuntimeException ex) {
            for (final PartitionAgent agent : agents) {
                agent.onClose();
            }
            throw ex;
        }
        return new ExecutorGroup(agents, context.log(), peers == null ? 0 : context.raftGroups(),
            context.partitions());
    }

    private static ManyToOneRingBuffer newRing(final ServerContext context) {
        return new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(
            context.executorQueueBufferLength())));
    }

    private static ExecutorStore newStore(final ServerContext context) {
        return ExecutorStore.create(new StoreContext()
            .maxMemoryBytes(context.executorMemoryBytes())
            .maxKeyLength(context.protocolLimits().maxKeyLength())
            .maxValueLength(context.protocolLimits().maxValueLength())
            .evictionPolicy(context.eviction()), context.epochClock(), context.nanoClock());
    }

    /**
     * Builds one executor: its ring, its store and, with persistence, its WAL, from which the store is recovered.
     * When recovery dropped entries that no tombstone covers (entries that expired while the node was down, or
     * entries evicted because the data no longer fits a smaller memory cap), a snapshot of the recovered store is
     * written at once, so that they stay gone at the next start too, even if the wall clock was set back in between.
     *
     * @param context the concluded node configuration.
     * @param index the executor index.
     * @param delivery hands staged responses to connections.
     * @return the executor, not running yet.
     * @throws IOException when the WAL or a snapshot cannot be opened or read, or recovery refused (see
     *     {@link StoreRecovery}).
     */
    static PartitionAgent createAgent(
        final ServerContext context, final int index, final ResponseDelivery delivery) throws IOException {
        final ManyToOneRingBuffer ring = newRing(context);
        final ExecutorStore store = newStore(context);
        WriteAheadLog log = null;
        if (context.persistenceEnabled()) {
            final Path directory = context.walDir().resolve("executor-" + index);
            try {
                log = WriteAheadLog.open(new WalContext()
                    .directory(directory)
                    .segmentLength(context.walSegmentLength())
                    .fsyncPolicy(context.walFsync())
                    .fsyncIntervalMs(context.walFsyncIntervalMs())
                    .epochClock(context.epochClock()));
                final StoreRecovery recovery = new StoreRecovery(store.store(), store.clock(), directory.toString(),
                    limits(context));
                recovery.recover(log);
                final long evicted = store.dropped().evictions();
                final long expired = store.dropped().expirations() + recovery.expiredEntries();
                context.log().info(Component.EXECUTOR, "executor-" + index + " recovered " +
                    recovery.snapshotEntries() + " snapshot entries and " + recovery.replayedRecords() +
                    " WAL records, " + store.store().size() + " entries live, " + expired + " expired, " +
                    store.store().nativeBytesReserved() + " bytes reserved of " + context.executorMemoryBytes() +
                    (evicted == 0 ? "" : ", " + evicted + " evicted: the data needs more than " + limits(context)));
                if (evicted + expired > 0) {
                    final long lastIndex = log.lastAppendedIndex();
                    log.writeSnapshot(lastIndex, 0, new StoreSnapshotWriter(store.store()));
                    log.deleteSegmentsUpTo(lastIndex);
                }
            } catch (final IOException | RuntimeException ex) {
                if (log != null) {
                    log.close();
                }
                store.store().close();
                throw ex;
            }
        }
        return new PartitionAgent(index, ring, store, log, context, delivery);
    }

    private static String limits(final ServerContext context) {
        return Setting.MAX_MEMORY.flag() + " " + context.maxMemoryBytes() + " (" + context.executorMemoryBytes() +
            " bytes per executor) with " + Setting.EVICTION.flag() + " " +
            context.eviction().name().toLowerCase(Locale.ROOT) + " and " + Setting.MAX_FRAME_LENGTH.flag() + " " +
            context.maxFrameLength();
    }

    private static void checkLayout(final Path walDir, final int executors, final int partitions)
        throws IOException {
        Files.createDirectories(walDir);
        final Path file = walDir.resolve(LAYOUT_FILE);
        final Properties layout = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                layout.load(reader);
            }
            final String written = layout.getProperty("executors");
            if (!PARTITIONER.equals(layout.getProperty("partitioner"))) {
                throw new IllegalStateException("the WAL in " + walDir + " was written by an older LoomCache that " +
                    "placed keys by another hash (before keys were placed by Redis Cluster slot); this version " +
                    "cannot read its keys back where it looks for them: move the data directory away (or delete " +
                    "it) and start again");
            }
            if (!Integer.toString(executors).equals(written) ||
                !Integer.toString(partitions).equals(layout.getProperty("partitions"))) {
                throw new IllegalStateException("the WAL in " + walDir + " was written by " + written +
                    " executors over " + layout.getProperty("partitions") + " partitions; start with "
                    + "LOOMCACHE_EXECUTORS=" + written + " and LOOMCACHE_PARTITIONS=" + layout.getProperty("partitions")
                    + " (keys are placed by partition and executor)");
            }
            return;
        }
        layout.setProperty("partitioner", PARTITIONER);
        layout.setProperty("executors", Integer.toString(executors));
        layout.setProperty("partitions", Integer.toString(partitions));
        final Path temporary = walDir.resolve(LAYOUT_FILE + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            layout.store(writer, "LoomCache WAL layout: keys are placed by executor = partition % executors");
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Starts one thread per executor: each runs its executor's duty cycle and parks when idle (transport threads
     * run most requests inline and wake it for what they queue).
     */
    public void start() {
        for (final PartitionAgent agent : agents) {
            final ErrorHandler errors = log.errorHandler(Component.EXECUTOR, agent.roleName());
            final ExecutorIdleStrategy idle = new ExecutorIdleStrategy(agent, MAX_PARK_NS);
            agent.waker(idle::wake);
            final AgentRunner runner = new AgentRunner(idle, errors, null, new GuardedAgent(agent, errors));
            AgentRunner.startOnThread(runner, task -> {
                final Thread thread = new Thread(task, agent.roleName());
                thread.setDaemon(true);
                return thread;
            });
            runners.add(runner);
        }
    }

    /**
     * Starts the executors on a transport's event loops instead of threads of their own (thread-per-core):
     * executor i lives on loop i, which runs its duty cycle every millisecond and when woken; the loop's
     * connections run their requests inline.
     *
     * @param loops one event loop per executor, in executor order.
     */
    public void startOn(final List<? extends ScheduledExecutorService> loops) {
        if (loops.size() != agents.size()) {
            throw new IllegalArgumentException(loops.size() + " event loops for " + agents.size() + " executors");
        }
        for (int i = 0; i < agents.size(); i++) {
            final PartitionAgent agent = agents.get(i);
            final ErrorHandler errors = log.errorHandler(Component.EXECUTOR, agent.roleName());
            final HostedExecutor hosted = new HostedExecutor(new GuardedAgent(agent, errors), loops.get(i));
            agent.waker(hosted::wake);
            hosted.start();
            this.hosted.add(hosted);
        }
    }

    /**
     * The executor owning a key.
     *
     * @param key buffer holding the key.
     * @param offset of the key.
     * @param length of the key.
     * @return the executor index.
     */
    public int executorFor(final DirectBuffer key, final int offset, final int length) {
        final int partition = PartitionRouter.partition(key, offset, length, partitions);
        return PartitionRouter.executor(raftGroups == 0 ? partition : partition % raftGroups, rings.length);
    }

    /**
     * The executor hosting a Raft group on this node.
     *
     * @param group a group id.
     * @return the executor.
     */
    public PartitionAgent agentForGroup(final int group) {
        return agents.get(group % agents.size());
    }

    /**
     * The number of Raft groups keys are routed by.
     *
     * @return 0 for a single node.
     */
    public int raftGroups() {
        return raftGroups;
    }

    /**
     * The executor of an executor index.
     *
     * @param index 0 to count - 1.
     * @return the executor.
     */
    public PartitionAgent agent(final int index) {
        return agents.get(index);
    }

    /**
     * An executor's request ring; any thread may write.
     *
     * @param index the executor.
     * @return the ring.
     */
    public ManyToOneRingBuffer ring(final int index) {
        return rings[index];
    }

    /**
     * The executor count.
     *
     * @return the count.
     */
    public int count() {
        return rings.length;
    }

    /**
     * The executors, for metrics and health.
     *
     * @return an unmodifiable list.
     */
    public List<PartitionAgent> agents() {
        return agents;
    }

    /**
     * Whether any WAL failed; once one has, latches the node {@link #readOnly()}. The conductor asks every duty
     * cycle; any thread; allocation-free.
     *
     * @return true once one failed.
     */
    public boolean anyWalFailed() {
        for (int i = 0, size = agents.size(); !readOnly && i < size; i++) {
            if (agents.get(i).walFailed()) {
                readOnly = true;
            }
        }
        return readOnly;
    }

    /**
     * Whether the node refuses writes until restart because a WAL failed (as latched by {@link #anyWalFailed()}):
     * what a connection checks before it dispatches a write. Any thread; one volatile read.
     *
     * @return true once read-only.
     */
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * The longest queueing delay any executor saw in its last duty cycle.
     *
     * @return nanoseconds.
     */
    public long maxQueueDelayNs() {
        long max = 0;
        for (int i = 0, size = agents.size(); i < size; i++) {
            max = Math.max(max, agents.get(i).queueDelayNs());
        }
        return max;
    }

    /**
     * The fullest request ring's occupancy.
     *
     * @return a fraction in [0, 1].
     */
    public double maxQueueFraction() {
        double max = 0;
        for (final ManyToOneRingBuffer ring : rings) {
            max = Math.max(max, (double)ring.size() / ring.capacity());
        }
        return max;
    }

    /**
     * Why an executor no longer runs although the group is open (its thread ended): for /health. Any thread.
     *
     * @return the reason, or null while every executor runs (or before start, or after close).
     */
    public String failure() {
        if (closed) {
            return null;
        }
        for (final AgentRunner runner : runners) {
            final Thread thread = runner.thread();
            if (thread != null && !thread.isAlive()) {
                return runner.agent().roleName() + " stopped";
            }
        }
        for (int i = 0; i < hosted.size(); i++) {
            if (hosted.get(i).loop().isShutdown()) {
                return agents.get(i).roleName() + " stopped: its event loop shut down";
            }
        }
        return null;
    }

    /**
     * Stops every executor thread; each forces and closes its WAL and frees its store on its own thread.
     * Executors never started are closed on the caller's thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!hosted.isEmpty()) {
            closeHosted();
            return;
        }
        if (runners.isEmpty()) {
            for (final PartitionAgent agent : agents) {
                agent.onClose();
            }
            return;
        }
        for (final AgentRunner runner : runners) {
            runner.close();
        }
        runners.clear();
    }

    /**
     * Closes each hosted executor on its event loop (its home thread), or here when the loop no longer runs.
     */
    private void closeHosted() {
        for (int i = 0; i < hosted.size(); i++) {
            final HostedExecutor executor = hosted.get(i);
            final PartitionAgent agent = agents.get(i);
            executor.stop();
            try {
                executor.loop().submit(agent::onClose).get(CLOSE_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                agent.onClose();
            } catch (final ExecutionException | TimeoutException | RejectedExecutionException ex) {
                agent.onClose();
            }
        }
        hosted.clear();
    }
}
