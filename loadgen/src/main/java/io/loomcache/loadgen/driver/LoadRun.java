package io.loomcache.loadgen.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.loomcache.loadgen.config.LoadGenContext;
import io.loomcache.loadgen.config.NodeAddress;
import io.loomcache.loadgen.config.Protocol;
import io.loomcache.loadgen.wire.LoomWireCodec;
import io.loomcache.loadgen.wire.RespWireCodec;
import io.loomcache.loadgen.wire.WireCodec;
import io.loomcache.loadgen.workload.KeyChooser;
import io.loomcache.protocol.HostPort;
import io.loomcache.protocol.ProtocolLimits;
import org.HdrHistogram.Histogram;

/**
 * A run's connections and I/O agents, and the running of its phases: {@link #open} connects every connection
 * (blocking connect with a deadline, then non-blocking) and completes the handshakes; {@link #run(Phase)} starts one
 * platform thread per agent, waits for the phase to end and merges the agents' figures. Against a cluster
 * ({@code --nodes}) every connection has one socket per node; a node that cannot be connected is passed over (and
 * not tried again by later connections until a redirect names it), the run fails only when no node can be. Used by
 * one thread (the main thread); {@link #progress} may be called from a reporter thread at any time.
 */
public final class LoadRun implements AutoCloseable {
    /** Length of the read and write buffers of a connection, unless a value needs more. */
    public static final int MIN_BUFFER_LENGTH = 64 * 1024;
    /** Deadline of a preload phase. */
    public static final long PRELOAD_DEADLINE_NS = TimeUnit.MINUTES.toNanos(10);
    private static final long PUBLISH_POLL_NS = 100_000;

    private final LoadGenContext context;
    private final IoAgent[] agents;
    private final Connection[] connections;
    private String phaseName = "connect";
    private long phaseStartNs = System.nanoTime();

    private LoadRun(final LoadGenContext context) {
        this.context = context;
        this.agents = new IoAgent[context.threads()];
        this.connections = new Connection[context.connections()];
        final int perAgent = (context.connections() + context.threads() - 1) / context.threads();
        for (int i = 0; i < agents.length; i++) {
            agents[i] = new IoAgent(i, perAgent, context.connections(),
                new KeyChooser(context.keyDistribution(), context.keys(), i, agents.length), context.opMix(),
                context.valueSizes(),
                context.pipeline(), context.seed() + i * 0x9E3779B97F4A7C15L);
        }
    }

    private void routeAgents(final List<InetSocketAddress> addresses) {
        final List<String> names = new ArrayList<>();
        final List<List<String>> aliases = new ArrayList<>();
        for (int node = 0; node < addresses.size(); node++) {
            final String name = context.nodes().get(node).toString();
            names.add(name);
            final InetSocketAddress address = addresses.get(node);
            final Set<String> known = new LinkedHashSet<>();
            known.add(name);
            if (!address.isUnresolved()) {
                final String ip = address.getAddress().getHostAddress();
                known.add(HostPort.format(ip, address.getPort()));
            }
            aliases.add(List.copyOf(known));
        }
        for (final IoAgent agent : agents) {
            agent.route(new ClusterRoute(names, aliases));
        }
    }

    /**
     * Connects every connection and completes the handshakes.
     *
     * @param context the settings.
     * @return the run, ready for phases.
     * @throws IOException when a connection cannot be made or its handshake fails; everything opened is closed.
     */
    public static LoadRun open(final LoadGenContext context) throws IOException {
        final LoadRun run = new LoadRun(context);
        boolean opened = false;
        try {
            if (context.nodes() == null) {
                run.connectAll();
            } else {
                run.connectCluster();
            }
            final PhaseResult handshake = run.run(new Phase("handshake", Phase.HANDSHAKE, 0,
                context.connectTimeoutNs(), Phase.UNBOUNDED));
            if (handshake.connectionsLost() > 0) {
                throw new IOException("handshake failed on " + handshake.connectionsLost() + " of " +
                    context.connections() + " connections to " + context.target() + ": " +
                    String.join("; ", handshake.errorMessages()));
            }
            for (final IoAgent agent : run.agents) {
                agent.learnPartitions();
            }
            opened = true;
            return run;
        } finally {
            if (!opened) {
                run.close();
            }
        }
    }

