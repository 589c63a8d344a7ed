package io.loomcache.server.connection;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open connections per client and refuses one over the limit. A client is an IPv4 address, or an IPv6 /64
 * prefix (the smallest block one IPv6 host or subscriber is given, so one that holds a /64 cannot dodge the limit by
 * switching among its 2^64 addresses); an IPv4-mapped IPv6 address (::ffff:a.b.c.d, as a dual-stack socket reports
 * an IPv4 peer) counts as its IPv4 address. Runs at accept and close only, so it may allocate. Thread-safe.
 */
public final class ConnectionLimiter {
    /** The bytes 10 and 11 of an IPv4-mapped IPv6 address (::ffff:0:0/96) as the high half of the low long. */
    private static final long IPV4_MAPPED_MARKER = 0xFFFFL << 32;

    private final int maxPerIp;
    private final ConcurrentHashMap<Client, Integer> counts = new ConcurrentHashMap<>();

    /**
     * One client as the 128 bits of an IPv6 address with its host part cleared: an IPv6 /64 keeps its high long
     * and has a zero low long; an IPv4 address is its IPv4-mapped form, whose low long is never zero, so the two
     * kinds never collide (not even ::/64 with 0.0.0.0).
     *
     * @param high address bits 0..63.
     * @param low address bits 64..127.
     */
    private record Client(long high, long low) {
        static Client of(final InetAddress address) {
            final byte[] bytes = address.getAddress();
            if (address instanceof Inet4Address) {
                return ipv4(bytes, 0);
            }
            final long high = bits(bytes, 0, 8);
            final long low = bits(bytes, 8, 8);
            return high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == IPV4_MAPPED_MARKER ? ipv4(bytes, 12) :
                new Client(high, 0);
        }

        private static Client ipv4(final byte[] bytes, final int offset) {
            return new Client(0, IPV4_MAPPED_MARKER | bits(bytes, offset, 4));
        }

        /** The big-endian unsigned value of length (at most 8) bytes from offset. */
        private static long bits(final byte[] bytes, final int offset, final int length) {
            long value = 0;
            for (int i = offset; i < offset + length; i++) {
                value = (value << 8) | (bytes[i] & 0xFFL);
            }
            return value;
        }
    }

    /**
     * Creates a limiter.
     *
     * @param maxPerIp connections one IPv4 address or IPv6 /64 may hold.
     */
    public ConnectionLimiter(final int maxPerIp) {
        this.maxPerIp = maxPerIp;
    }

    /**
     * Takes one connection of the client an address belongs to (its IPv4 address or IPv6 /64).
     *
     * @param address the remote IP.
     * @return true when under the limit (counted), false when refused (not counted).
     */
    public boolean tryAcquire(final InetAddress address) {
        final boolean[] acquired = new boolean[1];
        counts.compute(Client.of(address), (client, count) -> {
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
     * Gives one connection of the client an address belongs to back; call it with the address given to
     * {@link #tryAcquire}. The client's entry goes when its count reaches zero.
     *
     * @param address the remote IP.
     */
    public void release(final InetAddress address) {
        counts.computeIfPresent(Client.of(address), (client, count) -> count <= 1 ? null : count - 1);
    }

    /**
     * Connections the client an address belongs to holds.
     *
     * @param address the remote IP.
     * @return the count of its IPv4 address or IPv6 /64.
     */
    public int count(final InetAddress address) {
        return counts.getOrDefault(Client.of(address), 0);
    }

    /**
     * Clients (IPv4 addresses and IPv6 /64 prefixes) that hold at least one connection.
     *
     * @return the number of entries.
     */
    public int size() {
        return counts.size();
    }
}
