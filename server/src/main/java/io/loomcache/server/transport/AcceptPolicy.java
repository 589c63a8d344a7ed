package io.loomcache.server.transport;

import java.net.InetAddress;
import java.util.function.IntConsumer;

import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.ResponseEncoder;
import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionServices;

/**
 * The admission rules every transport applies to a new connection: above the high watermark it is refused with
 * RESPONSE_SERVER_BUSY, while shutting down with RESPONSE_ERROR SHUTTING_DOWN, over the per-IP limit (per IPv4
 * address, per IPv6 /64, see {@link io.loomcache.server.connection.ConnectionLimiter}) with RESPONSE_ERROR
 * TOO_MANY_CONNECTIONS (correlation id 0 in each case), then closed. Acceptor threads only; may allocate (a
 * connection is not the hot path).
 */
public final class AcceptPolicy {
    private static final int ADMITTED = 0;

    private final ConnectionServices services;

    /**
     * Creates the policy.
     *
     * @param services the node's services.
     */
    public AcceptPolicy(final ConnectionServices services) {
        this.services = services;
    }

    /**
     * Admits or refuses a new connection and, when admitted, creates it, sets its release (registry slot, per-IP
     * count) and registers it. A refused connection is handed to {@code refuser} with its {@link ErrorCode}; when
     * the factory fails or every registry slot is taken, the per-IP count is given back here, once, and a created
     * connection is discarded.
     *
     * @param address the remote IP.
     * @param factory the transport's connection constructor.
     * @param refuser sends {@link #refusal} for the error code and closes the socket.
     * @param <C> the transport's connection type.
     * @param <E> what the factory may throw.
     * @return the registered connection, not yet started; null when refused.
     * @throws E when the factory fails (the caller closes the socket).
     */
    <C extends Connection, E extends Exception> C accept(
        final InetAddress address, final ConnectionFactory<C, E> factory, final IntConsumer refuser) throws E {
        final int refusal = admit(address);
        if (refusal != ADMITTED) {
            refuser.accept(refusal);
            return null;
        }
        C connection = null;
        boolean registered = false;
        try {
            connection = factory.create(address);
            final C released = connection;
            connection.onRelease(() -> {
                services.registry().unregister(released);
                services.limiter().release(address);
            });
            registered = services.registry().register(connection);
        } finally {
            if (!registered) {
                services.limiter().release(address);
                if (connection != null) {
                    connection.discard();
                }
            }
        }
        if (!registered) {
            refuser.accept(ErrorCode.TOO_MANY_CONNECTIONS);
            return null;
        }
        return connection;
    }

    /** ADMITTED with the per-IP count taken, or the {@link ErrorCode} of the refusal. */
    private int admit(final InetAddress address) {
        final int level = services.backpressure().level();
        if (level == BackpressureController.SHUTTING_DOWN) {
            return ErrorCode.SHUTTING_DOWN;
        }
        if (level == BackpressureController.BUSY) {
            return ErrorCode.SERVER_BUSY;
        }
        if (services.registry().count() >= services.context().maxConnections() ||
            !services.limiter().tryAcquire(address)) {
            return ErrorCode.TOO_MANY_CONNECTIONS;
        }
        return ADMITTED;
    }

    /**
     * The frame sent before closing a refused connection.
     *
     * @param errorCode the refusal.
     * @return the frame bytes.
     */
    public byte[] refusal(final int errorCode) {
        services.metrics().refusedConnection();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final ResponseEncoder encoder = new ResponseEncoder().wrap(buffer, 0);
        final int length = errorCode == ErrorCode.SERVER_BUSY ?
            encoder.serverBusy(0, BackpressureController.RETRY_AFTER_MS) : encoder.error(0, errorCode);
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    /**
     * The Redis error reply sent before closing a refused connection on the Redis port (Redis's own text for too
     * many clients).
     *
     * @param errorCode the refusal.
     * @return the reply bytes.
     */
    public byte[] respRefusal(final int errorCode) {
        services.metrics().refusedConnection();
        final String text = switch (errorCode) {
            case ErrorCode.TOO_MANY_CONNECTIONS -> "-ERR max number of clients reached\r\n";
            case ErrorCode.SERVER_BUSY -> "-TRYAGAIN the node is busy, retry later\r\n";
            default -> "-ERR " + ErrorCode.description(errorCode) + "\r\n";
        };
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Whether accepts should be spaced out now.
     *
     * @return true between the watermarks.
     */
    public boolean throttled() {
        return services.backpressure().level() == BackpressureController.THROTTLED;
    }

    /** A transport's connection constructor, for {@link #accept}: the remote IP in, the unregistered connection out. */
    @FunctionalInterface
    interface ConnectionFactory<C extends Connection, E extends Exception> {
        C create(InetAddress address) throws E;
    }
}
