package io.loomcache.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.loomcache.loadgen.driver.PhaseResult;
import io.loomcache.protocol.options.Units;
import io.loomcache.protocol.options.UsageException;

/**
 * Service level objectives a run must meet, for CI pipelines ({@code --slo p99=1ms,p99.9=5ms,errors=0}): each
 * objective is checked against the measured phase and every miss is named with the figure, the bound and by how much
 * it missed; the generator then exits 1. Latencies are those of successful requests, coordinated omission corrected
 * in open loop. Immutable.
 * <p>
 * Objectives: {@code pNN} (any percentile, e.g. {@code p50}, {@code p99.9}, {@code p99.99}), {@code mean} and {@code
 * max} are latency ceilings with a unit ({@code 250us}, {@code 1ms}, {@code 1.5s}); {@code errors} and {@code busy}
 * (SERVER_BUSY answers) are ceilings on a count ({@code errors=0}) or a share of the requests answered or lost
 * ({@code errors=0.1%}); {@code throughput} is a floor in successful requests per second ({@code throughput=50000}).
 */
public final class SloGate {
    private static final int LATENCY = 0;
    private static final int COUNT = 1;
    private static final int SHARE = 2;
    private static final int FLOOR = 3;
    private static final double NANOS_PER_MICRO = 1e3;
    private static final double PERCENT = 100;

    private final List<Objective> objectives;

    private SloGate(final List<Objective> objectives) {
        this.objectives = List.copyOf(objectives);
    }

    /** One objective: what is measured, how it is bounded, and the text it was given as. */
    private record Objective(String name, int type, double percentile, double bound, String given) {
    }

    /**
     * A check's outcome.
     *
     * @param objective the objective as given, e.g. {@code p99=1ms}.
     * @param met whether the run met it.
     * @param text one line: the figure against its bound, and by how much it missed.
     */
    public record Verdict(String objective, boolean met, String text) {
    }

    /**
     * Parses {@code --slo}'s value.
     *
     * @param flag the flag's name, for messages.
     * @param value comma-separated {@code name=bound} pairs.
     * @return the gate.
     * @throws UsageException naming the first bad objective.
     */
    public static SloGate parse(final String flag, final String value) {
        final List<Objective> objectives = new ArrayList<>();
        for (final String part : value.split(",", -1)) {
            final int equals = part.indexOf('=');
            if (equals <= 0 || equals == part.length() - 1) {
                throw new UsageException("invalid " + flag + " objective '" + part.trim() + "': use name=bound, e.g. " +
                    "p99=1ms, errors=0, throughput=50000");
            }
            final String name = part.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            final String bound = part.substring(equals + 1).trim();
            objectives.add(objective(flag, name, bound, part.trim()));
        }
        return new SloGate(objectives);
    }

    private static Objective objective(final String flag, final String name, final String bound, final String given) {
        if (name.equals("mean") || name.equals("max") || name.startsWith("p")) {
            double percentile = Double.NaN;
            if (name.startsWith("p")) {
                try {
                    percentile = Double.parseDouble(name.substring(1));
                } catch (final NumberFormatException ex) {
                    throw unknown(flag, name);
                }
                if (!(percentile > 0 && percentile <= PERCENT)) {
                    throw new UsageException("invalid " + flag + " objective '" + given + "': the percentile must " +
                        "be more than 0 and at most 100");
                }
            }
            final long nanos;
            try {
                nanos = Units.durationNs(bound);
            } catch (final IllegalArgumentException ex) {
                throw new UsageException("invalid " + flag + " objective '" + given + "': " + ex.getMessage());
            }
            return new Objective(name, LATENCY, percentile, nanos, given);
        }
        if (name.equals("errors") || name.equals("busy")) {
            final boolean share = bound.endsWith("%");
            final double number = number(flag, given, share ? bound.substring(0, bound.length() - 1) : bound);
            if (share ? number > PERCENT : number != Math.rint(number)) {
                throw new UsageException("invalid " + flag + " objective '" + given + "': give a count (errors=0) " +
                    "or a share up to 100% (errors=0.1%)");
            }
            return new Objective(name, share ? SHARE : COUNT, Double.NaN, share ? number / PERCENT : number, given);
        }
        if (name.equals("throughput")) {
            return new Objective(name, FLOOR, Double.NaN, number(flag, given, bound), given);
        }
        throw unknown(flag, name);
    }

    private static UsageException unknown(final String flag, final String name) {
        return new UsageException("unknown " + flag + " objective '" + name + "': use pNN (p50, p99.9, ...), mean, " +
            "max, errors, busy or throughput");
    }

