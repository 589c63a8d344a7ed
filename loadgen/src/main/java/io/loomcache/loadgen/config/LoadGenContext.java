package io.loomcache.loadgen.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.loomcache.loadgen.report.SloGate;
import io.loomcache.loadgen.wire.LoomWireCodec;
import io.loomcache.loadgen.workload.KeyDistribution;
import io.loomcache.loadgen.workload.OpMix;
import io.loomcache.loadgen.workload.ValueSizes;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.options.UsageException;

/**
 * The validated settings of one load generator run, built by {@link CommandLine#parse(String...)}. Immutable and
 * thread-safe. Durations are in ns, rates in requests per second over all connections.
 */
public final class LoadGenContext {
    /** Request count meaning "run for the duration". */
    public static final long NO_REQUEST_LIMIT = -1;
    /** Deadline of a {@code --requests} run when no {@code --duration} is given: 10 minutes. */
    public static final long DEFAULT_REQUESTS_DEADLINE_NS = 600_000_000_000L;

    private final Builder b;

    private LoadGenContext(final Builder builder) {
        this.b = builder;
    }

    /**
     * The server's host name or address.
     *
     * @return the host; the first node's with {@code --nodes}.
     */
    public String host() {
        return b.nodes == null ? b.host : b.nodes.getFirst().host();
    }

    /**
     * The server's port.
     *
     * @return the port; the first node's with {@code --nodes}.
     */
    public int port() {
        return b.nodes == null ? b.port : b.nodes.getFirst().port();
    }

    /**
     * The nodes of the cluster given by {@code --nodes}.
     *
     * @return the nodes in order, or null when the target is one server ({@code --host} and {@code --port}).
     */
    public List<NodeAddress> nodes() {
        return b.nodes;
    }

    /**
     * What the run talks to, for messages and reports.
     *
     * @return "host:port", or the {@code --nodes} list.
     */
    public String target() {
        if (b.nodes == null) {
            return host() + ":" + port();
        }
        final StringBuilder text = new StringBuilder();
        for (final NodeAddress node : b.nodes) {
            text.append(text.isEmpty() ? "" : ",").append(node);
        }
        return text.toString();
    }

    /**
     * The wire protocol.
     *
     * @return LOOM or RESP.
     */
    public Protocol protocol() {
        return b.protocol;
    }

    /**
     * The number of connections.
     *
     * @return &gt;= 1.
     */
    public int connections() {
        return b.connections;
    }

    /**
     * Requests each connection keeps in flight in a closed loop.
     *
     * @return &gt;= 1.
     */
    public int pipeline() {
        return b.pipeline;
    }

    /**
     * The most requests one connection may have in flight in an open loop before it stops sending on schedule.
     *
     * @return &gt;= 1.
     */
    public int maxInFlight() {
        return b.maxInFlight;
    }

    /**
     * The number of keys; keys are drawn uniformly from 0 .. keys - 1.
     *
     * @return &gt;= 1.
     */
    public long keys() {
        return b.keys;
    }

    /**
     * Where the plot page goes ({@code --plot}).
     *
     * @return the HTML file, or null for none.
     */
    public Path plotFile() {
        return b.plotFile;
    }

    /**
     * The run's name in reports, plots and comparisons ({@code --label}).
     *
     * @return the label: given, or the protocol and the target.
     */
    public String label() {
        return b.label != null ? b.label : b.protocol.name().toLowerCase(Locale.ROOT) + " " + target();
    }

    /**
     * Where the per-second timeline goes ({@code --timeline}).
     *
     * @return the CSV file, or null for none.
     */
    public Path timelineFile() {
        return b.timelineFile;
    }

    /**
     * The objectives the measured phase must meet ({@code --slo}).
     *
     * @return the gate, or null for none.
     */
    public SloGate slo() {
        return b.slo;
    }

    /**
     * The operations and their shares ({@code --mix}, {@code --workload}, {@code --read-ratio}).
     *
     * @return the mix.
     */
    public OpMix opMix() {
        return b.opMix;
    }

    /**
     * The TTL of {@link OpMix#SETEX} writes ({@code --ttl}).
     *
     * @return ms.
     */
    public long ttlMs() {
        return b.ttlNs / 1_000_000;
    }

    /**
     * How keys are drawn.
     *
     * @return the law.
     */
    public KeyDistribution keyDistribution() {
        return b.keyDistribution;
    }

    /**
     * The length of every written value.
     *
     * @return bytes.
     */
    public int valueSize() {
        return b.valueSizes.max();
    }

    /**
     * The lengths of written values ({@code --value-size}: fixed, a range or a weighted list).
     *
     * @return the sizes.
     */
    public ValueSizes valueSizes() {
        return b.valueSizes;
    }

