package io.loomcache.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.loomcache.protocol.HostPort;

/**
 * The text form of node addresses: {@code host:port}, an IPv6 host in brackets ({@code [::1]:7654}), lists separated
 * by commas; a {@code name@} prefix (the server's {@code LOOMCACHE_NODES} form) is ignored. Parsing resolves
 * nothing (the addresses are unresolved until a connection is opened). Stateless and thread-safe.
 */
final class NodeAddresses {
    private NodeAddresses() {
    }

    /**
     * Parses a comma-separated list of addresses; blanks around entries are ignored.
     *
     * @param text for example {@code "10.0.0.1:7654,10.0.0.2:7654"}.
     * @return the addresses in order, unresolved.
     * @throws IllegalArgumentException naming the first entry that is not {@code host:port}.
     */
    static List<InetSocketAddress> parseList(final String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("nodes must name at least one host:port");
        }
        final String[] entries = text.split(",", -1);
        final List<InetSocketAddress> nodes = new ArrayList<>(entries.length);
        for (final String entry : entries) {
            nodes.add(parse(entry.strip()));
        }
        return List.copyOf(nodes);
    }

    /**
     * Parses one address.
     *
     * @param entry {@code host:port}, or {@code [v6 address]:port}, possibly after {@code name@}.
     * @return the address, unresolved.
     * @throws IllegalArgumentException when the text is not {@code host:port} with a port in 1..65535.
     */
    static InetSocketAddress parse(final String entry) {
        final String text = entry.substring(entry.lastIndexOf('@') + 1);
        try {
            final HostPort address = HostPort.parse(text);
            return InetSocketAddress.createUnresolved(address.host(), address.port());
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException("node address '" + text + "': " + ex.getMessage(), ex);
        }
    }

    /**
     * Formats an address as text, bracketing an IPv6 host.
     *
     * @param address the address, resolved or not.
     * @return {@code host:port} with the host as given.
     */
    static String format(final InetSocketAddress address) {
        return HostPort.format(address.getHostString(), address.getPort());
    }
}