    private static double number(final String flag, final String given, final String text) {
        final double number;
        try {
            number = Double.parseDouble(text);
        } catch (final NumberFormatException ex) {
            throw new UsageException("invalid " + flag + " objective '" + given + "': '" + text + "' is not a number");
        }
        if (!(number >= 0) || Double.isInfinite(number)) {
            throw new UsageException("invalid " + flag + " objective '" + given + "': the bound must be 0 or more");
        }
        return number;
    }

    /**
     * Checks every objective against a phase.
     *
     * @param result the measured phase.
     * @return one verdict per objective, in the order given.
     */
    public List<Verdict> check(final PhaseResult result) {
        final List<Verdict> verdicts = new ArrayList<>(objectives.size());
        for (final Objective objective : objectives) {
            verdicts.add(check(objective, result));
        }
        return verdicts;
    }

    /**
     * Whether every verdict was met.
     *
     * @param verdicts from {@link #check}.
     * @return true when none missed.
     */
    public static boolean allMet(final List<Verdict> verdicts) {
        return verdicts.stream().allMatch(Verdict::met);
    }

    private static Verdict check(final Objective objective, final PhaseResult result) {
        return switch (objective.type()) {
            case LATENCY -> {
                final double nanos = objective.name().equals("mean") ? result.histogram().getMean() :
                    objective.name().equals("max") ? result.histogram().getMaxValue() :
                    result.histogram().getValueAtPercentile(objective.percentile());
                // a recorded latency stands for a bucket of HdrHistogram's 3 significant digits: it meets a bound
                // that the bucket's lowest value meets
                final boolean met = result.okOps() > 0 && (objective.name().equals("mean") ? nanos :
                    result.histogram().lowestEquivalentValue((long)nanos)) <= objective.bound();
                final String figure = result.okOps() == 0 ? "no successful request" : latency(nanos);
                yield new Verdict(objective.given(), met, result.okOps() == 0 ?
                    objective.name() + ": " + figure + " to measure" :
                    objective.name() + " " + figure + (met ? " <= " : " > ") + latency(objective.bound()) +
                    (met ? "" : " (over by " + latency(nanos - objective.bound()) + ", " +
                        String.format(Locale.ROOT, "%.0f%%", PERCENT * (nanos - objective.bound()) /
                            Math.max(1, objective.bound())) + ")"));
            }
            case COUNT, SHARE -> {
                final long count = objective.name().equals("errors") ? result.errors() : result.serverBusy();
                final long answered = result.okOps() + result.serverBusy() + result.errors();
                final double share = answered == 0 ? 0 : (double)count / answered;
                final boolean met = objective.type() == COUNT ? count <= objective.bound() :
                    share <= objective.bound();
                final String shareText = String.format(Locale.ROOT, "%.4g%%", share * PERCENT);
                yield new Verdict(objective.given(), met, objective.type() == COUNT ?
                    String.format(Locale.ROOT, "%s %,d%s %,d%s", objective.name(), count, met ? " <=" : " >",
                        (long)objective.bound(), met ? "" : String.format(Locale.ROOT, " (over by %,d, %s of %,d " +
                            "requests)", count - (long)objective.bound(), shareText, answered)) :
                    String.format(Locale.ROOT, "%s %s of %,d requests%s %.4g%%", objective.name(), shareText,
                        answered, met ? " <=" : " >", objective.bound() * PERCENT));
            }
            default -> {
                final double throughput = result.throughputOpsPerSec();
                final boolean met = throughput >= objective.bound();
                yield new Verdict(objective.given(), met, String.format(Locale.ROOT,
                    "throughput %,.0f ops/s%s %,.0f%s", throughput, met ? " >=" : " <", objective.bound(),
                    met ? "" : String.format(Locale.ROOT, " (short by %,.0f ops/s, %.0f%%)",
                        objective.bound() - throughput, PERCENT * (objective.bound() - throughput) /
                            objective.bound())));
            }
        };
    }

    /** A latency in ns as a short text with a unit, e.g. 840us, 1.84ms. */
    static String latency(final double nanos) {
        if (nanos < NANOS_PER_MICRO) {
            return String.format(Locale.ROOT, "%.0fns", nanos);
        }
        if (nanos < 1e6) {
            return significant(nanos / NANOS_PER_MICRO) + "us";
        }
        if (nanos < 1e9) {
            return significant(nanos / 1e6) + "ms";
        }
        return significant(nanos / 1e9) + "s";
    }

    /** Three significant digits, never in exponent notation. */
    private static String significant(final double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }
}