    /**
     * The fraction of reads among requests.
     *
     * @return 0 .. 1.
     */
    public double readRatio() {
        return b.opMix.share(OpMix.GET);
    }

    /**
     * The measured duration, or the deadline of a {@code --requests} run.
     *
     * @return ns.
     */
    public long durationNs() {
        return b.durationNs;
    }

    /**
     * The number of requests to measure.
     *
     * @return the count, or {@link #NO_REQUEST_LIMIT} to run for {@link #durationNs()}.
     */
    public long requests() {
        return b.requests;
    }

    /**
     * The warm-up before the measurement (same workload, figures discarded).
     *
     * @return ns.
     */
    public long warmupNs() {
        return b.warmupNs;
    }

    /**
     * The open-loop rate.
     *
     * @return requests per second over all connections, or 0 for a closed loop.
     */
    public double rateOpsPerSec() {
        return b.rateOpsPerSec;
    }

    /**
     * The number of I/O threads.
     *
     * @return 1 .. connections.
     */
    public int threads() {
        return b.threads;
    }

    /**
     * Where to write the percentile distribution (.hgrm).
     *
     * @return the path, or null.
     */
    public Path hgrmFile() {
        return b.hgrmFile;
    }

    /**
     * Where to write the JSON summary.
     *
     * @return the path, or null.
     */
    public Path jsonFile() {
        return b.jsonFile;
    }

    /**
     * Tells whether the run is the watermark scenario.
     *
     * @return true for {@code --scenario watermark}.
     */
    public boolean watermark() {
        return b.watermark;
    }

    /**
     * The offered rates of the watermark steps.
     *
     * @return requests per second per step; a copy.
     */
    public double[] steps() {
        return b.steps.clone();
    }

    /**
     * The duration of one watermark step.
     *
     * @return ns.
     */
    public long stepDurationNs() {
        return b.stepDurationNs;
    }

    /**
     * The random seed.
     *
     * @return the seed.
     */
    public long seed() {
        return b.seed;
    }

    /**
     * Tells whether every key is written once before the warm-up.
     *
     * @return true for {@code --preload}.
     */
    public boolean preload() {
        return b.preload;
    }

    /**
     * Tells whether the per-second progress lines are suppressed.
     *
     * @return true for {@code --quiet}.
     */
    public boolean quiet() {
        return b.quiet;
    }

    /**
     * The time allowed to connect and finish the handshake.
     *
     * @return ns.
     */
    public long connectTimeoutNs() {
        return b.connectTimeoutNs;
    }

    /**
     * The command line as a one-line description for reports.
     *
     * @return text.
     */
    public String describe() {
        return "protocol=" + b.protocol.name().toLowerCase(Locale.ROOT) + " target=" + target() +
            " connections=" + b.connections + " pipeline=" + b.pipeline + " threads=" + b.threads + " keys=" + b.keys +
            (b.keyDistribution.kind() == KeyDistribution.UNIFORM ? "" : " key-dist=" + b.keyDistribution.describe()) +
            " value-size=" + b.valueSizes.describe() +
            (b.workload != null ? " workload=ycsb-" + b.workload.toLowerCase(Locale.ROOT) : "") +
            (b.opMix.readsAndWritesOnly() ? " read-ratio=" + b.opMix.share(OpMix.GET) : " mix=" + b.opMix.describe()) +
            (b.watermark ? " open-loop-steps max-in-flight=" + b.maxInFlight : b.rateOpsPerSec > 0 ?
                " rate=" + b.rateOpsPerSec + " max-in-flight=" + b.maxInFlight : " closed-loop");
    }

    /**
     * Mutable settings with the defaults of the command line; {@link #build()} validates them.
     */
    static final class Builder {
        String host;
        int port = -1;
        List<NodeAddress> nodes;
        Protocol protocol = Protocol.LOOM;
        int connections = 50;
        int pipeline = 16;
        int maxInFlight = 1024;
        long keys = 1_000_000;
        KeyDistribution keyDistribution = KeyDistribution.DEFAULT;
        SloGate slo;
        Path timelineFile;
        Path plotFile;
        String label;
        int keyDistKind = KeyDistribution.UNIFORM;
        double zipfExponent = Double.NaN;
        double hotKeys = Double.NaN;
        double hotOps = Double.NaN;
        ValueSizes valueSizes = ValueSizes.fixed(100);
        double readRatio = 0.8;
        boolean readRatioGiven;
        String mix;
        String workload;
        OpMix opMix;
        long ttlNs = 60_000_000_000L;
        boolean keyDistGiven;
        long durationNs = 15_000_000_000L;
        boolean durationGiven;
        long requests = NO_REQUEST_LIMIT;
        long warmupNs = -1;
        double rateOpsPerSec;
        int threads = 1;
        Path hgrmFile;
        Path jsonFile;
        boolean watermark;
        double[] steps = {1_000, 5_000, 20_000, 50_000, 100_000, 200_000, 50_000, 5_000};
        long stepDurationNs = 10_000_000_000L;
        long seed = 42;
        boolean preload;
        boolean quiet;
        long connectTimeoutNs = 5_000_000_000L;

