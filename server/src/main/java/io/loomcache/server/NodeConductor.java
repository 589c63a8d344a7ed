package io.loomcache.server;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionRegistry;
import io.loomcache.server.executor.ExecutorGroup;
import io.loomcache.server.executor.ResponseDelivery;
import io.loomcache.server.log.NodeLog.Component;
import io.loomcache.server.metrics.ServerMetrics;

/**
 * The node's housekeeping duty cycle (Aeron's conductor role), on its own thread: feeds the
 * {@link BackpressureController} with the fullest request ring and the unsent bytes of all connections, latches
 * the node read-only once a WAL failed ({@link ExecutorGroup#anyWalFailed()}), and enforces connection deadlines:
 * a frame started and not completed within the read timeout (slowloris) gets RESPONSE_ERROR TIMEOUT with
 * correlation id 0 and the connection closes after flushing; a write blocked longer than the write timeout (a
 * client that stopped reading) drops the connection; a closing connection that has not drained within the drain
 * timeout is dropped. Reads the context's clock once per cycle and publishes it as the context's cached clock,
 * which connection threads read for their deadlines.
 * <p>
 * Connections are visited a slice per cycle, as Redis's {@code clientsCron} visits clients: a cursor walks the
 * registry's slots, at least {@link #MIN_SLICE_SLOTS} and at least 1/{@link #SWEEP_CYCLES} of them per cycle, so
 * every connection is visited at least once every {@link #SWEEP_CYCLES} cycles (about 100 ms: an idle conductor
 * cycles once a millisecond) while up to {@link #MIN_SLICE_SLOTS} connections are all visited every cycle, and
 * 10,000 idle connections cost 100 visits a cycle. A deadline is therefore enforced within about two sweeps of
 * passing. The unsent bytes fed to the controller are summed over the last whole sweep. Allocation-free per cycle.
 */
public final class NodeConductor implements Agent {
    /** Fewest registry slots visited per cycle; a node with no more slots than this visits all every cycle. */
    static final int MIN_SLICE_SLOTS = 100;
    /** Most cycles one sweep of the registry takes. */
    static final int SWEEP_CYCLES = 100;

    private final ServerContext context;
    private final ConnectionRegistry registry;
    private final ExecutorGroup executors;
    private final BackpressureController backpressure;
    private final ServerMetrics metrics;
    private final ResponseDelivery delivery;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[256]);
    private int lastLevel = BackpressureController.NORMAL;
    private int cursor;
    private long sweepOutboundBytes;
    private long outboundBytes;

    /**
     * Creates the conductor.
     *
     * @param context the node configuration.
     * @param registry the open connections.
     * @param executors the executors.
     * @param backpressure the controller to feed.
     * @param metrics the node's meters.
     * @param delivery a delivery owned by this conductor's thread.
     */
    public NodeConductor(
        final ServerContext context,
        final ConnectionRegistry registry,
        final ExecutorGroup executors,
        final BackpressureController backpressure,
        final ServerMetrics metrics,
        final ResponseDelivery delivery) {
        this.context = context;
        this.registry = registry;
        this.executors = executors;
        this.backpressure = backpressure;
        this.metrics = metrics;
        this.delivery = delivery;
    }

    @Override
    public int doWork() {
        final long nowNs = context.nanoClock().nanoTime();
        context.cachedNanoClock().update(nowNs);
        final long nowMs = TimeUnit.NANOSECONDS.toMillis(nowNs);
        final int bound = registry.slotBound();
        final int end = Math.min(bound, cursor + sliceSlots(bound));
        int work = 0;
        for (int slot = cursor; slot < end; slot++) {
            final Connection connection = registry.at(slot);
            if (connection != null) {
                sweepOutboundBytes += connection.pendingOutboundBytes();
                work += checkDeadlines(connection, nowMs);
            }
        }
        cursor = end;
        if (end == bound) {
            outboundBytes = sweepOutboundBytes;
            sweepOutboundBytes = 0;
            cursor = 0;
        }
        executors.anyWalFailed();
        final int level = backpressure.update(executors.maxQueueFraction(),
            (double)outboundBytes / context.outboundBudgetBytes(),
            (double)executors.maxQueueDelayNs() / context.queueDelayBudgetNs());
        if (level != lastLevel) {
            context.log().info(Component.CONDUCTOR, "backpressure " + BackpressureController.name(lastLevel) +
                " -> " + BackpressureController.name(level) + " load=" + backpressure.load());
            lastLevel = level;
            work++;
        }
        return work;
    }

    /**
     * Registry slots one cycle visits.
     *
     * @param slotBound the registry's {@link ConnectionRegistry#slotBound()}.
     * @return at least {@link #MIN_SLICE_SLOTS}, and enough that a sweep takes at most {@link #SWEEP_CYCLES} cycles.
     */
    static int sliceSlots(final int slotBound) {
        return Math.max(MIN_SLICE_SLOTS, (slotBound + SWEEP_CYCLES - 1) / SWEEP_CYCLES);
    }

    private int checkDeadlines(final Connection connection, final long nowMs) {
        final int state = connection.state();
        final long partialSinceMs = connection.partialFrameSinceMs();
        if (state == Connection.OPEN && partialSinceMs != 0 && nowMs - partialSinceMs > context.readTimeoutMs()) {
            metrics.readTimeout();
            if (connection.hold()) {
                try {
                    delivery.deliver(connection, scratch, 0, delivery.encodeError(scratch, 0, 0, ErrorCode.TIMEOUT));
                } finally {
                    connection.unhold();
                }
            }
            connection.startClosing("read timeout: frame incomplete after " + context.readTimeoutMs() + " ms");
            return 1;
        }
        final long stalledSinceMs = connection.stalledSinceMs(nowMs);
        if (state != Connection.CLOSED && stalledSinceMs != 0 && nowMs - stalledSinceMs > context.writeTimeoutMs()) {
            connection.dropSlowConsumer("write blocked for " + context.writeTimeoutMs() + " ms");
            return 1;
        }
        if (state == Connection.CLOSING && nowMs - connection.closingSinceMs() > Math.max(
            context.drainTimeoutMs(), context.writeTimeoutMs())) {
            connection.abort("closing connection did not drain");
            return 1;
        }
        return 0;
    }

    @Override
    public String roleName() {
        return "loomcache-conductor";
    }
}
