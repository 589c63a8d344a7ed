package io.loomcache.server.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

/** The per-IP rule on synthetic addresses (creating an InetAddress from a literal sends nothing). */
class ConnectionLimiterTest {
    private static InetAddress ip(final String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    /** ::ffff:a.b.c.d kept as an Inet6Address, as a dual-stack stack may report it; getByName would unwrap it. */
    private static InetAddress mapped(final int a, final int b, final int c, final int d) throws UnknownHostException {
        final byte[] bytes = new byte[16];
        bytes[10] = (byte)0xff;
        bytes[11] = (byte)0xff;
        bytes[12] = (byte)a;
        bytes[13] = (byte)b;
        bytes[14] = (byte)c;
        bytes[15] = (byte)d;
        return Inet6Address.getByAddress(null, bytes, null);
    }

    @Test
    void shouldCountTwoIpv6AddressesOfOneSlash64AgainstOneLimit() throws Exception {
        final ConnectionLimiter limiter = new ConnectionLimiter(2);
        assertTrue(limiter.tryAcquire(ip("2001:db8:0:1::1")));
        assertTrue(limiter.tryAcquire(ip("2001:db8:0:1::2")));
        assertFalse(limiter.tryAcquire(ip("2001:db8:0:1:ffff:ffff:ffff:ffff")),
            "a third address of the same /64 must be refused");
        assertEquals(2, limiter.count(ip("2001:db8:0:1:abcd::9")));
    }

    @Test
    void shouldCountIpv6AddressesInDifferentSlash64sSeparately() throws Exception {
        final ConnectionLimiter limiter = new ConnectionLimiter(1);
        assertTrue(limiter.tryAcquire(ip("2001:db8:0:1::1")));
        assertTrue(limiter.tryAcquire(ip("2001:db8:0:2::1")), "the neighbouring /64 has its own limit");
        assertTrue(limiter.tryAcquire(ip("2001:db9:0:1::1")), "a /64 differing above bit 32 has its own limit");
        assertFalse(limiter.tryAcquire(ip("2001:db8:0:1::2")));
        assertEquals(1, limiter.count(ip("2001:db8:0:2::ffff")));
        assertEquals(3, limiter.size());
    }

    @Test
    void shouldCountIpv4PerAddress() throws Exception {
        final ConnectionLimiter limiter = new ConnectionLimiter(1);
        assertTrue(limiter.tryAcquire(ip("192.0.2.1")));
        assertTrue(limiter.tryAcquire(ip("192.0.2.2")), "IPv4 neighbours are separate clients");
        assertFalse(limiter.tryAcquire(ip("192.0.2.1")));
        assertEquals(2, limiter.size());
    }

    @Test
    void shouldCountAnIpv4MappedIpv6AddressAsItsIpv4Address() throws Exception {
        final ConnectionLimiter limiter = new ConnectionLimiter(2);
        final InetAddress mapped = mapped(192, 0, 2, 7);
        assertInstanceOf(Inet6Address.class, mapped);
        assertTrue(limiter.tryAcquire(mapped));
        assertTrue(limiter.tryAcquire(ip("192.0.2.7")));
        assertFalse(limiter.tryAcquire(mapped), "the mapped and plain forms are one client");
        assertFalse(limiter.tryAcquire(ip("192.0.2.7")));
        assertEquals(2, limiter.count(mapped));
        assertTrue(limiter.tryAcquire(mapped(192, 0, 2, 8)), "a mapped neighbour is a separate client");
        assertEquals(2, limiter.size());
    }

    @Test
    void shouldNotConfuseIpv4AddressesWithTheIpv6ZeroPrefix() throws Exception {
        final ConnectionLimiter limiter = new ConnectionLimiter(1);
        assertTrue(limiter.tryAcquire(ip("::1")));
        assertTrue(limiter.tryAcquire(ip("0.0.0.0")));
        assertTrue(limiter.tryAcquire(ip("0.0.0.1")));
        assertFalse(limiter.tryAcquire(ip("::2")), "::1 and ::2 share the /64 ::/64");
        assertEquals(3, limiter.size());
    }

    @Test
    void shouldReturnEveryPrefixToZeroAndDropItsEntryWhenAllItsConnectionsClose() throws Exception {
        final ConnectionLimiter limiter = new ConnectionLimiter(3);
        final InetAddress[] addresses = {
            ip("2001:db8:0:1::1"), ip("2001:db8:0:1::2"), ip("2001:db8:0:1::3"),
            ip("198.51.100.1"), mapped(198, 51, 100, 1), ip("198.51.100.1"),
        };
        for (int round = 0; round < 3; round++) {
            for (final InetAddress address : addresses) {
                assertTrue(limiter.tryAcquire(address), "round " + round + ": " + address);
            }
            assertFalse(limiter.tryAcquire(ip("2001:db8:0:1::4")));
            assertFalse(limiter.tryAcquire(ip("198.51.100.1")));
            assertEquals(2, limiter.size());
            for (final InetAddress address : addresses) {
                limiter.release(address);
            }
            assertEquals(0, limiter.count(ip("2001:db8:0:1::1")));
            assertEquals(0, limiter.count(ip("198.51.100.1")));
            assertEquals(0, limiter.size(), "round " + round + ": entries left behind");
        }
    }

    @Test
    void shouldIgnoreAReleaseOfAPrefixThatHoldsNothing() throws Exception {
        final ConnectionLimiter limiter = new ConnectionLimiter(1);
        limiter.release(ip("2001:db8::1"));
        assertEquals(0, limiter.size());
        assertTrue(limiter.tryAcquire(ip("2001:db8::1")));
        assertFalse(limiter.tryAcquire(ip("2001:db8::2")));
    }
}
