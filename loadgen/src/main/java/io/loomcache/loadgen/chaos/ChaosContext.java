package io.loomcache.loadgen.chaos;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.loomcache.protocol.options.FlagCursor;
import io.loomcache.protocol.options.Units;
import io.loomcache.protocol.options.UsageException;

/**
 * The validated settings of a {@code scripts/chaos} run, parsed from its flags ({@code --flag value} or
 * {@code --flag=value}); every problem is a {@link UsageException} naming the flag. Immutable.
 */
public final class ChaosContext {
    /** The addresses the three members bind, one each, so that iptables rules can cut one pair of members. */
    public static final List<String> HOSTS = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13");
    /** Most registers ({@code --keys}). */
    public static final int MAX_KEYS = 100;
    /** Most client threads ({@code --clients}). */
    public static final int MAX_CLIENTS = 100;

    static final String USAGE = String.join(System.lineSeparator(),
        "usage: scripts/chaos --nemesis kill|pause|partition|restart-all|all --time 60s --clients 5 --out DIR",
        "  --nemesis N       kill: SIGKILL the leader of the keys' groups, restart it after the hold;",
        "                    pause: SIGSTOP that leader for the hold, then SIGCONT;",
        "                    partition: iptables DROP between that leader and the other two members (both",
        "                    directions, every other time only from the leader), healed after the hold; needs root;",
        "                    restart-all: SIGKILL every member at once, restart them all after the hold;",
        "                    all: one run of each, in that order (partition skipped without iptables)",
        "  --time D          length of each run's workload, e.g. 60s (default 60s)",
        "  --clients N       client threads, each its own client (default 5)",
        "  --out DIR         histories DIR/<run>-<key>.log, DIR/summary.txt, the cluster in DIR/cluster",
        "  --keys N          registers r0..r(N-1) (default 5)",
        "  --interval D      healthy time before each fault (default 5s)",
        "  --hold D          how long each fault lasts (default: the interval)",
        "  --runs N          runs of each nemesis, each on a fresh cluster (default 1)",
        "  --op-timeout D    client request timeout: an answer later than this is an unknown outcome (default 1500ms)",
        "  --seed N          seed of the workload and the nemesis choices (default: the clock)",
        "  --keep            keep DIR/cluster (data and node logs) after the run",
        "  --help            this text",
        "Exit status: 0 every history linearizable, 1 some history not linearizable or a final read failed,",
        "2 bad usage, a nemesis asked for that cannot run here (partition without iptables), or a setup failure.");

