package io.loomcache.server.transport;

import java.io.IOException;

/**
 * A network transport serving the binary protocol: accepts connections, feeds their bytes to a
 * {@link io.loomcache.server.connection.ConnectionAdapter} and writes what executors put in their outbound rings.
 * Executors never see which transport runs.
 */
public interface Transport extends AutoCloseable {
    /**
     * Starts the node's executors where this transport wants them (threads of their own, or its event loops), then
     * binds the port and starts accepting.
     *
     * @throws IOException when the port cannot be bound.
     */
    void start() throws IOException;

    /**
     * The bound port, useful with port 0.
     *
     * @return the port, or -1 before start.
     */
    int port();

    /**
     * The port the Redis (RESP) listener bound.
     *
     * @return the port, -1 when the node serves no Redis port.
     */
    int respPort();

    /**
     * Which transport runs, for logs and health: "nio", "netty-io_uring", "netty-epoll" or "netty-nio".
     *
     * @return the name.
     */
    String name();

    /**
     * Why the transport cannot accept connections although it should (its acceptor died, its server channel
     * closed): for /health. Any thread.
     *
     * @return the reason, or null while healthy or after {@link #stopAccepting()}.
     */
    String failure();

    /**
     * Stops accepting new connections; open ones keep being served.
     */
    void stopAccepting();

    /**
     * Closes every connection and releases the transport's threads.
     */
    @Override
    void close();
}
