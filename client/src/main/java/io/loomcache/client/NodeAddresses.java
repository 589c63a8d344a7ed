package io.loomcache.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The text form of node addresses: {@code host:port}, an IPv6 host in brackets ({@code [::1]:7654}), lists separated
 * by commas; a {@code name@} prefix (the server's {@code LOOMCACHE_NODES} form) is ignored. Parsing resolves
 * nothing (the addresses are unresolved until a connection is opened). Stateless and thread-safe.
 */
final class NodeAddresses {
    private static final int MAX_PORT = 0xFFFF;

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
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("node address '" + text + "' is not host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("node address '" + text + "' has no host");
        }
        final int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("node address '" + text + "' has no numeric port", ex);
        }
        if (port < 1 || port > MAX_PORT) {
            throw new IllegalArgumentException("node address '" + text + "': port must be in 1..65535");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * Formats an address as text, bracketing an IPv6 host.
     *
     * @param address the address, resolved or not.
     * @return {@code host:port} with the host as given.
     */
    static String format(final InetSocketAddress address) {
        final String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
