package io.loomcache.server.connection;

import org.agrona.DirectBuffer;

import io.loomcache.server.resp.RespAdapter;
import io.loomcache.server.resp.RespReplies;

/**
 * What a transport feeds a connection's inbound bytes to: the binary protocol's {@link ConnectionAdapter} or the
 * Redis port's {@code RespAdapter}. Reader thread only.
 */
public interface InboundAdapter {
    /**
     * The adapter of a new connection: the Redis port's (and the connection then renders Redis replies) or the
     * binary protocol's.
     *
     * @param connection the connection, not yet published.
     * @param services the node's shared services.
     * @param resp whether it came to the Redis port.
     * @return the adapter.
     */
    static InboundAdapter of(final Connection connection, final ConnectionServices services, final boolean resp) {
        if (!resp) {
            return new ConnectionAdapter(connection, services);
        }
        connection.renderWith(new RespReplies(services.context().protocolLimits(),
            services.context().connectionSpillBytes(), services.context().members(), services.executors().count()));
        return new RespAdapter(connection, services);
    }

    /**
     * Consumes bytes read from the socket.
     *
     * @param buffer the bytes.
     * @param offset of the first new byte.
     * @param length new bytes.
     * @param nowMs monotonic ms, for the read deadline.
     * @return requests delivered, or a negative error code once the stream is broken (stop reading).
     */
    int onBytes(DirectBuffer buffer, int offset, int length, long nowMs);

    /**
     * Whether the stream broke and reading must stop.
     *
     * @return true after a fatal protocol error.
     */
    boolean isStopped();

    /**
     * Gives the adapter's assembly memory back; once, when the connection has ended, on the reader's thread.
     */
    void release();
}
