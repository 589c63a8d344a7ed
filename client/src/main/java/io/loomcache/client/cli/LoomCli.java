package io.loomcache.client.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.loomcache.client.ClientContext;
import io.loomcache.client.LoomBlockingClient;
import io.loomcache.client.LoomClient;
import io.loomcache.client.LoomException;
import io.loomcache.protocol.options.Units;
import io.loomcache.protocol.options.UsageException;

/**
 * The LoomCache command-line client, run by {@code scripts/cli}. With a command it connects, runs it, prints the
 * result and exits: 0 for success (OK, a value, true, a number), 1 for a missing key or a false result, 2 for an
 * error (one line on stderr, {@code error: ...}) or bad usage (the usage on stderr). With no command it opens an
 * interactive prompt. Keys and values on the command line are taken as UTF-8; values print as raw bytes followed by
 * a newline.
 */
public final class LoomCli {
    /** Exit code: success, value found, or true. */
    public static final int EXIT_OK = 0;
    /** Exit code: key not found, or false. */
    public static final int EXIT_FALSE = 1;
    /** Exit code: an error, or bad usage. */
    public static final int EXIT_ERROR = 2;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    /**
     * Creates a CLI over the given streams.
     *
     * @param in where interactive commands are read.
     * @param out where results go.
     * @param err where errors and usage go.
     * @param terminal whether stdin is a terminal, which shows the interactive prompt.
     */
    public LoomCli(final InputStream in, final PrintStream out, final PrintStream err, final boolean terminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * Runs the CLI on the process's streams and exits with its code.
     *
     * @param args the command line.
     */
    public static void main(final String[] args) {
        final Console console = System.console();
        final boolean terminal = console != null && console.isTerminal();
        final int exitCode = new LoomCli(System.in, System.out, System.err, terminal).run(args);
        System.out.flush();
        System.exit(exitCode);
    }

    /**
     * Runs one command line.
     *
     * @param args the words of the command line.
     * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_FALSE} or {@link #EXIT_ERROR}.
     */
    public int run(final String... args) {
        final CommandLine line;
        try {
            line = CommandLine.parse(Arrays.asList(args), true);
        } catch (final UsageException ex) {
            err.println("error: " + ex.getMessage());
            err.print(usage());
            err.flush();
            return EXIT_ERROR;
        }
        if (line.help() || line.command() == Command.HELP) {
            out.print(usage());
            out.flush();
            return EXIT_OK;
        }
        if (line.command() == Command.QUIT) {
            return EXIT_OK;
        }
        try {
            if (line.command() == null) {
                final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                return new InteractiveShell(line, reader, out, err, terminal).run();
            }
            try (LoomBlockingClient client = connect(line)) {
                return new CommandExecutor(out, false).execute(line, client);
            }
        } catch (final LoomException ex) {
            return printError(err, ex);
        } catch (final IllegalArgumentException | UncheckedIOException ex) {
            err.println("error: " + ex.getMessage());
            err.flush();
            return EXIT_ERROR;
        }
    }

    /**
     * Connects a client for the line's node or nodes and timeout. The client is always given nodes (the one of
     * {@code --host} and {@code --port} alone, by default), so that even its first request follows a redirect to its
     * key's leader.
     *
     * @param line the parsed command line.
     * @return the connected blocking client.
     * @throws LoomException when no node can be connected.
     */
    static LoomBlockingClient connect(final CommandLine line) {
        final ClientContext context = new ClientContext().connectTimeoutMs(line.timeoutMs())
            .requestTimeoutMs(line.timeoutMs()).clientName("loomcache-cli");
        if (line.nodes() != null) {
            context.nodes(line.nodes());
        } else {
            context.nodes(List.of(InetSocketAddress.createUnresolved(line.host(), line.port())));
        }
        return LoomClient.connect(context).blocking();
    }

    /**
     * Prints a client exception as one line.
     *
     * @param err the error stream.
     * @param ex the exception.
     * @return {@link #EXIT_ERROR}.
     */
    static int printError(final PrintStream err, final LoomException ex) {
        err.println("error: " + ex.getMessage());
        err.flush();
        return EXIT_ERROR;
    }

    /**
     * The usage text.
     *
     * @return several lines, ending with a newline.
     */
    static String usage() {
        final StringBuilder text = new StringBuilder(1024)
            .append("usage: cli [--host HOST] [--port PORT] [--timeout DURATION] [COMMAND [ARGS...]]\n")
            .append("       cli --nodes HOST:PORT,HOST:PORT,... [--timeout DURATION] [COMMAND [ARGS...]]\n")
            .append("--nodes names a cluster's nodes, any one of which is enough to connect; every request follows\n")
            .append("redirects to the leader of its key's partition (so does a request sent to --host).\n")
            .append("commands:\n");
        for (final Command command : Command.values()) {
            text.append(String.format("  %-40s %s%n", command.synopsis(), command.description()));
        }
        return text.append("With no command: an interactive prompt (help, quit).\n")
            .append("Defaults: --host ").append(ClientContext.DEFAULT_HOST).append(" --port ")
            .append(ClientContext.DEFAULT_PORT).append(" --timeout ")
            .append(Units.formatDuration(ClientContext.DEFAULT_REQUEST_TIMEOUT_MS * 1_000_000L))
            .append(". Durations: a number and a unit ns, us, ms, s, m, h: 500ms, 1.5s, 2m, 1h.\n")
            .append("Keys and values are UTF-8 words; '--' makes every later word an argument.\n")
            .append("Exit status: 0 success/true/found, 1 false/not found, 2 error or bad usage.\n")
            .toString();
    }
}
