package io.loomcache.client.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.loomcache.client.LoomBlockingClient;
import io.loomcache.client.ServerInfo;
import io.loomcache.protocol.PartitionTableCodec;

/**
 * Runs one command against a connected client and prints its result: values raw (the bytes, then a newline),
 * "OK" for acknowledged writes, "true"/"false" for conditional operations, numbers for size. The exit code is
 * {@link LoomCli#EXIT_OK}, or {@link LoomCli#EXIT_FALSE} for a missing key or a false result. Exceptions of the
 * client propagate to the caller, which prints them.
 */
final class CommandExecutor {
    private static final String OK = "OK";
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final PrintStream out;
    private final boolean interactive;

    /**
     * Creates an executor.
     *
     * @param out where results go.
     * @param interactive whether a missing value prints "(nil)" (interactive) or nothing (one-shot).
     */
    CommandExecutor(final PrintStream out, final boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /**
     * Runs a data command (not HELP or QUIT).
     *
     * @param line the parsed line.
     * @param client the connected client.
     * @return the exit code.
     */
    int execute(final CommandLine line, final LoomBlockingClient client) {
        final List<String> args = line.arguments();
        return switch (line.command()) {
            case GET -> printValue(client.get(bytes(args.get(0))));
            case PUT -> {
                client.put(bytes(args.get(0)), bytes(args.get(1)), line.ttlMs());
                yield printLine(OK);
            }
            case PUTIFABSENT -> printBoolean(client.putIfAbsent(bytes(args.get(0)), bytes(args.get(1)), line.ttlMs()));
            case CAS -> printBoolean(client.replace(bytes(args.get(0)), bytes(args.get(1)), bytes(args.get(2))));
            case REMOVE -> printBoolean(client.remove(bytes(args.get(0))));
            case CONTAINS -> printBoolean(client.containsKey(bytes(args.get(0))));
            case SIZE -> printLine(Long.toString(client.size()));
            case CLEAR -> {
                client.clear();
                yield printLine(OK);
            }
            case PING -> printLine("PONG " + millis(client.ping()) + " ms");
            case INFO -> printInfo(client);
            case PARTITIONS -> printPartitions(LoomBlockingClient.await(client.async().partitionTable()));
            default -> throw new IllegalArgumentException("not a data command: " + line.command());
        };
    }

    private int printValue(final byte[] value) {
        if (value == null) {
            if (interactive) {
                printLine("(nil)");
            }
            return LoomCli.EXIT_FALSE;
        }
        out.writeBytes(value);
        out.println();
        out.flush();
        return LoomCli.EXIT_OK;
    }

    private int printBoolean(final boolean result) {
        printLine(Boolean.toString(result));
        return result ? LoomCli.EXIT_OK : LoomCli.EXIT_FALSE;
    }

    private int printPartitions(final PartitionTableCodec.Table table) {
        printLine("group leader term partitions (of " + table.partitionCount() + ")");
        for (int g = 0; g < table.groupCount(); g++) {
            final String leader = table.addressOf(table.leaderIds()[g]);
            final int partitions = table.partitionCount() / table.groupCount() +
                (g < table.partitionCount() % table.groupCount() ? 1 : 0);
            printLine(g + " " + (leader == null ? "(none)" : leader) + " " + table.terms()[g] + " " + partitions);
        }
        return LoomCli.EXIT_OK;
    }

    private int printInfo(final LoomBlockingClient client) {
        final ServerInfo info = client.async().serverInfo();
        final long pingNs = client.ping();
        printLine("server:" + info.address());
        printLine("protocol_version:" + info.protocolVersion());
        printLine("node_id:" + info.nodeId());
        printLine("max_frame_length:" + info.maxFrameLength());
        printLine("partition_count:" + info.partitionCount());
        return printLine("ping_ms:" + millis(pingNs));
    }

    private int printLine(final String text) {
        out.println(text);
        out.flush();
        return LoomCli.EXIT_OK;
    }

    private static String millis(final long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / NANOS_PER_MILLI);
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
