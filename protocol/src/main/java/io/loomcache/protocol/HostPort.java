package io.loomcache.protocol;

/**
 * A node address as LoomCache writes it everywhere (member lists, {@code --nodes}, redirects, the partition table):
 * {@code host:port}, an IPv6 host in brackets ({@code [::1]:7654}), optionally after a {@code name@} prefix (the
 * server's {@code LOOMCACHE_NODES} form). Parsing resolves nothing. Immutable.
 *
 * @param host the host as given, an IPv6 address without its brackets.
 * @param port the port, 1..65535.
 */
public record HostPort(String host, int port) {
    /** Largest TCP port. */
    public static final int MAX_PORT = 65_535;

    /**
     * Parses one address; the caller names the entry in its own message around the reason thrown.
     *
     * @param text {@code host:port} or {@code [v6]:port}, possibly after {@code name@} (ignored here).
     * @return the address.
     * @throws IllegalArgumentException whose message is the reason alone: {@code not host:port}, {@code the port is
     *     not a number}, or {@code needs a host and a port in 1..65535}.
     */
    public static HostPort parse(final String text) {
        final String entry = text.substring(text.lastIndexOf('@') + 1);
        final int colon = entry.lastIndexOf(':');
        if (colon <= 0 || colon == entry.length() - 1) {
            throw new IllegalArgumentException("not host:port");
        }
        String host = entry.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try {
            port = Integer.parseInt(entry.substring(colon + 1));
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("the port is not a number");
        }
        if (host.isBlank() || port < 1 || port > MAX_PORT) {
            throw new IllegalArgumentException("needs a host and a port in 1.." + MAX_PORT);
        }
        return new HostPort(host, port);
    }

    /**
     * Formats an address.
     *
     * @param host the host, an IPv6 address without brackets.
     * @param port the port.
     * @return {@code host:port}, an IPv6 host (one with a colon) in brackets.
     */
    public static String format(final String host, final int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return format(host, port);
    }
}
