package io.loomcache.client;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One node the client talks to: its address and its {@link ClientContext#connections()} connections, over which
 * requests round-robin. The connections are opened at the first {@link #connection()} (or by {@link #open()} when the
 * client bootstraps). A reopening endpoint opens new connections when every one was lost, but fails fast for
 * {@link #REOPEN_BACKOFF_MS} after a failed attempt, so that a dead node costs one connect attempt, not one per
 * request; a non-reopening one (the node of a client given only host and port) stays closed, as clients always did.
 * Thread-safe.
 */
final class Endpoint {
    /** How long after a failed connect attempt further attempts fail at once, in milliseconds. */
    static final long REOPEN_BACKOFF_MS = 250;

    private static final Connection[] NONE = new Connection[0];

    private final String address;
    private final InetSocketAddress socketAddress;
    private final ClientContext context;
    private final RequestRouter router;
    private final boolean reopens;
    private final AtomicInteger next = new AtomicInteger();
    private final ReentrantLock openLock = new ReentrantLock();
    private volatile Connection[] connections = NONE;
    private volatile long failedUntilNs;
    private volatile LoomConnectionException lastFailure;

    /**
     * Creates an endpoint; opens nothing.
     *
     * @param socketAddress the node's client address, resolved or not.
     * @param context the validated context.
     * @param router the router requests this endpoint cannot deliver go back to.
     * @param reopens whether lost connections are replaced at the next use.
     */
    Endpoint(final InetSocketAddress socketAddress, final ClientContext context, final RequestRouter router,
        final boolean reopens) {
        this.address = NodeAddresses.format(socketAddress);
        this.socketAddress = socketAddress;
        this.context = context;
        this.router = router;
        this.reopens = reopens;
    }

    /**
     * A connection to send on: the next open one round-robin, opening connections when there are none yet (or, for
     * a reopening endpoint, when every one was lost).
     *
     * @return an open connection; for a non-reopening endpoint whose connections were all lost, a closed one (a
     *     request sent to it fails with the cause of the loss).
     * @throws LoomConnectionException when the connections cannot be opened (again).
     */
    Connection connection() {
        final Connection[] current = connections;
        final int count = current.length;
        if (count == 1 && (!reopens || !current[0].isClosed())) {
            return current[0];
        }
        if (count > 1) {
            final int start = Math.floorMod(next.getAndIncrement(), count);
            for (int i = 0; i < count; i++) {
                final Connection connection = current[(start + i) % count];
                if (!connection.isClosed()) {
                    return connection;
                }
            }
            if (!reopens) {
                return current[start];
            }
        }
        return open();
    }

    /**
     * Opens the endpoint's connections and performs their handshakes, unless one is open (another thread just
     * opened them).
     *
     * @return an open connection; for a non-reopening endpoint whose connections were all lost, a closed one.
     * @throws LoomConnectionException when a connection cannot be opened (every one opened is closed again), when
     *     the last attempt failed less than {@link #REOPEN_BACKOFF_MS} ago, or when the client is closed.
     */
    Connection open() {
        openLock.lock();
        try {
            final Connection[] current = connections;
            final Connection usable = firstOpen(current);
            if (usable != null) {
                return usable;
            }
            if (current.length > 0 && !reopens) {
                return current[0];
            }
            if (router.isClosed()) {
                throw new LoomConnectionException("client closed");
            }
            if (lastFailure != null && System.nanoTime() - failedUntilNs < 0) {
                throw new LoomConnectionException(lastFailure.getMessage(), lastFailure);
            }
            final Connection[] opened = openAll();
            connections = opened;
            router.onOpened(current, opened);
            return opened[0];
        } finally {
            openLock.unlock();
        }
    }

    private Connection[] openAll() {
        final Connection[] opened = new Connection[context.connections()];
        try {
            for (int i = 0; i < opened.length; i++) {
                opened[i] = Connection.open(context, this);
            }
            lastFailure = null;
            return opened;
        } catch (final LoomConnectionException ex) {
            for (final Connection connection : opened) {
                if (connection != null) {
                    connection.closeAndJoin(ex);
                }
            }
            lastFailure = ex;
            failedUntilNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REOPEN_BACKOFF_MS);
            throw ex;
        }
    }

    private static Connection firstOpen(final Connection[] current) {
        for (final Connection connection : current) {
            if (!connection.isClosed()) {
                return connection;
            }
        }
        return null;
    }

    /**
     * Tells whether the last attempt to open connections failed less than {@link #REOPEN_BACKOFF_MS} ago, and no
     * connection is open.
     *
     * @return true while the node is known to be unreachable.
     */
    boolean unreachable() {
        return lastFailure != null && System.nanoTime() - failedUntilNs < 0 && firstOpen(connections) == null;
    }

    /**
     * Closes every connection and waits, bounded, for their threads.
     *
     * @param cause the exception their requests fail with.
     */
    void close(final LoomConnectionException cause) {
        for (final Connection connection : connections) {
            connection.closeAndJoin(cause);
        }
    }

    /**
     * The connections opened last.
     *
     * @return the array, empty before the first open; not to be modified.
     */
    Connection[] connections() {
        return connections;
    }

    /**
     * The node's address as text.
     *
     * @return "host:port".
     */
    String address() {
        return address;
    }

    /**
     * The node's address.
     *
     * @return the address as given, possibly unresolved.
     */
    InetSocketAddress socketAddress() {
        return socketAddress;
    }

    /**
     * The router of the client this endpoint belongs to.
     *
     * @return the router.
     */
    RequestRouter router() {
        return router;
    }

    @Override
    public String toString() {
        return address;
    }
}
