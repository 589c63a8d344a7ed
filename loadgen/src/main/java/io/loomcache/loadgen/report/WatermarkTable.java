package io.loomcache.loadgen.report;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import io.loomcache.loadgen.driver.PhaseResult;

/**
 * Prints the watermark scenario as a Markdown table, one row per step: offered and achieved rate, latency
 * percentiles of successful requests, the SERVER_BUSY rate, errors and late sends. A node that sheds load shows
 * busy responses and bounded latency above its high watermark, and recovers when the offered load drops.
 */
public final class WatermarkTable {
    private static final double NANOS_PER_MILLI = 1e6;

    private WatermarkTable() {
    }

    /**
     * Prints the table.
     *
     * @param out the destination.
     * @param steps the steps in order.
     */
    public static void print(final PrintStream out, final List<PhaseResult> steps) {
        out.println("| step | offered ops/s | achieved ops/s | p50 us | p99 us | p99.9 us | busy/s | errors | " +
            "late sends (max lag ms) |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < steps.size(); i++) {
            final PhaseResult step = steps.get(i);
            out.println(String.format(Locale.ROOT,
                "| %d | %,.0f | %,.0f | %.1f | %.1f | %.1f | %,.0f | %,d | %,d (%.1f) |",
                i + 1, step.phase().rateOpsPerSec(), step.throughputOpsPerSec(), step.percentileUs(50),
                step.percentileUs(99), step.percentileUs(99.9), step.serverBusyPerSec(), step.errors(),
                step.lateSends(), step.maxLagNs() / NANOS_PER_MILLI));
        }
    }
}
