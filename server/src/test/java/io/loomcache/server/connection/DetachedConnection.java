package io.loomcache.server.connection;

import java.net.InetAddress;

import org.agrona.concurrent.SystemNanoClock;

/**
 * A loopback connection whose transport does nothing, for tests that play its reader and writer by hand: it counts
 * wake-ups (the only way its writer would look again) and closing releases its state.
 */
public class DetachedConnection extends Connection {
    private int wakeUps;

    /**
     * Creates a connection with buffers of its own.
     *
     * @param ringLength outbound ring capacity, a power of two.
     * @param spillLimitBytes unsent bytes allowed past the ring.
     */
    public DetachedConnection(final int ringLength, final long spillLimitBytes) {
        super(InetAddress.getLoopbackAddress(), ringLength, spillLimitBytes);
    }

    /**
     * Creates a connection leasing from shared buffers, with 1 MiB of spill.
     *
     * @param buffers the connection memory, where the outbound ring is leased.
     */
    public DetachedConnection(final ConnectionBuffers buffers) {
        super(InetAddress.getLoopbackAddress(), buffers, 1024 * 1024, SystemNanoClock.INSTANCE);
    }

    @Override
    public void wakeWriter() {
        wakeUps++;
    }

    @Override
    protected void closeTransport() {
        release();
    }

    /**
     * Times the writer was woken.
     *
     * @return the count.
     */
    public int wakeUps() {
        return wakeUps;
    }
}
