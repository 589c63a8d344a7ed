package io.loomcache.server.connection;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open connections per remote IP and refuses one over the limit. Runs at accept and close only, so it may
 * allocate. Thread-safe.
 */
public final class ConnectionLimiter {
    private final int maxPerIp;
    private final ConcurrentHashMap<InetAddress, Integer> counts = new ConcurrentHashMap<>();

    /**
     * Creates a limiter.
     *
     * @param maxPerIp connections one IP may hold.
     */
    public ConnectionLimiter(final int maxPerIp) {
        this.maxPerIp = maxPerIp;
    }

    /**
     * Takes one connection of an IP.
     *
     * @param address the remote IP.
     * @return true when under the limit (counted), false when refused (not counted).
     */
    public boolean tryAcquire(final InetAddress address) {
        final boolean[] acquired = new boolean[1];
        counts.compute(address, (ip, count) -> {
            final int current = count == null ? 0 : count;
            if (current >= maxPerIp) {
                return count;
            }
            acquired[0] = true;
            return current + 1;
        });
        return acquired[0];
    }

    /**
     * Gives one connection of an IP back.
     *
     * @param address the remote IP.
     */
    public void release(final InetAddress address) {
        counts.computeIfPresent(address, (ip, count) -> count <= 1 ? null : count - 1);
    }

    /**
     * Connections an IP holds.
     *
     * @param address the remote IP.
     * @return the count.
     */
    public int count(final InetAddress address) {
        return counts.getOrDefault(address, 0);
    }
}
