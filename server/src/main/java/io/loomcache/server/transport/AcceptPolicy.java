package io.loomcache.server.transport;

import java.net.InetAddress;

import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.ResponseEncoder;
import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.server.connection.ConnectionServices;

/**
 * The admission rules every transport applies to a new connection: above the high watermark it is refused with
 * RESPONSE_SERVER_BUSY, while shutting down with RESPONSE_ERROR SHUTTING_DOWN, over the per-IP limit (per IPv4
 * address, per IPv6 /64, see {@link io.loomcache.server.connection.ConnectionLimiter}) with RESPONSE_ERROR
 * TOO_MANY_CONNECTIONS (correlation id 0 in each case), then closed. Acceptor threads only; may allocate (a
 * connection is not the hot path).
 */
public final class AcceptPolicy {
    /** Admitted: the per-IP count was taken. */
    public static final int ADMITTED = 0;

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
     * Decides on a new connection and, when admitted, takes its per-IP count.
     *
     * @param address the remote IP.
     * @return {@link #ADMITTED}, or the {@link ErrorCode} of the refusal.
     */
    public int admit(final InetAddress address) {
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
     * Whether accepts should be spaced out now.
     *
     * @return true between the watermarks.
     */
    public boolean throttled() {
        return services.backpressure().level() == BackpressureController.THROTTLED;
    }
}
