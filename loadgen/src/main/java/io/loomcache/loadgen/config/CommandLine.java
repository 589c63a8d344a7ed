package io.loomcache.loadgen.config;

import java.nio.file.Path;
import java.util.Locale;

import io.loomcache.loadgen.wire.KeyFormat;
import io.loomcache.protocol.ProtocolLimits;

/**
 * Parses the load generator's flags ({@code --flag value} or {@code --flag=value}) into a {@link LoadGenContext}.
 * Every problem is reported as a {@link UsageException} whose message is one line naming the flag.
 * Stateless and thread-safe.
 */
public final class CommandLine {
    /** Largest number of connections. */
    public static final int MAX_CONNECTIONS = 10_000;
    /** Largest pipeline depth or in-flight cap per connection. */
    public static final int MAX_IN_FLIGHT = 65_536;
    /** Largest value size: the protocol's default value limit. */
    public static final int MAX_VALUE_SIZE = ProtocolLimits.DEFAULT_MAX_VALUE_LENGTH;

    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: loadgen [flags]",
        "  --host HOST             server address (default 127.0.0.1)",
        "  --port PORT             server port (default 7654 for loom, 6379 for resp)",
        "  --protocol loom|resp    wire protocol (default loom)",
        "  --connections N         connections (default 50)",
        "  --pipeline N            requests in flight per connection, closed loop (default 16)",
        "  --keys N                key space, keys key:%012d drawn uniformly (default 1000000)",
        "  --value-size BYTES      value length of writes (default 100)",
        "  --read-ratio F          fraction of reads, 0..1 (default 0.8)",
        "  --duration D            measured time, e.g. 15s, 2m, 500ms (default 15s)",
        "  --requests N            measure N requests instead (deadline --duration, default 10m)",
        "  --warmup D              warm-up before measuring (at the first step's rate for watermark), discarded",
        "                          (default 5s; 0 with --requests)",
        "  --rate OPS              open loop at OPS requests/s over all connections (default: closed loop)",
        "  --max-in-flight N       open loop: requests in flight per connection before sends fall behind (1024)",
        "  --threads T             I/O threads driving the connections (default 1)",
        "  --preload               write every key once before the warm-up",
        "  --scenario watermark    loom only: open-loop steps past the server's high watermark and back",
        "  --steps R1,R2,...       watermark offered rates (default 1000,5000,20000,50000,100000,200000,50000,5000)",
        "  --step-duration D       watermark step length (default 10s)",
        "  --hgrm FILE             write the latency percentile distribution (.hgrm, microseconds)",
        "  --json FILE             write the summary as JSON",
        "  --seed N                random seed (default 42)",
        "  --connect-timeout D     connect and handshake deadline (default 5s)",
        "  --quiet                 no per-second progress lines",
        "  --help                  this text");

    private CommandLine() {
    }

    /**
     * The usage text.
     *
     * @return several lines.
     */
    public static String usage() {
        return USAGE;
    }

    /**
     * Tells whether the arguments ask for help.
     *
     * @param args the arguments.
     * @return true when {@code --help} or {@code -h} is among them.
     */
    public static boolean wantsHelp(final String... args) {
        for (final String arg : args) {
            if ("--help".equals(arg) || "-h".equals(arg)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses and validates the arguments.
     *
     * @param args the arguments.
     * @return the settings.
     * @throws UsageException naming the first bad flag.
     */
    public static LoadGenContext parse(final String... args) throws UsageException {
        final LoadGenContext.Builder builder = new LoadGenContext.Builder();
        int i = 0;
        while (i < args.length) {
            final String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            final int equals = arg.indexOf('=');
            final String flag = equals < 0 ? arg : arg.substring(0, equals);
            if (isSwitch(flag)) {
                if (equals >= 0) {
                    throw new UsageException(flag + " takes no value");
                }
                applySwitch(builder, flag);
                i++;
                continue;
            }
            final String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
                i++;
            } else {
                if (i + 1 >= args.length) {
                    throw new UsageException(flag + " needs a value");
                }
                value = args[i + 1];
                i += 2;
            }
            apply(builder, flag, value);
        }
        return builder.build();
    }

    private static boolean isSwitch(final String flag) {
        return "--preload".equals(flag) || "--quiet".equals(flag);
    }

    private static void applySwitch(final LoadGenContext.Builder builder, final String flag) {
        if ("--preload".equals(flag)) {
            builder.preload = true;
        } else {
            builder.quiet = true;
        }
    }

    private static void apply(final LoadGenContext.Builder b, final String flag, final String value)
        throws UsageException {
        switch (flag) {
            case "--host" -> b.host = nonEmpty(flag, value);
            case "--port" -> b.port = (int)integer(flag, value, 1, 65_535);
            case "--protocol" -> b.protocol = protocol(value);
            case "--connections" -> b.connections = (int)integer(flag, value, 1, MAX_CONNECTIONS);
            case "--pipeline" -> b.pipeline = (int)integer(flag, value, 1, MAX_IN_FLIGHT);
            case "--max-in-flight" -> b.maxInFlight = (int)integer(flag, value, 1, MAX_IN_FLIGHT);
            case "--keys" -> b.keys = integer(flag, value, 1, KeyFormat.MAX_KEYS);
            case "--value-size" -> b.valueSize = (int)integer(flag, value, 0, MAX_VALUE_SIZE);
            case "--read-ratio" -> b.readRatio = decimal(flag, value, 0, 1);
            case "--duration" -> {
                b.durationNs = duration(flag, value);
                b.durationGiven = true;
            }
            case "--requests" -> b.requests = integer(flag, value, 1, Long.MAX_VALUE);
            case "--warmup" -> b.warmupNs = duration(flag, value);
            case "--rate" -> b.rateOpsPerSec = positive(flag, value);
            case "--threads" -> b.threads = (int)integer(flag, value, 1, MAX_CONNECTIONS);
            case "--hgrm" -> b.hgrmFile = Path.of(nonEmpty(flag, value));
            case "--json" -> b.jsonFile = Path.of(nonEmpty(flag, value));
            case "--scenario" -> b.watermark = scenario(value);
            case "--steps" -> b.steps = steps(flag, value);
            case "--step-duration" -> b.stepDurationNs = positiveDuration(flag, value);
            case "--seed" -> b.seed = integer(flag, value, Long.MIN_VALUE, Long.MAX_VALUE);
            case "--connect-timeout" -> b.connectTimeoutNs = positiveDuration(flag, value);
            default -> throw new UsageException("unknown flag " + flag);
        }
    }

    private static String nonEmpty(final String flag, final String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(flag + " needs a non-empty value");
        }
        return value;
    }

    private static Protocol protocol(final String value) throws UsageException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "loom" -> Protocol.LOOM;
            case "resp", "redis" -> Protocol.RESP;
            default -> throw new UsageException("--protocol must be loom or resp, not '" + value + "'");
        };
    }

    private static boolean scenario(final String value) throws UsageException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "watermark" -> true;
            case "none" -> false;
            default -> throw new UsageException("--scenario must be watermark, not '" + value + "'");
        };
    }

    static long integer(final String flag, final String value, final long min, final long max)
        throws UsageException {
        final long parsed;
        try {
            parsed = Long.parseLong(value.trim().replace("_", ""));
        } catch (final NumberFormatException ex) {
            throw new UsageException("invalid " + flag + " '" + value + "': not an integer");
        }
        if (parsed < min || parsed > max) {
            throw new UsageException("invalid " + flag + " " + value + ": must be in " + min + ".." + max);
        }
        return parsed;
    }

    private static double decimal(final String flag, final String value, final double min, final double max)
        throws UsageException {
        final double parsed = number(flag, value);
        if (!(parsed >= min && parsed <= max)) {
            throw new UsageException("invalid " + flag + " " + value + ": must be in " + min + ".." + max);
        }
        return parsed;
    }

    private static double positive(final String flag, final String value) throws UsageException {
        final double parsed = number(flag, value);
        if (!(parsed > 0) || Double.isInfinite(parsed)) {
            throw new UsageException("invalid " + flag + " " + value + ": must be a positive number");
        }
        return parsed;
    }

    private static double number(final String flag, final String value) throws UsageException {
        try {
            return Double.parseDouble(value.trim());
        } catch (final NumberFormatException ex) {
            throw new UsageException("invalid " + flag + " '" + value + "': not a number");
        }
    }

    private static long duration(final String flag, final String value) throws UsageException {
        try {
            return Durations.parseNs(value);
        } catch (final IllegalArgumentException ex) {
            throw new UsageException("invalid " + flag + " " + ex.getMessage());
        }
    }

    private static long positiveDuration(final String flag, final String value) throws UsageException {
        final long nanos = duration(flag, value);
        if (nanos == 0) {
            throw new UsageException("invalid " + flag + " " + value + ": must be more than 0");
        }
        return nanos;
    }

    private static double[] steps(final String flag, final String value) throws UsageException {
        final String[] parts = value.split(",", -1);
        final double[] rates = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            rates[i] = positive(flag, parts[i]);
        }
        return rates;
    }
}
