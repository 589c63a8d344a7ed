package io.loomcache.loadgen.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.loomcache.loadgen.workload.KeyChooser;
import io.loomcache.loadgen.workload.OpMix;
import io.loomcache.loadgen.workload.ValueSizes;

/**
 * The duty cycle of one I/O thread: one {@link Selector} over a share of the connections, driven either as a
 * closed loop (each connection keeps {@code pipeline} requests in flight: a read of responses is followed at once by
 * one write that refills the pipeline) or as an open loop (requests leave on an {@link OpenLoopSchedule}, latency
 * counted from the intended time). Keys are drawn by the agent's {@link KeyChooser} (uniform by default) from a
 * {@link SplittableRandom}; nothing is allocated per
 * request. Against a cluster the agent's connections route keys by its {@link ClusterRoute}, and every turn of the
 * loop also sends the requests they deferred (a leader backoff) and refills those that lost requests with a node. An
 * agent object lives for the whole run; {@link #runPhase} is called on a fresh thread per phase and only that
 * thread touches the agent until it returns.
 */
public final class IoAgent {
    /** An open-loop request sent later than this after its intended time counts as late. */
    public static final long LATE_SEND_THRESHOLD_NS = 1_000_000;
    /** How often the statistics are published for the progress line. */
    public static final long PUBLISH_INTERVAL_NS = 200_000_000;
    private static final long SELECT_TIMEOUT_MS = 10;
    private static final long NANOS_PER_MILLI = 1_000_000;
    private static final long MAX_PARK_NS = 200_000;

    private final int index;
    private final Selector selector;
    private final Connection[] connections;
    private final AgentStats stats = new AgentStats();
    private final SplittableRandom random;
    private final KeyChooser keyChooser;
    private final OpMix opMix;
    private final ValueSizes valueSizes;
    private final int pipeline;
    private final int totalConnections;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.ThreadMXBean allocations = threads instanceof
        com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported() ? sun : null;
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private int connectionCount;
    private ClusterRoute route;
    private boolean routing;
    private Phase phase;
    private OpenLoopSchedule schedule;
    private long endNs;
    private long sendBudget;
    private long nextPreloadKey;
    private long nowNs;
    private long nextPublishNs;