    private void connectAll() throws IOException {
        final InetSocketAddress address = new InetSocketAddress(context.host(), context.port());
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve host " + context.host());
        }
        final int readBufferLength = readBufferLength();
        for (int i = 0; i < connections.length; i++) {
            final WireCodec codec = newCodec(readBufferLength);
            final SocketChannel channel;
            try {
                channel = connect(address);
            } catch (final IOException ex) {
                throw new IOException("cannot connect to " + context.host() + ":" + context.port() + ": " +
                    ex.getMessage(), ex);
            }
            connections[i] = new Connection(i, 1, false, inFlightCapacity(), null);
            connections[i].addLink(0, address, channel, codec, readBufferLength, writeBufferLength(codec));
            agents[i % agents.length].add(connections[i]);
        }
    }

    private void connectCluster() throws IOException {
        final List<NodeAddress> nodes = context.nodes();
        final List<InetSocketAddress> addresses = new ArrayList<>();
        final String[] unreachable = new String[nodes.size()];
        for (int node = 0; node < nodes.size(); node++) {
            final InetSocketAddress address = new InetSocketAddress(nodes.get(node).host(), nodes.get(node).port());
            addresses.add(address);
            if (address.isUnresolved()) {
                unreachable[node] = "cannot resolve host " + nodes.get(node).host();
            }
        }
        routeAgents(addresses);
        final int readBufferLength = readBufferLength();
        for (int i = 0; i < connections.length; i++) {
            final Connection connection = new Connection(i, nodes.size(), true, inFlightCapacity(),
                () -> newCodec(readBufferLength));
            for (int node = 0; node < nodes.size(); node++) {
                final WireCodec codec = newCodec(readBufferLength);
                final InetSocketAddress address = addresses.get(node);
                if (unreachable[node] == null) {
                    try {
                        connection.addLink(node, address, connect(address), codec, readBufferLength,
                            writeBufferLength(codec));
                        continue;
                    } catch (final IOException ex) {
                        unreachable[node] = "cannot connect to " + nodes.get(node) + ": " + ex.getMessage();
                    }
                }
                connection.addUnreachable(node, address, codec, readBufferLength, writeBufferLength(codec),
                    unreachable[node]);
            }
            if (connection.state() == Connection.CLOSED) {
                throw new IOException("cannot connect to any of --nodes: " + String.join("; ", unreachable));
            }
            connections[i] = connection;
            agents[i % agents.length].add(connection);
        }
    }

    private SocketChannel connect(final InetSocketAddress address) throws IOException {
        final int timeoutMs = (int)Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(
            context.connectTimeoutNs()));
        final SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(address, timeoutMs);
            channel.configureBlocking(false);
            return channel;
        } catch (final IOException ex) {
            channel.close();
            throw ex;
        }
    }

    private int readBufferLength() {
        return Math.max(MIN_BUFFER_LENGTH, 2 * (context.valueSize() + RespWireCodec.MAX_LINE_LENGTH));
    }

    private static int writeBufferLength(final WireCodec codec) {
        return Math.max(MIN_BUFFER_LENGTH, 4 * codec.maxRequestLength());
    }

    private int inFlightCapacity() {
        return Math.max(context.pipeline(),
            context.rateOpsPerSec() > 0 || context.watermark() ? context.maxInFlight() : 0);
    }

    private WireCodec newCodec(final int readBufferLength) {
        return context.protocol() == Protocol.LOOM ?
            new LoomWireCodec(context.valueSize(), context.ttlMs(), context.opMix(), ProtocolLimits.DEFAULTS) :
            new RespWireCodec(context.valueSize(), context.ttlMs(), context.opMix(),
                readBufferLength - RespWireCodec.MAX_LINE_LENGTH);
    }

    /**
     * Runs one phase on every agent and merges the figures.
     *
     * @param phase the phase.
     * @return its result.
     */
    public PhaseResult run(final Phase phase) {
        final long startNs;
        synchronized (this) {
            for (final IoAgent agent : agents) {
                agent.stats().reset();
            }
            startNs = System.nanoTime();
            phaseName = phase.name();
            phaseStartNs = startNs;
        }
        final long processCpuStartNs = processCpuNs();
        final List<Thread> threads = new ArrayList<>(agents.length);
        final List<Throwable> failures = new ArrayList<>();
        for (final IoAgent agent : agents) {
            final long quota = share(phase, agent.index());
            final long firstKey = preloadStart(agent.index());
            final Thread thread = Thread.ofPlatform().name("loadgen-io-" + agent.index())
                .uncaughtExceptionHandler((t, ex) -> {
                    synchronized (failures) {
                        failures.add(ex);
                    }
                })
                .start(() -> agent.runPhase(phase, startNs, quota, firstKey));
            threads.add(thread);
        }
        joinAll(threads);
        if (!failures.isEmpty()) {
            final Throwable first = failures.get(0);
            throw first instanceof UncheckedIOException unchecked ? unchecked :
                new IllegalStateException("I/O thread failed: " + first, first);
        }
        final PhaseResult.Builder result = new PhaseResult.Builder(phase);
        result.elapsedNs = Math.min(System.nanoTime() - startNs, phase.maxDurationNs());
        final long processCpuEndNs = processCpuNs();
        result.processCpuNs = processCpuStartNs < 0 ? -1 : processCpuEndNs - processCpuStartNs;
        for (final IoAgent agent : agents) {
            agent.stats().addTo(result);
        }
        result.errorMessages = errorMessages();
        return result.build();
    }

    private long share(final Phase phase, final int agentIndex) {
        if (phase.kind() == Phase.PRELOAD) {
            return preloadStart(agentIndex + 1) - preloadStart(agentIndex);
        }
        if (!phase.bounded()) {
            return Phase.UNBOUNDED;
        }
        final long base = phase.requestQuota() / agents.length;
        return base + (agentIndex < phase.requestQuota() % agents.length ? 1 : 0);
    }

    private long preloadStart(final int agentIndex) {
        return context.keys() / agents.length * agentIndex + Math.min(agentIndex, context.keys() % agents.length);
    }

    private static void joinAll(final List<Thread> threads) {
        boolean interrupted = false;
        for (final Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (final InterruptedException ex) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> errorMessages() {
        final Set<String> messages = new LinkedHashSet<>();
        for (final Connection connection : connections) {
            if (connection != null) {
                connection.describeErrors(messages);
            }
        }
        return List.copyOf(messages);
    }

    private static long processCpuNs() {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * Has every running agent publish its figures at the next turn of its loop, waiting up to {@code timeoutNs} for
     * them (an agent between phases does not publish, and has nothing new): a reader then sees the counts of this
     * moment rather than of the agents' last periodic publication, up to 200 ms old.
     *
     * @param timeoutNs the longest wait, ns.
     */
    public void publishNow(final long timeoutNs) {
        final long[] requests = new long[agents.length];
        for (int i = 0; i < agents.length; i++) {
            // no Selector.wakeup(): the woken select allocates on the I/O thread; a busy agent turns its loop at once
            // and an idle one within its 10 ms select timeout or its next open-loop send
            requests[i] = agents[i].stats().requestPublish();
        }
        final long deadlineNs = System.nanoTime() + timeoutNs;
        for (int i = 0; i < agents.length; i++) {
            while (!agents[i].stats().publishedSince(requests[i]) && System.nanoTime() - deadlineNs < 0) {
                LockSupport.parkNanos(PUBLISH_POLL_NS);
            }
        }
    }

    /**
     * Reads the figures the agents published so far in the current phase.
     *
     * @param latencies receives the published latencies of successful requests (reset first).
     * @return the counters and the phase they belong to.
     */
    public Progress progress(final Histogram latencies) {
        return progress(latencies, null);
    }

    /**
     * Reads the figures the agents published so far in the current phase, errors by kind too.
     *
     * @param latencies receives the published latencies of successful requests (reset first).
     * @param errorCounts receives the published errors by {@link ErrorKinds} index (reset first), or null.
     * @return the counters and the phase they belong to.
     */
    public synchronized Progress progress(final Histogram latencies, final long[] errorCounts) {
        latencies.reset();
        if (errorCounts != null) {
            Arrays.fill(errorCounts, 0);
        }
        long okOps = 0;
        long serverBusy = 0;
        long errors = 0;
        long lateSends = 0;
        for (final IoAgent agent : agents) {
            final AgentStats stats = agent.stats();
            stats.addPublishedTo(latencies);
            if (errorCounts != null) {
                stats.addPublishedErrorCountsTo(errorCounts);
            }
            okOps += stats.publishedOkOps();
            serverBusy += stats.publishedServerBusy();
            errors += stats.publishedErrors();
            lateSends += stats.publishedLateSends();
        }
        return new Progress(phaseName, phaseStartNs, okOps, serverBusy, errors, lateSends);
    }

    /**
     * The number of connections still open.
     *
     * @return the count.
     */
    public int openConnections() {
        int open = 0;
        for (final Connection connection : connections) {
            if (connection != null && connection.state() != Connection.CLOSED) {
                open++;
            }
        }
        return open;
    }

    @Override
    public void close() {
        for (final IoAgent agent : agents) {
            agent.close();
        }
    }

    /**
     * Figures published so far in a phase, for the progress line.
     *
     * @param phaseName the phase's label.
     * @param phaseStartNs the phase start, ns.
     * @param okOps successful requests.
     * @param serverBusy shed requests.
     * @param errors failed requests.
     * @param lateSends open-loop requests sent late.
     */
    public record Progress(String phaseName, long phaseStartNs, long okOps, long serverBusy, long errors,
        long lateSends) {
    }
}
