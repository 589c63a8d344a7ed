package io.loomcache.server.connection;

import org.agrona.DirectBuffer;

/**
 * What a transport feeds a connection's inbound bytes to: the binary protocol's {@link ConnectionAdapter} or the
 * Redis port's {@code RespAdapter}. Reader thread only.
 */
public interface InboundAdapter {
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
