package io.loomcache.loadgen.config;

import java.util.ArrayList;
import java.util.List;

import io.loomcache.protocol.HostPort;
import io.loomcache.protocol.options.UsageException;

/**
 * One node of a cluster given by {@code --nodes}: a host name or address and a client port. Immutable.
 *
 * @param host the host as given, an IPv6 address without brackets.
 * @param port the port, 1..65535.
 */
public record NodeAddress(String host, int port) {
    /**
     * Parses a comma-separated list of {@code host:port} entries (an IPv6 host in brackets); blanks and a
     * {@code name@} prefix (the server's {@code LOOMCACHE_NODES} form) are ignored.
     *
     * @param flag the flag, for messages.
     * @param text the list.
     * @return the nodes in order.
     * @throws UsageException naming the first entry that is not {@code host:port}.
     */
    public static List<NodeAddress> parseList(final String flag, final String text) {
        final List<NodeAddress> nodes = new ArrayList<>();
        for (final String entry : text.split(",", -1)) {
            nodes.add(parse(flag, entry.strip()));
        }
        return List.copyOf(nodes);
    }

    private static NodeAddress parse(final String flag, final String given) {
        final String entry = given.substring(given.lastIndexOf('@') + 1);
        try {
            final HostPort address = HostPort.parse(entry);
            return new NodeAddress(address.host(), address.port());
        } catch (final IllegalArgumentException ex) {
            throw new UsageException("invalid " + flag + " entry '" + entry + "': " + ex.getMessage());
        }
    }

    /**
     * The address as text.
     *
     * @return {@code host:port}, an IPv6 host in brackets.
     */
    @Override
    public String toString() {
        return HostPort.format(host, port);
    }
}
