package io.loomcache.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingIdleStrategy;

import io.loomcache.raft.RaftNode;
import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.server.cluster.ClusterMembers;
import io.loomcache.server.cluster.PeerLinks;
import io.loomcache.server.config.NodeMemory;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionBuffers;
import io.loomcache.server.connection.ConnectionLimiter;
import io.loomcache.server.connection.ConnectionRegistry;
import io.loomcache.server.connection.ConnectionServices;
import io.loomcache.server.connection.FrameAssemblyPool;
import io.loomcache.server.executor.ExecutorGroup;
import io.loomcache.server.executor.FanOutTable;
import io.loomcache.server.executor.PartitionAgent;
import io.loomcache.server.executor.ReplicatedPartitions;
import io.loomcache.server.executor.ResponseDelivery;
import io.loomcache.server.http.HttpEndpoint;
import io.loomcache.server.log.NodeLog;
import io.loomcache.server.log.NodeLog.Component;
import io.loomcache.server.metrics.ServerMetrics;
import io.loomcache.server.resp.PubSub;
import io.loomcache.server.transport.NettyTransport;
import io.loomcache.server.transport.NioTransport;
import io.loomcache.server.transport.Transport;

/**
 * A running LoomCache node: HTTP health and metrics, the partition executors (recovered from their WALs), the
 * conductor and the configured transport. {@link #start} returns once the node serves; {@link #close} shuts it
 * down in logged phases: health DRAINING (503) and new requests refused with SHUTTING_DOWN, stop accepting, drain
 * in-flight requests up to the drain timeout, stop the executors (each forces and closes its WAL), close the
 * connections, stop HTTP. Thread-safe; close is idempotent.
 */
public final class LoomCacheNode implements AutoCloseable {
    /** The conductor parks 1 ms between cycles (a park, not Thread.sleep, which allocates on JDK 25). */
    private static final long CONDUCTOR_PARK_NS = 1_000_000L;
    /** Status: recovering, not serving yet. */
    public static final int STARTING = 0;
    /** Status: serving. */
    public static final int SERVING = 1;
    /** Status: shutting down. */
    public static final int DRAINING = 2;
    /** Status: stopped. */
    public static final int STOPPED = 3;
    private static final int FAN_OUT_SLOTS = 4096;
    private static final long DRAIN_POLL_NS = 1_000_000L;

    private final ServerContext context;
    private final NodeLog log;
    private final ServerMetrics metrics = new ServerMetrics();
    private final ConnectionRegistry registry;
    private final BackpressureController backpressure;
    private volatile int status = STARTING;
    private HttpEndpoint health;
    private HttpEndpoint metricsEndpoint;
    private ExecutorGroup executors;
    private Transport transport;
    private AgentRunner conductor;
    private FrameAssemblyPool assembly;
    private ConnectionBuffers connectionBuffers;
    private PeerLinks peers;
    private final List<ReplicatedPartitions.Group> raftGroups = new ArrayList<>();

    private LoomCacheNode(final ServerContext context) {
        this.context = context;
        this.log = context.log();
        this.registry = new ConnectionRegistry(context.maxConnections());
        this.backpressure = new BackpressureController(context.backpressureLow(), context.backpressureHigh());
    }

    /**
     * Starts a node and returns when it serves.
     *
     * @param context the configuration, concluded here.
     * @return the serving node.
     * @throws IOException when a port cannot be bound or a WAL cannot be recovered; nothing is left running.
     * @throws io.loomcache.server.config.ConfigException when a setting is invalid or the memory budgets do not fit
     *     this JVM ({@link NodeMemory}).
     */
    public static LoomCacheNode start(final ServerContext context) throws IOException {
        NodeMemory.check(context.conclude());
        final LoomCacheNode node = new LoomCacheNode(context);
        try {
            node.startParts();
        } catch (final IOException | RuntimeException ex) {
            node.close();
            throw ex;
        }
        return node;
    }