    private static final long DEFAULT_TIME_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long DEFAULT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long DEFAULT_OP_TIMEOUT_MS = 1_500;
    private static final long MIN_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);

    private final List<NemesisKind> nemeses;
    private final boolean all;
    private final long timeNs;
    private final long intervalNs;
    private final long holdNs;
    private final int clients;
    private final int keys;
    private final Path out;
    private final Path root;
    private final int runs;
    private final long opTimeoutMs;
    private final long seed;
    private final boolean keep;

    private ChaosContext(final Builder b) {
        this.nemeses = b.nemeses;
        this.all = b.all;
        this.timeNs = b.timeNs;
        this.intervalNs = b.intervalNs;
        this.holdNs = b.holdNs < 0 ? b.intervalNs : b.holdNs;
        this.clients = b.clients;
        this.keys = b.keys;
        this.out = b.out;
        this.root = b.root;
        this.runs = b.runs;
        this.opTimeoutMs = b.opTimeoutMs;
        this.seed = b.seed;
        this.keep = b.keep;
    }

    /**
     * Parses and validates the flags.
     *
     * @param root the project root (where {@code scripts/cluster} is).
     * @param args the flags.
     * @return the settings.
     * @throws UsageException naming the first bad flag.
     */
    public static ChaosContext parse(final Path root, final String... args) {
        final Builder b = new Builder();
        b.root = root;
        final FlagCursor flags = new FlagCursor(List.of(args));
        while (flags.advance()) {
            if (!flags.isFlag()) {
                throw new UsageException("unexpected argument '" + flags.word() + "'");
            }
            final String flag = flags.name();
            switch (flag) {
                case "--nemesis" -> {
                    final String value = flags.value();
                    b.nemeses = NemesisKind.parse(value);
                    if (b.nemeses == null) {
                        throw new UsageException("--nemesis must be kill, pause, partition, restart-all or all, not '"
                            + value + "'");
                    }
                    b.all = "all".equals(value);
                }
                case "--time" -> b.timeNs = positive(flag, flags.value(Units::durationNs));
                case "--interval" -> b.intervalNs = atLeast(flag, flags.value(Units::durationNs), MIN_INTERVAL_NS);
                case "--hold" -> b.holdNs = atLeast(flag, flags.value(Units::durationNs), MIN_INTERVAL_NS);
                case "--clients" -> b.clients = (int)integer(flag, flags.value(), 1, MAX_CLIENTS);
                case "--keys" -> b.keys = (int)integer(flag, flags.value(), 1, MAX_KEYS);
                case "--runs" -> b.runs = (int)integer(flag, flags.value(), 1, 1_000);
                case "--out" -> b.out = Path.of(nonEmpty(flag, flags.value()));
                case "--op-timeout" ->
                    b.opTimeoutMs = TimeUnit.NANOSECONDS.toMillis(atLeast(flag, flags.value(Units::durationNs),
                        TimeUnit.MILLISECONDS.toNanos(100)));
                case "--seed" -> b.seed = integer(flag, flags.value(), Long.MIN_VALUE, Long.MAX_VALUE);
                case "--keep" -> b.keep = flags.requireNoValue();
                default -> throw new UsageException("unknown flag " + flag);
            }
        }
        if (b.nemeses == null) {
            throw new UsageException("--nemesis is required: kill, pause, partition, restart-all or all");
        }
        if (b.out == null) {
            throw new UsageException("--out DIR is required: where the histories and the summary go");
        }
        return new ChaosContext(b);
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

    private static String nonEmpty(final String flag, final String value) {
        if (value.isBlank()) {
            throw new UsageException(flag + " needs a non-empty value");
        }
        return value;
    }

    private static long positive(final String flag, final long nanos) {
        if (nanos <= 0) {
            throw new UsageException("invalid " + flag + " " + Units.formatDuration(nanos) + ": must be more than 0");
        }
        return nanos;
    }

    private static long atLeast(final String flag, final long nanos, final long minNs) {
        if (nanos < minNs) {
            throw new UsageException("invalid " + flag + " " + Units.formatDuration(nanos) + ": must be at least "
                + Units.formatDuration(minNs));
        }
        return nanos;
    }

    private static long integer(final String flag, final String value, final long min, final long max) {
        final long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (final NumberFormatException ex) {
            throw new UsageException("invalid " + flag + " '" + value + "': not an integer");
        }
        if (parsed < min || parsed > max) {
            throw new UsageException("invalid " + flag + " " + parsed + ": must be in " + min + ".." + max);
        }
        return parsed;
    }

    /**
     * The nemeses to run, in order.
     *
     * @return one, or all four for {@code --nemesis all}.
     */
    public List<NemesisKind> nemeses() {
        return nemeses;
    }

    /**
     * Whether {@code --nemesis all} was given (a nemesis that cannot run here is skipped, not an error).
     *
     * @return true for all.
     */
    public boolean all() {
        return all;
    }

    /**
     * Length of each run's workload.
     *
     * @return nanoseconds.
     */
    public long timeNs() {
        return timeNs;
    }

    /**
     * Healthy time before each fault.
     *
     * @return nanoseconds.
     */
    public long intervalNs() {
        return intervalNs;
    }

    /**
     * How long each fault lasts before it is healed.
     *
     * @return nanoseconds.
     */
    public long holdNs() {
        return holdNs;
    }

    /**
     * Client threads.
     *
     * @return at least 1.
     */
    public int clients() {
        return clients;
    }

    /**
     * Registers under load, named r0, r1, ...
     *
     * @return at least 1.
     */
    public int keys() {
        return keys;
    }

    /**
     * The name of register {@code index}.
     *
     * @param index 0 .. keys - 1.
     * @return e.g. {@code r0}.
     */
    public static String keyName(final int index) {
        return "r" + index;
    }

    /**
     * Output directory.
     *
     * @return the directory of histories and summary.
     */
    public Path out() {
        return out;
    }

    /**
     * The project root.
     *
     * @return the directory holding {@code scripts/cluster}.
     */
    public Path root() {
        return root;
    }

    /**
     * Runs of each nemesis.
     *
     * @return at least 1.
     */
    public int runs() {
        return runs;
    }

    /**
     * Client request timeout.
     *
     * @return milliseconds.
     */
    public long opTimeoutMs() {
        return opTimeoutMs;
    }

    /**
     * Seed of the workload's and the nemeses' random choices.
     *
     * @return the seed.
     */
    public long seed() {
        return seed;
    }

    /**
     * Whether the cluster directory is kept.
     *
     * @return true for {@code --keep}.
     */
    public boolean keep() {
        return keep;
    }

    private static final class Builder {
        private List<NemesisKind> nemeses;
        private boolean all;
        private long timeNs = DEFAULT_TIME_NS;
        private long intervalNs = DEFAULT_INTERVAL_NS;
        private long holdNs = -1;
        private int clients = 5;
        private int keys = 5;
        private Path out;
        private Path root;
        private int runs = 1;
        private long opTimeoutMs = DEFAULT_OP_TIMEOUT_MS;
        private long seed = System.nanoTime();
        private boolean keep;
    }
}
