package io.loomcache.loadgen.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.loomcache.loadgen.report.SloGate;
import io.loomcache.loadgen.wire.KeyFormat;
import io.loomcache.loadgen.workload.KeyDistribution;
import io.loomcache.loadgen.workload.ValueSizes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.options.FlagCursor;
import io.loomcache.protocol.options.Units;
import io.loomcache.protocol.options.UsageException;

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
    /** Largest Zipf exponent (beyond it nearly every request is on key 0). */
    public static final int MAX_ZIPF_EXPONENT = 100;

    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: loadgen [flags]",
        "  --host HOST             server address (default 127.0.0.1)",
        "  --port PORT             server port (default 7654 for loom, 6379 for resp)",
        "  --nodes H:P,H:P,...     loom only, instead of --host/--port: a cluster's nodes; each connection opens a",
        "                          socket to every node and sends each key to its partition's leader, following",
        "                          redirects (list every node: a redirect to a node not listed counts as an error)",
        "  --protocol loom|resp    wire protocol (default loom)",
        "  --connections N         connections (default 50)",
        "  --pipeline N            requests in flight per connection, closed loop (default 16)",
        "  --keys N                key space, keys key:%012d (default 1000000)",
        "  --key-dist D            how keys are drawn: uniform (default), zipfian (key 0 the hottest, exact Zipf law),",
        "                          hotspot (a share of the requests on a share of the keys), sequential (in order,",
        "                          each I/O thread from its own start)",
        "  --zipf-exponent S       zipfian: P(key k) proportional to 1/(k+1)^S, S > 0 (default 0.99, YCSB's)",
        "  --hot-keys F            hotspot: the fraction of the keys that are hot, 0..1 exclusive (default 0.2)",
        "  --hot-ops F             hotspot: the fraction of the requests on hot keys, 0..1 (default 0.8)",
        "  --value-size SIZE       value length of writes, e.g. 100, 4k (default 100); or drawn per write: uniform in",
        "                          a range, 100-4k, or from a weighted list, 100:60,1k:30,16k:10",
        "  --read-ratio F          fraction of reads, the rest writes, 0..1 (default 0.8)",
        "  --mix OP=W,OP=W,...     operations by weight instead: get, set, del, setnx (put if absent), setex (put",
        "                          with --ttl), cas (compare-and-set, loom only), getset (read and write at once)",
        "  --workload A|B|C|F      a YCSB core workload: A 50% get 50% set, B 95/5, C get only, F 50% get 50% getset;",
        "                          zipfian keys unless --key-dist says otherwise (D and E have no counterpart)",
        "  --ttl D                 the TTL of setex writes (default 60s)",
        "  --duration D            measured time, a number and a unit ns us ms s m h: 15s, 2m, 1.5s (default 15s)",
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
        "  --plot FILE.html        write a page with the latency percentile spectrum, throughput and p99 per second",
        "                          (self-contained: its chart library is inlined, nothing is fetched when viewed)",
        "  --label NAME            the run's name in the JSON report, the plot and scripts/loadgen-compare",
        "                          (default: the protocol and the target)",
        "  --timeline FILE         write one CSV row per second of the run: successful, shed and failed requests per",
        "                          second, p50/p99/p99.9/max latency (us) and errors by code, for every phase",
        "  --slo OBJECTIVES        objectives the measured phase must meet, else exit 1 naming each miss and by how",
        "                          much: p50=200us,p99=1ms,p99.9=5ms,mean=300us,max=50ms (successful requests),",
        "                          errors=0 or errors=0.1% (of requests answered or lost), busy=0, throughput=50000",
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
    public static LoadGenContext parse(final String... args) {
        final LoadGenContext.Builder b = new LoadGenContext.Builder();
        final FlagCursor flags = new FlagCursor(List.of(args));
        while (flags.advance()) {
            if (!flags.isFlag()) {
                throw new UsageException("unexpected argument '" + flags.word() + "'");
            }
            final String flag = flags.name();
            switch (flag) {
                case "--preload" -> b.preload = flags.requireNoValue();
                case "--quiet" -> b.quiet = flags.requireNoValue();
                case "--host" -> b.host = nonEmpty(flag, flags.value());
                case "--port" -> b.port = (int)integer(flag, flags.value(), 1, 65_535);
                case "--nodes" -> b.nodes = NodeAddress.parseList(flag, flags.value());
                case "--protocol" -> b.protocol = protocol(flags.value());
                case "--connections" -> b.connections = (int)integer(flag, flags.value(), 1, MAX_CONNECTIONS);
                case "--pipeline" -> b.pipeline = (int)integer(flag, flags.value(), 1, MAX_IN_FLIGHT);
                case "--max-in-flight" -> b.maxInFlight = (int)integer(flag, flags.value(), 1, MAX_IN_FLIGHT);
                case "--keys" -> b.keys = integer(flag, flags.value(), 1, KeyFormat.MAX_KEYS);
                case "--key-dist" -> {
                    b.keyDistKind = keyDistribution(flags.value());
                    b.keyDistGiven = true;
                }
                case "--zipf-exponent" -> b.zipfExponent = exponent(flag, flags.value());
                case "--hot-keys" -> b.hotKeys = open(flag, flags.value());
                case "--hot-ops" -> b.hotOps = decimal(flag, flags.value(), 0, 1);
                case "--value-size" -> b.valueSizes = valueSizes(flag, flags.value());
                case "--read-ratio" -> {
                    b.readRatio = decimal(flag, flags.value(), 0, 1);
                    b.readRatioGiven = true;
                }
                case "--mix" -> b.mix = nonEmpty(flag, flags.value());
                case "--workload" -> b.workload = nonEmpty(flag, flags.value());
                case "--ttl" -> b.ttlNs = positiveDuration(flag, flags.value(Units::durationNs));
                case "--duration" -> {
                    b.durationNs = flags.value(Units::durationNs);
                    b.durationGiven = true;
                }
                case "--requests" -> b.requests = integer(flag, flags.value(), 1, Long.MAX_VALUE);
                case "--warmup" -> b.warmupNs = flags.value(Units::durationNs);
                case "--rate" -> b.rateOpsPerSec = positive(flag, flags.value());
                case "--threads" -> b.threads = (int)integer(flag, flags.value(), 1, MAX_CONNECTIONS);
                case "--hgrm" -> b.hgrmFile = Path.of(nonEmpty(flag, flags.value()));
                case "--json" -> b.jsonFile = Path.of(nonEmpty(flag, flags.value()));
                case "--slo" -> b.slo = SloGate.parse(flag, flags.value());
                case "--timeline" -> b.timelineFile = Path.of(nonEmpty(flag, flags.value()));
                case "--plot" -> b.plotFile = plotFile(flag, flags.value());
                case "--label" -> b.label = nonEmpty(flag, flags.value());
                case "--scenario" -> b.watermark = scenario(flags.value());
                case "--steps" -> b.steps = steps(flag, flags.value());
                case "--step-duration" -> b.stepDurationNs = positiveDuration(flag, flags.value(Units::durationNs));
                case "--seed" -> b.seed = integer(flag, flags.value(), Long.MIN_VALUE, Long.MAX_VALUE);
                case "--connect-timeout" -> b.connectTimeoutNs = positiveDuration(flag, flags.value(Units::durationNs));
                default -> throw new UsageException("unknown flag " + flag);
            }
        }
        return b.build();
    }

    private static String nonEmpty(final String flag, final String value) {
        if (value.isBlank()) {
            throw new UsageException(flag + " needs a non-empty value");
        }
        return value;
    }

    private static Protocol protocol(final String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "loom" -> Protocol.LOOM;
            case "resp", "redis" -> Protocol.RESP;
            default -> throw new UsageException("--protocol must be loom or resp, not '" + value + "'");
        };
    }

    private static boolean scenario(final String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "watermark" -> true;
            case "none" -> false;
            default -> throw new UsageException("--scenario must be watermark, not '" + value + "'");
        };
    }

    private static Path plotFile(final String flag, final String value) {
        if (!nonEmpty(flag, value).toLowerCase(Locale.ROOT).endsWith(".html")) {
            throw new UsageException(flag + " writes an HTML page: give a file name ending in .html, not '" + value +
                "'");
        }
        return Path.of(value);
    }

    private static ValueSizes valueSizes(final String flag, final String value) {
        try {
            return ValueSizes.parse(value, MAX_VALUE_SIZE);
        } catch (final IllegalArgumentException ex) {
            throw new UsageException("invalid " + flag + " '" + value + "': " + ex.getMessage());
        }
    }

    private static int keyDistribution(final String value) {
        final int kind = KeyDistribution.kindOf(value);
        if (kind < 0) {
            throw new UsageException("--key-dist must be uniform, zipfian, hotspot or sequential, not '" + value + "'");
        }
        return kind;
    }

    private static double exponent(final String flag, final String value) {
        final double parsed = positive(flag, value);
        if (parsed > MAX_ZIPF_EXPONENT) {
            throw new UsageException("invalid " + flag + " " + value + ": must be at most " + MAX_ZIPF_EXPONENT);
        }
        return parsed;
    }

    /** A fraction strictly between 0 and 1. */
    private static double open(final String flag, final String value) {
        final double parsed = number(flag, value);
        if (!(parsed > 0 && parsed < 1)) {
            throw new UsageException("invalid " + flag + " " + value + ": must be more than 0 and less than 1");
        }
        return parsed;
    }

    static long integer(final String flag, final String value, final long min, final long max) {
        final long parsed;
        try {
            parsed = Long.parseLong(value.trim().replace("_", ""));
        } catch (final NumberFormatException ex) {
            throw new UsageException("invalid " + flag + " '" + value + "': not an integer");
        }
        return inRange(flag, parsed, min, max);
    }

    private static long inRange(final String flag, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new UsageException("invalid " + flag + " " + value + ": must be in " + min + ".." + max);
        }
        return value;
    }

    private static double decimal(final String flag, final String value, final double min, final double max) {
        final double parsed = number(flag, value);
        if (!(parsed >= min && parsed <= max)) {
            throw new UsageException("invalid " + flag + " " + value + ": must be in " + min + ".." + max);
        }
        return parsed;
    }

    private static double positive(final String flag, final String value) {
        final double parsed = number(flag, value);
        if (!(parsed > 0) || Double.isInfinite(parsed)) {
            throw new UsageException("invalid " + flag + " " + value + ": must be a positive number");
        }
        return parsed;
    }

    private static double number(final String flag, final String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (final NumberFormatException ex) {
            throw new UsageException("invalid " + flag + " '" + value + "': not a number");
        }
    }

    private static long positiveDuration(final String flag, final long nanos) {
        if (nanos == 0) {
            throw new UsageException("invalid " + flag + " " + Units.formatDuration(nanos) + ": must be more than 0");
        }
        return nanos;
    }

    private static double[] steps(final String flag, final String value) {
        final String[] parts = value.split(",", -1);
        final double[] rates = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            rates[i] = positive(flag, parts[i]);
        }
        return rates;
    }
}