    private void startParts() throws IOException {
        final Supplier<HttpEndpoint.Response> readiness = () -> HealthReport.report(this);
        health = new HttpEndpoint(context, Map.of("/health", readiness, "/health/ready", readiness,
            "/health/live", () -> HealthReport.liveness(this), "/cluster", () -> HealthReport.cluster(this)),
            context.healthPort(), "loomcache-health");
        metricsEndpoint = new HttpEndpoint(context, Map.of("/metrics", () -> new HttpEndpoint.Response(200,
            "text/plain; version=0.0.4; charset=utf-8", metrics.scrape())), context.metricsPort(),
            "loomcache-metrics");
        final FanOutTable fanOut = new FanOutTable(FAN_OUT_SLOTS);
        if (context.members() != null) {
            peers = new PeerLinks(context.members(), context.cluster().fingerprint(), context.maxFrameLength(),
                context.bindAddress(), log);
        }
        executors = ExecutorGroup.create(context, registry, fanOut, metrics, peers);
        for (final PartitionAgent agent : executors.agents()) {
            if (agent.replicated() != null) {
                raftGroups.addAll(agent.replicated().groups());
            }
        }
        raftGroups.sort(Comparator.comparingInt(ReplicatedPartitions.Group::id));
        if (peers != null) {
            bindClusterMetrics();
        }
        metrics.bindExecutors(executors.agents(), context.eviction().name().toLowerCase(Locale.ROOT));
        metrics.gauge("loomcache.connections", "open client connections", registry, ConnectionRegistry::count);
        metrics.gauge("loomcache.backpressure.level", "0 normal, 1 throttled, 2 busy, 3 shutting down",
            backpressure, BackpressureController::level);
        metrics.gauge("loomcache.backpressure.load", "load fraction fed to the watermarks", backpressure,
            BackpressureController::load);
        assembly = new FrameAssemblyPool(context.partialFrameBudgetBytes(),
            context.maxFrameLength());
        metrics.gauge("loomcache.partial.frame.bytes", "bytes of split frames being assembled", assembly,
            FrameAssemblyPool::leasedBytes);
        metrics.gauge("loomcache.partial.frame.budget.bytes", "budget of the bytes of split frames", assembly,
            FrameAssemblyPool::budgetBytes);
        metrics.counter("loomcache.partial.frame.refusals", "split frames refused (SERVER_BUSY) for want of budget",
            assembly, FrameAssemblyPool::refusals);
        connectionBuffers = new ConnectionBuffers(context.connectionBufferLength(), context.connectionMemoryBytes());
        metrics.gauge("loomcache.connection.memory.bytes", "direct memory leased to busy connections",
            connectionBuffers, ConnectionBuffers::leasedBytes);
        metrics.gauge("loomcache.connection.memory.budget.bytes", "budget of the memory leased to connections",
            connectionBuffers, ConnectionBuffers::budgetBytes);
        metrics.counter("loomcache.connection.memory.refusals",
            "leases refused for want of connection memory (requests answered SERVER_BUSY)", connectionBuffers,
            ConnectionBuffers::refusals);
        final ConnectionServices services = new ConnectionServices(context, registry,
            new ConnectionLimiter(context.maxConnectionsPerIp()), executors, fanOut, backpressure, metrics,
            assembly, connectionBuffers, peers, new PubSub());
        metrics.bindErrors(log);
        final ErrorHandler conductorErrors = log.errorHandler(Component.CONDUCTOR, "conductor");
        conductor = new AgentRunner(new SleepingIdleStrategy(CONDUCTOR_PARK_NS), conductorErrors, null,
            new GuardedAgent(new NodeConductor(context, registry, executors, backpressure, metrics,
                new ResponseDelivery(registry, fanOut, metrics, context.nanoClock())), conductorErrors));
        AgentRunner.startOnThread(conductor);
        transport = context.transport().startsWith("netty") ? new NettyTransport(services) :
            new NioTransport(services);
        transport.start();
        if (context.members() != null) {
            context.members().respPort(context.members().self().id(), transport.respPort());
        }
        if (peers != null) {
            peers.start();
        }
        status = SERVING;
        log.info(Component.NODE, "serving on " + context.bindAddress() + ":" + transport.port() + " node=" +
            context.nodeName() + (context.nodeName().equals(String.valueOf(context.nodeId())) ? "" :
            " (id " + context.nodeId() + ")") + " transport=" + transport.name() + " executors=" + executors.count() +
            " store=" + (executors.agent(0).hugePagesAdvised() ? "huge-pages" : "small-pages") +
            (context.members() == null ? "" : " cluster=" + context.members().size() + " members, " +
            context.raftGroups() + " raft groups, data=" + context.dataDir().resolve("raft")) +
            " persistence=" + (context.persistenceEnabled() ? "on fsync=" + context.walFsync() + " wal=" +
            context.walDir() : "off") + " health=:" + health.port() + "/health metrics=:" + metricsEndpoint.port() +
            "/metrics" + (transport.respPort() < 0 ? " redis=off" : " redis=:" + transport.respPort()));
    }