        private KeyDistribution keyDistribution() {
            if (!Double.isNaN(zipfExponent) && keyDistKind != KeyDistribution.ZIPFIAN) {
                throw new UsageException("--zipf-exponent applies to --key-dist zipfian only");
            }
            if ((!Double.isNaN(hotKeys) || !Double.isNaN(hotOps)) && keyDistKind != KeyDistribution.HOTSPOT) {
                throw new UsageException("--hot-keys and --hot-ops apply to --key-dist hotspot only");
            }
            return new KeyDistribution(keyDistKind,
                Double.isNaN(zipfExponent) ? KeyDistribution.DEFAULT_ZIPF_EXPONENT : zipfExponent,
                Double.isNaN(hotKeys) ? KeyDistribution.DEFAULT_HOT_KEYS : hotKeys,
                Double.isNaN(hotOps) ? KeyDistribution.DEFAULT_HOT_OPS : hotOps);
        }

        private OpMix opMix() {
            if (workload != null && (mix != null || readRatioGiven)) {
                throw new UsageException("--workload sets the operations: give --mix or --read-ratio without it");
            }
            if (mix != null && readRatioGiven) {
                throw new UsageException("--mix gives every operation's share: give --read-ratio without it");
            }
            final OpMix ops;
            try {
                ops = workload != null ? OpMix.ycsb(workload) : mix != null ? OpMix.parse(mix) :
                    OpMix.readRatio(readRatio);
            } catch (final IllegalArgumentException ex) {
                throw new UsageException("invalid " + (workload != null ? "--workload" : "--mix") + ": " +
                    ex.getMessage());
            }
            if (ops.share(OpMix.CAS) > 0 && protocol != Protocol.LOOM) {
                throw new UsageException("--mix cas is for --protocol loom only: Redis has no compare-and-set " +
                    "command");
            }
            return ops;
        }

        LoadGenContext build() {
            opMix = opMix();
            if (protocol == Protocol.LOOM &&
                LoomWireCodec.check(valueSizes.max(), opMix, ProtocolLimits.DEFAULTS) != ErrorCode.NONE) {
                throw new UsageException("--value-size " + valueSizes.describe() + ": a request of " +
                    (opMix.share(OpMix.CAS) > 0 ? "cas (which carries the value twice) " : "") + "with a " +
                    valueSizes.max() + "-byte value is longer than the server's largest frame");
            }
            if (ttlNs < 1_000_000) {
                throw new UsageException("--ttl must be at least 1ms (Redis and LoomCache TTLs are milliseconds)");
            }
            if (workload != null && !keyDistGiven) {
                // YCSB's core workloads draw keys by its Zipf law
                keyDistKind = KeyDistribution.ZIPFIAN;
            }
            keyDistribution = keyDistribution();
            if (nodes != null && (host != null || port >= 0)) {
                throw new UsageException("--nodes replaces --host and --port: give one or the other");
            }
            if (nodes != null && protocol != Protocol.LOOM) {
                throw new UsageException("--nodes is for --protocol loom only");
            }
            if (host == null) {
                host = "127.0.0.1";
            }
            if (port < 0) {
                port = protocol.defaultPort();
            }
            if (warmupNs < 0) {
                warmupNs = requests == NO_REQUEST_LIMIT ? 5_000_000_000L : 0;
            }
            if (requests != NO_REQUEST_LIMIT && !durationGiven) {
                durationNs = DEFAULT_REQUESTS_DEADLINE_NS;
            }
            if (threads > connections) {
                throw new UsageException("--threads " + threads + " is more than --connections " + connections);
            }
            if (watermark && protocol != Protocol.LOOM) {
                throw new UsageException("--scenario watermark is for --protocol loom only");
            }
            if (watermark && slo != null) {
                throw new UsageException("--slo applies to a measured phase, not to --scenario watermark's steps");
            }
            if (watermark && rateOpsPerSec > 0) {
                throw new UsageException("--rate does not apply to --scenario watermark (use --steps)");
            }
            if (durationNs == 0 && requests == NO_REQUEST_LIMIT && !watermark) {
                throw new UsageException("--duration 0 needs --requests N");
            }
            return new LoadGenContext(this);
        }
    }
}
