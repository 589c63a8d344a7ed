package io.loomcache.loadgen.report;

import java.io.PrintStream;
import java.util.Locale;

import io.loomcache.loadgen.config.LoadGenContext;
import io.loomcache.loadgen.driver.ErrorKinds;
import io.loomcache.loadgen.driver.IoAgent;
import io.loomcache.loadgen.driver.PhaseResult;
import io.loomcache.loadgen.workload.OpMix;

/**
 * Prints the human-readable summary of a measured phase: counts, throughput, latency percentiles in microseconds,
 * shed requests, errors by code, open-loop lateness and the generator's own CPU time per operation.
 */
public final class SummaryReport {
    /** The percentiles reported, in order. */
    public static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    /** Their labels. */
    public static final String[] PERCENTILE_LABELS = {"p50", "p90", "p99", "p99.9", "p99.99"};

    private static final double NANOS_PER_SECOND = 1e9;
    private static final double NANOS_PER_MILLI = 1e6;
    private static final double PERCENT = 100.0;

    private SummaryReport() {
    }

    /**
     * Prints the summary.
     *
     * @param out the destination.
     * @param context the run's settings.
     * @param result the measured phase.
     */
    public static void print(final PrintStream out, final LoadGenContext context, final PhaseResult result) {
        out.println("loadgen: " + context.describe());
        out.println(format("%-16s %.3f s, %,d requests completed (%,d sent)", result.name() + ":",
            result.elapsedNs() / NANOS_PER_SECOND, result.completed(), result.sent()));
        final long reads = result.gets();
        out.println(format("%-16s %,.0f ops/s  (reads %.1f%%, read misses %.1f%% of reads)", "throughput:",
            result.throughputOpsPerSec(), share(reads, result.okOps()), share(result.misses(), reads)));
        if (!context.opMix().readsAndWritesOnly()) {
            final StringBuilder ops = new StringBuilder(format("%-16s", "operations:"));
            for (int op = 0; op < OpMix.COUNT; op++) {
                if (context.opMix().share(op) > 0) {
                    ops.append(format(" %s %.1f%% (%.1f%% missed)", OpMix.name(op),
                        share(result.opCount(op), result.okOps()), share(result.opMisses(op), result.opCount(op))));
                }
            }
            out.println(ops);
        }
        final StringBuilder latency = new StringBuilder(format("%-16s", "latency (us):"));
        for (int i = 0; i < PERCENTILES.length; i++) {
            latency.append(format(" %s %.1f ", PERCENTILE_LABELS[i], result.percentileUs(PERCENTILES[i])));
        }
        latency.append(format(" max %.1f", result.maxUs()));
        out.println(latency);
        out.println(format("%-16s %,d (%,.1f/s)", "server busy:", result.serverBusy(), result.serverBusyPerSec()));
        out.println(format("%-16s %s", "errors:", errorsByCode(result)));
        if (result.phase().openLoop()) {
            printOpenLoop(out, context, result);
        }
        if (result.connectionsLost() > 0) {
            out.println(format("%-16s %d", "connections lost:", result.connectionsLost()));
        }
        for (final String message : result.errorMessages()) {
            out.println(format("%-16s %s", "first error:", message));
        }
        out.println(format("%-16s %.3f us/op on the I/O threads, %.3f us/op whole process", "generator CPU:",
            result.ioThreadCpuUsPerOp(), result.processCpuUsPerOp()));
        out.println(format("%-16s %,d bytes on the I/O threads (%.3f bytes/op)", "generator alloc:",
            result.ioThreadAllocatedBytes(), result.completed() > 0 ?
                (double)result.ioThreadAllocatedBytes() / result.completed() : 0.0));
    }

    private static void printOpenLoop(final PrintStream out, final LoadGenContext context, final PhaseResult result) {
        out.println(format("%-16s offered %,.0f ops/s; %,d requests sent more than %.0f ms late (max lag %.1f ms); " +
            "in-flight cap reached %,d times", "open loop:", result.phase().rateOpsPerSec(), result.lateSends(),
            IoAgent.LATE_SEND_THRESHOLD_NS / NANOS_PER_MILLI, result.maxLagNs() / NANOS_PER_MILLI,
            result.capStalls()));
        if (result.capStalls() > 0) {
            out.println("WARNING: connections reached --max-in-flight " + context.maxInFlight() +
                ": the server did not keep up with the offered rate; latencies count from intended send times.");
        } else if (result.lateSends() > 0) {
            out.println("WARNING: the generator fell behind its schedule (not the in-flight cap): add --threads " +
                "or lower --rate; latencies count from intended send times.");
        }
    }

    /**
     * Lists the errors by code name, e.g. {@code STORE_FULL=3 CONNECTION_LOST=16}.
     *
     * @param result the phase.
     * @return the list, or "none".
     */
    public static String errorsByCode(final PhaseResult result) {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < ErrorKinds.COUNT; i++) {
            final long count = result.errorCount(i);
            if (count > 0) {
                text.append(text.isEmpty() ? "" : " ").append(ErrorKinds.name(i)).append('=').append(count);
            }
        }
        return text.isEmpty() ? "none" : text.toString();
    }

    private static double share(final long part, final long whole) {
        return whole > 0 ? part * PERCENT / whole : 0;
    }

    private static String format(final String pattern, final Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