    /**
     * Shuts the node down in phases, logging each on one line; idempotent. Each phase runs whatever the ones before
     * it threw (a dead thread, an exhausted heap), so the executors always get to force and close their WALs.
     */
    @Override
    public synchronized void close() {
        if (status == STOPPED) {
            return;
        }
        if (status == SERVING && !raftGroups.isEmpty()) {
            phase("hand over leadership", this::handOverLeadership);
        }
        status = DRAINING;
        backpressure.shutdown();
        log.info(Component.NODE, "shutdown 1/5: health DRAINING, new requests refused with SHUTTING_DOWN");
        phase("stop accepting", () -> {
            if (transport != null) {
                transport.stopAccepting();
            }
        });
        log.info(Component.NODE, "shutdown 2/5: stopped accepting connections");
        final boolean[] drained = new boolean[1];
        phase("drain", () -> drained[0] = drain());
        log.info(Component.NODE, "shutdown 3/5: " + (drained[0] ? "in-flight requests drained" :
            "drain timeout " + context.drainTimeoutMs() + " ms reached, pending responses dropped"));
        phase("stop executors", () -> {
            if (executors != null) {
                executors.close();
            }
        });
        log.info(Component.NODE, "shutdown 4/5: executors stopped, WAL forced and closed");
        phase("close peer links", () -> {
            if (peers != null) {
                peers.close();
            }
        });
        phase("close connections", () -> {
            if (transport != null) {
                transport.close();
            }
        });
        phase("stop conductor", () -> {
            if (conductor != null) {
                conductor.close();
            }
        });
        phase("stop health", () -> {
            if (health != null) {
                health.close();
            }
        });
        phase("stop metrics", () -> {
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
            }
        });
        status = STOPPED;
        log.info(Component.NODE, "shutdown 5/5: connections closed, node stopped");
    }

    /**
     * Shutdown of a cluster member, before anything is refused: hands every group it leads to another member and
     * waits (up to twice the longest election timeout) until it leads none, so that clients are redirected instead
     * of waiting for an election.
     */
    private void handOverLeadership() {
        final long startNs = context.nanoClock().nanoTime();
        for (final PartitionAgent agent : executors.agents()) {
            agent.replicated().handOverLeadership();
            agent.wake();
        }
        final long timeoutNs = 4 * context.cluster().electionTimeoutMs() * 1_000_000L;
        int led;
        do {
            led = 0;
            for (final ReplicatedPartitions.Group group : raftGroups) {
                led += group.role() == RaftNode.ROLE_LEADER ? 1 : 0;
            }
            if (led > 0) {
                LockSupport.parkNanos(DRAIN_POLL_NS);
            }
        } while (led > 0 && context.nanoClock().nanoTime() - startNs < timeoutNs);
        final long ms = (context.nanoClock().nanoTime() - startNs) / 1_000_000L;
        log.info(Component.NODE, led == 0 ? "shutdown 0/5: leads no Raft group after " + ms + " ms (handed over)" :
            "shutdown 0/5: still leads " + led + " Raft group(s) after " + ms + " ms; the other members will elect");
    }

    private void phase(final String name, final Runnable action) {
        try {
            action.run();
        } catch (final Throwable ex) {
            log.error(Component.NODE, "shutdown: " + name, ex);
        }
    }

    private boolean drain() {
        final long deadlineNs = context.nanoClock().nanoTime() + context.drainTimeoutMs() * 1_000_000L;
        while (true) {
            boolean idle = true;
            for (int slot = 0, bound = registry.slotBound(); slot < bound && idle; slot++) {
                final Connection connection = registry.at(slot);
                idle = connection == null || connection.inFlight() <= 0 && connection.isOutboundEmpty();
            }
            if (idle) {
                return true;
            }
            if (context.nanoClock().nanoTime() - deadlineNs > 0) {
                return false;
            }
            LockSupport.parkNanos(DRAIN_POLL_NS);
        }
    }

    /**
     * The status.
     *
     * @return {@link #STARTING}, {@link #SERVING}, {@link #DRAINING} or {@link #STOPPED}.
     */
    public int status() {
        return status;
    }

    /**
     * The bound protocol port.
     *
     * @return the port.
     */
    public int port() {
        return transport.port();
    }

    /**
     * The bound Redis (RESP) port.
     *
     * @return the port, -1 when the node serves none.
     */
    public int respPort() {
        return transport.respPort();
    }

    /**
     * The bound health port.
     *
     * @return the port.
     */
    public int healthPort() {
        return health.port();
    }

    /**
     * The bound metrics port.
     *
     * @return the port.
     */
    public int metricsPort() {
        return metricsEndpoint.port();
    }

    /**
     * The node's meters.
     *
     * @return the metrics.
     */
    public ServerMetrics metrics() {
        return metrics;
    }

    /**
     * The configuration.
     *
     * @return the concluded context.
     */
    public ServerContext context() {
        return context;
    }

    /**
     * The running transport's name.
     *
     * @return the name, or "none" before it started.
     */
    public String transportName() {
        return transport == null ? "none" : transport.name();
    }

    /**
     * The open connections.
     *
     * @return the registry.
     */
    public ConnectionRegistry connections() {
        return registry;
    }

    /**
     * The admission controller.
     *
     * @return the controller.
     */
    public BackpressureController backpressure() {
        return backpressure;
    }

    /**
     * What keeps the node from serving although it should: a transport that cannot accept, an executor or the
     * conductor whose thread ended, a failed WAL, the partial-frame budget spent. Any thread; allocates.
     *
     * @return the problems, one readable line each; empty when healthy.
     */
    public List<String> problems() {
        final List<String> problems = fatalProblems();
        final FrameAssemblyPool pool = assembly;
        if (pool != null && pool.leasedBytes() > pool.budgetBytes() - context.maxFrameLength()) {
            problems.add("partial-frame budget spent: " + pool.leasedBytes() + " of " + pool.budgetBytes() +
                " bytes held by incomplete frames");
        }
        return problems;
    }

    /**
     * The problems only a restart cures: a transport that cannot accept, an executor or the conductor whose thread
     * ended, a failed WAL (what makes the node not live, as opposed to not ready). Any thread; allocates.
     *
     * @return the problems, one readable line each; empty when none.
     */
    public List<String> fatalProblems() {
        final List<String> problems = new ArrayList<>();
        final Transport running = transport;
        if (running != null && running.failure() != null) {
            problems.add("transport: " + running.failure());
        }
        if (executors != null && executors.failure() != null) {
            problems.add(executors.failure());
        }
        final AgentRunner housekeeping = conductor;
        if (status == SERVING && housekeeping != null && housekeeping.thread() != null &&
            !housekeeping.thread().isAlive()) {
            problems.add("conductor stopped: deadlines and backpressure are not enforced");
        }
        if (walFailed()) {
            problems.add("WAL failed: writes are refused until restart");
        }
        final String cluster = clusterProblem();
        if (cluster != null) {
            problems.add(cluster);
        }
        return problems;
    }

    /**
     * Why this cluster member is not ready, or null when it is (or is a single node): a Raft group it hosts with no
     * known leader. Reads published state; any thread.
     *
     * @return the problem, or null.
     */
    public String clusterProblem() {
        final StringBuilder leaderless = new StringBuilder();
        final StringBuilder failed = new StringBuilder();
        for (final ReplicatedPartitions.Group group : raftGroups) {
            if (group.role() == RaftNode.ROLE_FAILED) {
                failed.append(failed.isEmpty() ? "" : ",").append(group.id());
            } else if (group.leaderId() < 0) {
                leaderless.append(leaderless.isEmpty() ? "" : ",").append(group.id());
            }
        }
        if (!failed.isEmpty()) {
            return "cluster: raft groups stopped by a storage failure (full disk, failed fsync; see the log), this " +
                "member takes no part in them until restarted: " + failed +
                (leaderless.isEmpty() ? "" : "; without a known leader: " + leaderless);
        }
        return leaderless.isEmpty() ? null : "cluster: raft groups without a known leader: " + leaderless;
    }

    /**
     * The Raft groups this node hosts, by id; their getters are safe from any thread.
     *
     * @return the groups, empty on a single node.
     */
    public List<ReplicatedPartitions.Group> raftGroups() {
        return raftGroups;
    }

    /**
     * Whether the link to a peer is connected.
     *
     * @param memberId a member id.
     * @return true when connected.
     */
    public boolean peerLinked(final int memberId) {
        return peers != null && peers.connected(memberId);
    }

    private void bindClusterMetrics() {
        for (final ReplicatedPartitions.Group group : raftGroups) {
            final String id = Integer.toString(group.id());
            metrics.gauge("loomcache.raft.term", "current term of a Raft group on this node", group,
                g -> (double)g.term(), "group", id);
            metrics.gauge("loomcache.raft.commit.index", "commit index of a Raft group on this node", group,
                g -> (double)g.commitIndex(), "group", id);
            metrics.gauge("loomcache.raft.leader", "1 when this node leads the group", group,
                g -> g.role() == RaftNode.ROLE_LEADER ? 1.0 : 0.0, "group", id);
        }
        final ClusterMembers members = context.members();
        for (int i = 0; i < members.size(); i++) {
            final int position = i;
            if (position == members.selfIndex()) {
                continue;
            }
            metrics.gauge("loomcache.raft.replication.lag", "entries a follower is behind, the most over the groups " +
                "this node leads", raftGroups, groups -> {
                    long most = 0;
                    for (final ReplicatedPartitions.Group group : groups) {
                        final long[] lag = group.lag();
                        most = position < lag.length ? Math.max(most, lag[position]) : most;
                    }
                    return (double)most;
                }, "follower", members.members().get(i).name());
        }
        metrics.counter("loomcache.peer.frames.sent", "Raft frames written to peers", peers, PeerLinks::sentFrames);
        metrics.counter("loomcache.peer.frames.dropped", "Raft frames dropped (link down or full)", peers,
            PeerLinks::droppedFrames);
    }

    /**
     * Whether a WAL failed.
     *
     * @return true when any executor's WAL failed.
     */
    public boolean walFailed() {
        return executors != null && executors.anyWalFailed();
    }
}
