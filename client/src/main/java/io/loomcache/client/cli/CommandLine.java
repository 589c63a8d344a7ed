package io.loomcache.client.cli;

import java.util.ArrayList;
import java.util.List;

import io.loomcache.client.ClientContext;
import io.loomcache.protocol.options.FlagCursor;
import io.loomcache.protocol.options.Units;
import io.loomcache.protocol.options.UsageException;

/**
 * A parsed command line: connection options (one node by {@code --host} and {@code --port}, or a cluster's nodes by
 * {@code --nodes}), an optional command with its arguments, and {@code --ttl}. Options
 * ({@code --name value} or {@code --name=value}) may stand anywhere; a word with a single leading dash (such as -5)
 * is an argument, and {@code --} makes every later word an argument, so that a key or value may start with "--".
 *
 * @param host the server host.
 * @param port the server port.
 * @param nodes the {@code --nodes} list ("host:port,host:port", blanks removed), or null for host and port.
 * @param timeoutMs the connect and request timeout.
 * @param ttlMs the TTL for put/putifabsent, 0 when not given.
 * @param help whether --help was given.
 * @param command the command, or null for the interactive prompt.
 * @param arguments the command's arguments.
 */
record CommandLine(String host, int port, String nodes, long timeoutMs, long ttlMs, boolean help, Command command,
    List<String> arguments) {

    /**
     * Parses the words of a command line.
     *
     * @param words the words.
     * @param connectionOptions whether --host, --port, --nodes and --timeout are allowed (not on interactive lines).
     * @return the parsed line.
     * @throws UsageException when the words do not follow the usage.
     */
    static CommandLine parse(final List<String> words, final boolean connectionOptions) {
        String host = ClientContext.DEFAULT_HOST;
        int port = ClientContext.DEFAULT_PORT;
        String nodes = null;
        boolean hostOrPort = false;
        long timeoutMs = ClientContext.DEFAULT_REQUEST_TIMEOUT_MS;
        long ttlMs = -1;
        boolean help = false;
        final List<String> positional = new ArrayList<>();
        final FlagCursor flags = new FlagCursor(words);
        while (flags.advance()) {
            final String name = flags.name();
            if (!flags.isFlag()) {
                positional.add(flags.word());
            } else if ("-h".equals(name) || "--help".equals(name)) {
                help = flags.requireNoValue();
            } else if ("--ttl".equals(name)) {
                ttlMs = flags.value(text -> Units.durationMs(text, false));
            } else if (!connectionOptions) {
                throw new UsageException("unknown option " + name + " (connection options go on the command line)");
            } else if ("--host".equals(name)) {
                host = requireHost(flags.value());
                hostOrPort = true;
            } else if ("--port".equals(name)) {
                port = parsePort(flags.value());
                hostOrPort = true;
            } else if ("--nodes".equals(name)) {
                nodes = parseNodes(flags.value());
            } else if ("--timeout".equals(name)) {
                timeoutMs = flags.value(text -> Units.durationMs(text, false));
                if (timeoutMs < 1) {
                    throw new UsageException("--timeout must be at least 1ms");
                }
            } else {
                throw new UsageException("unknown option " + name);
            }
        }
        if (nodes != null && hostOrPort) {
            throw new UsageException("--nodes replaces --host and --port: give one or the other");
        }
        return build(new CommandLine(host, port, nodes, timeoutMs, ttlMs, help, null, List.of()), positional);
    }

    private static CommandLine build(final CommandLine options, final List<String> positional) {
        final long ttlMs = options.ttlMs();
        if (positional.isEmpty()) {
            if (ttlMs >= 0) {
                throw new UsageException("--ttl needs a put or putifabsent command");
            }
            return new CommandLine(options.host(), options.port(), options.nodes(), options.timeoutMs(), 0,
                options.help(), null, List.of());
        }
        final Command command = Command.of(positional.getFirst());
        final List<String> arguments = List.copyOf(positional.subList(1, positional.size()));
        if (arguments.size() != command.arity()) {
            throw new UsageException("wrong number of arguments: " + command.synopsis());
        }
        if (ttlMs >= 0 && !command.takesTtl()) {
            throw new UsageException("--ttl applies to put and putifabsent only");
        }
        return new CommandLine(options.host(), options.port(), options.nodes(), options.timeoutMs(),
            Math.max(ttlMs, 0), options.help(), command, arguments);
    }

    private static String parseNodes(final String value) {
        try {
            new ClientContext().nodes(value);
        } catch (final IllegalArgumentException ex) {
            throw new UsageException("invalid --nodes: " + ex.getMessage());
        }
        return value.replaceAll("\\s", "");
    }

    private static String requireHost(final String value) {
        if (value.isBlank()) {
            throw new UsageException("--host must not be empty");
        }
        return value;
    }

    private static int parsePort(final String value) {
        final int port;
        try {
            port = Integer.parseInt(value);
        } catch (final NumberFormatException ex) {
            throw new UsageException("invalid port '" + value + "'");
        }
        if (port < 1 || port > 0xFFFF) {
            throw new UsageException("port must be in 1..65535: " + port);
        }
        return port;
    }

    /**
     * The server's address, for the prompt.
     *
     * @return "host:port", or the {@code --nodes} list.
     */
    String address() {
        return nodes != null ? nodes : host + ":" + port;
    }
}
