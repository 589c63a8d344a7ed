package io.loomcache.server.connection;

import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.server.cluster.PeerLinks;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.executor.ExecutorGroup;
import io.loomcache.server.executor.FanOutTable;
import io.loomcache.server.log.NodeLog.Component;
import io.loomcache.server.metrics.ServerMetrics;
import io.loomcache.server.resp.PubSub;

/**
 * What a transport needs from the node to serve connections, shared by every connection; all parts are
 * thread-safe.
 *
 * @param context the node configuration.
 * @param registry the open connections.
 * @param limiter the per-IP connection counts.
 * @param executors the partition executors.
 * @param fanOut the fan-out slots of MAP_SIZE and MAP_CLEAR.
 * @param backpressure the admission level.
 * @param metrics the node's meters.
 * @param assembly the node's budget of memory for partial frames.
 * @param buffers the node's memory for busy connections (rings, I/O buffers).
 * @param peers the cluster's peer links, or null on a single node.
 * @param pubSub the Redis port's channels and their subscribers.
 */
public record ConnectionServices(
    ServerContext context,
    ConnectionRegistry registry,
    ConnectionLimiter limiter,
    ExecutorGroup executors,
    FanOutTable fanOut,
    BackpressureController backpressure,
    ServerMetrics metrics,
    FrameAssemblyPool assembly,
    ConnectionBuffers buffers,
    PeerLinks peers,
    PubSub pubSub) {

    /**
     * The services of a single node (no peer links).
     *
     * @param context the node's configuration.
     * @param registry the node's connections.
     * @param limiter the per-IP connection limiter.
     * @param executors the node's executors.
     * @param fanOut the fan-out table.
     * @param backpressure the backpressure controller.
     * @param metrics the node's metrics.
     * @param assembly the pool for split frames.
     * @param buffers the memory leased to busy connections.
     */
    public ConnectionServices(final ServerContext context, final ConnectionRegistry registry,
        final ConnectionLimiter limiter, final ExecutorGroup executors, final FanOutTable fanOut,
        final BackpressureController backpressure, final ServerMetrics metrics, final FrameAssemblyPool assembly,
        final ConnectionBuffers buffers) {
        this(context, registry, limiter, executors, fanOut, backpressure, metrics, assembly, buffers, null,
            new PubSub());
    }

    /**
     * Counts and logs a connection dropped as a slow consumer (what the transports do on
     * {@link Connection#onSlowConsumer}); any thread.
     *
     * @param connection the dropped connection.
     * @param reason what showed it.
     */
    public void slowConsumerDropped(final Connection connection, final String reason) {
        metrics.slowConsumer();
        context.log().info(Component.CONNECTION, "dropped slow consumer " +
            connection.remoteAddress().getHostAddress() + " (connection " + connection.id() + "): " + reason);
    }
}