    /**
     * Creates an agent.
     *
     * @param index the agent's number, 0 .. threads - 1.
     * @param maxConnections the most connections it will own.
     * @param totalConnections the connections of the whole run (for the open-loop schedule).
     * @param keyChooser how keys are drawn from 0 .. keys - 1 (this agent's own).
     * @param opMix the operations and their shares.
     * @param valueSizes the lengths of written values.
     * @param pipeline the requests each connection keeps in flight in a closed loop.
     * @param seed the random seed of this agent.
     * @throws UncheckedIOException when no selector can be opened.
     */
    public IoAgent(final int index, final int maxConnections, final int totalConnections, final KeyChooser keyChooser,
        final OpMix opMix, final ValueSizes valueSizes, final int pipeline, final long seed) {
        this.index = index;
        this.connections = new Connection[maxConnections];
        this.totalConnections = totalConnections;
        this.keyChooser = keyChooser;
        this.opMix = opMix;
        this.valueSizes = valueSizes;
        this.pipeline = pipeline;
        this.random = new SplittableRandom(seed);
        try {
            this.selector = Selector.open();
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    void add(final Connection connection) throws IOException {
        connection.register(selector, stats, route);
        routing |= connection.routed();
        connections[connectionCount++] = connection;
    }

    /**
     * Gives the agent its view of a cluster, before any connection is added.
     *
     * @param clusterRoute the route its connections share.
     */
    void route(final ClusterRoute clusterRoute) {
        this.route = clusterRoute;
    }

    /**
     * Sizes the agent's cluster route by the partition count its nodes announced in the handshake; nothing for one
     * server. Called between phases.
     */
    void learnPartitions() {
        if (route == null) {
            return;
        }
        for (int i = 0; i < connectionCount; i++) {
            final int count = connections[i].partitionCount();
            if (count > 0) {
                route.partitionCount(count);
                return;
            }
        }
        route.partitionCount(1);
    }

    /**
     * Runs one phase to its end on the calling thread, then publishes the statistics.
     *
     * @param nextPhase the phase.
     * @param startNs the phase start shared by all agents, ns.
     * @param quota this agent's share of the phase's requests, or {@link Phase#UNBOUNDED}.
     * @param firstPreloadKey the first key this agent writes in a preload phase.
     */
    public void runPhase(final Phase nextPhase, final long startNs, final long quota, final long firstPreloadKey) {
        final long cpuStartNs = threads.getCurrentThreadCpuTime();
        final long allocatedStart = allocatedBytes();
        phase = nextPhase;
        endNs = startNs + nextPhase.maxDurationNs();
        sendBudget = quota == Phase.UNBOUNDED ? Long.MAX_VALUE : quota;
        nextPreloadKey = firstPreloadKey;
        nowNs = System.nanoTime();
        nextPublishNs = nowNs + PUBLISH_INTERVAL_NS;
        try {
            if (nextPhase.kind() == Phase.HANDSHAKE) {
                runHandshake();
            } else if (nextPhase.openLoop()) {
                runOpenLoop(new OpenLoopSchedule(startNs, nextPhase.rateOpsPerSec(), totalConnections));
            } else {
                runClosedLoop();
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        } finally {
            stats.addCpuNs(threads.getCurrentThreadCpuTime() - cpuStartNs);
            final long allocatedEnd = allocatedBytes();
            stats.addAllocatedBytes(allocatedStart < 0 || allocatedEnd < 0 ? -1 : allocatedEnd - allocatedStart);
            stats.publish();
        }
    }

    private long allocatedBytes() {
        return allocations == null ? -1 : allocations.getCurrentThreadAllocatedBytes();
    }

    private void runHandshake() throws IOException {
        for (int i = 0; i < connectionCount; i++) {
            connections[i].startHandshake();
            connections[i].flush();
        }
        while (nowNs < endNs && countHandshaking() > 0) {
            selector.select(onSelected, SELECT_TIMEOUT_MS);
            nowNs = System.nanoTime();
        }
        for (int i = 0; i < connectionCount; i++) {
            if (connections[i].handshaking()) {
                connections[i].failHandshakes("no handshake response within the connect timeout");
            }
        }
    }

    private void runClosedLoop() throws IOException {
        for (int i = 0; i < connectionCount; i++) {
            refill(connections[i]);
            connections[i].flush();
        }
        while (!phaseDone()) {
            selector.select(onSelected, SELECT_TIMEOUT_MS);
            nowNs = System.nanoTime();
            if (routing) {
                tendRouted();
            }
            maybePublish();
        }
    }

    /** Sends the deferred requests that are due and refills every routed connection, closed loop. */
    private void tendRouted() {
        for (int i = 0; i < connectionCount; i++) {
            final Connection connection = connections[i];
            if (connection.state() == Connection.READY) {
                connection.sendDeferred(nowNs);
                refill(connection);
                connection.flush();
            }
        }
    }

    private void runOpenLoop(final OpenLoopSchedule openLoop) throws IOException {
        schedule = openLoop;
        for (int i = 0; i < connectionCount; i++) {
            final Connection connection = connections[i];
            connection.schedule(0, openLoop.intendedSendNs(connection.index(), 0));
            connection.capped(false);
        }
        while (!phaseDone()) {
            nowNs = System.nanoTime();
            final long nextDueNs = sendDue();
            final int selected = selector.selectNow(onSelected);
            maybePublish();
            if (selected == 0) {
                idle(nextDueNs);
            }
        }
        schedule = null;
    }

    /**
     * Sends every open-loop request that is due and can go.
     *
     * @return the earliest intended time of a connection that can send, or Long.MAX_VALUE when none can (all
     *     stalled, closed, or the quota is spent): then only a response can make progress.
     */
    private long sendDue() {
        long nextDueNs = Long.MAX_VALUE;
        for (int i = 0; i < connectionCount; i++) {
            final Connection connection = connections[i];
            long sequence = connection.openLoopSequence();
            long intendedNs = connection.nextIntendedNs();
            boolean sent = false;
            if (routing && connection.state() == Connection.READY) {
                connection.sendDeferred(nowNs);
                nextDueNs = Math.min(nextDueNs, connection.nextDeferredDueNs());
                sent = true;
            }
            while (intendedNs <= nowNs && connection.canSend() && sendBudget > 0) {
                sendBudget--;
                final long lagNs = nowNs - intendedNs;
                if (lagNs > LATE_SEND_THRESHOLD_NS) {
                    stats.recordLateSend(lagNs);
                }
                connection.send(keyChooser.next(random), opMix.next(random), valueSizes.next(random), intendedNs);
                intendedNs = schedule.intendedSendNs(connection.index(), ++sequence);
                sent = true;
            }
            connection.schedule(sequence, intendedNs);
            if (sent) {
                connection.flush();
            }
            final boolean stalled = intendedNs <= nowNs && connection.state() == Connection.READY &&
                !connection.canSend();
            if (stalled && !connection.capped()) {
                stats.recordCapStall();
            }
            connection.capped(stalled);
            if (!stalled && sendBudget > 0 && connection.state() == Connection.READY) {
                nextDueNs = Math.min(nextDueNs, intendedNs);
            }
        }
        return nextDueNs;
    }

    private void idle(final long nextDueNs) throws IOException {
        final long waitNs = Math.min(nextDueNs, endNs) - System.nanoTime();
        if (waitNs >= NANOS_PER_MILLI) {
            selector.select(onSelected, waitNs / NANOS_PER_MILLI);
        } else if (waitNs > 0) {
            LockSupport.parkNanos(Math.min(waitNs, MAX_PARK_NS));
        }
    }

    private void onSelected(final SelectionKey key) {
        final Link link = (Link)key.attachment();
        final Connection connection = link.owner();
        if (!key.isValid()) {
            return;
        }
        final int ready = key.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            link.finishConnect();
            return;
        }
        if ((ready & SelectionKey.OP_READ) != 0 && link.read() < 0) {
            return;
        }
        if (schedule == null && phase.kind() != Phase.HANDSHAKE) {
            nowNs = System.nanoTime();
            refill(connection);
        }
        connection.flush();
    }

    private void refill(final Connection connection) {
        final boolean preload = phase.kind() == Phase.PRELOAD;
        while (sendBudget > 0 && nowNs < endNs && connection.canSend() && connection.inFlightCount() < pipeline) {
            sendBudget--;
            if (preload) {
                connection.send(nextPreloadKey++, OpMix.SET, valueSizes.next(random), nowNs);
            } else {
                connection.send(keyChooser.next(random), opMix.next(random), valueSizes.next(random), nowNs);
            }
        }
    }

    private boolean phaseDone() {
        if (nowNs >= endNs) {
            return true;
        }
        int open = 0;
        int inFlight = 0;
        for (int i = 0; i < connectionCount; i++) {
            if (connections[i].state() != Connection.CLOSED) {
                open++;
                inFlight += connections[i].inFlightCount();
            }
        }
        return open == 0 || sendBudget == 0 && inFlight == 0;
    }

    private int countHandshaking() {
        int count = 0;
        for (int i = 0; i < connectionCount; i++) {
            if (connections[i].handshaking()) {
                count++;
            }
        }
        return count;
    }

    private void maybePublish() {
        if (nowNs >= nextPublishNs || stats.publishRequested()) {
            nextPublishNs = nowNs + PUBLISH_INTERVAL_NS;
            stats.publish();
        }
    }

    /**
     * This agent's statistics.
     *
     * @return the stats.
     */
    public AgentStats stats() {
        return stats;
    }

    /**
     * The agent's number.
     *
     * @return 0 .. threads - 1.
     */
    public int index() {
        return index;
    }

    /**
     * Closes the connections and the selector.
     */
    void close() {
        for (int i = 0; i < connectionCount; i++) {
            connections[i].close();
        }
        try {
            selector.close();
        } catch (final IOException ignored) {
            // The run is over; a selector that fails to close leaks nothing we can recover.
        }
    }
}
