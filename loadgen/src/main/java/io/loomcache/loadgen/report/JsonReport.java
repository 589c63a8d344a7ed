package io.loomcache.loadgen.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.loomcache.loadgen.config.LoadGenContext;
import io.loomcache.loadgen.driver.ErrorKinds;
import io.loomcache.loadgen.driver.PhaseResult;
import io.loomcache.loadgen.workload.OpMix;
import org.HdrHistogram.Histogram;

/**
 * Renders a run's figures as JSON: the settings, the measured phase ({@code result}), the verdict of each
 * {@code --slo} objective ({@code slo}) and, for the watermark scenario, one object per step ({@code steps}).
 * Latencies are in microseconds. One key per line (an {@code ops}, {@code slo} or {@code timeline} entry is one line),
 * so that shell scripts can pick a figure with grep; numbers are plain decimals (never NaN or infinity; a latency of
 * a second without requests is {@code null} in the timeline).
 */
public final class JsonReport {
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double NANOS_PER_MILLI = 1e6;
    private static final double NANOS_PER_MICRO = 1e3;
    private static final int SPECTRUM_STEPS = 120;
    private static final double SPECTRUM_TICKS_PER_HALF = 5.0;

    private JsonReport() {
    }

    /**
     * Writes the JSON document.
     *
     * @param file the destination, replaced.
     * @param context the settings.
     * @param result the measured phase, or null (watermark runs report steps only).
     * @param steps the watermark steps, possibly empty.
     * @param timeline the run's rows, second by second, possibly empty.
     * @throws IOException when the file cannot be written.
     */
    public static void write(final Path file, final LoadGenContext context, final PhaseResult result,
        final List<PhaseResult> steps, final List<Timeline.Row> timeline) throws IOException {
        Files.writeString(file, render(context, result, steps, timeline), StandardCharsets.UTF_8);
    }

    /**
     * Renders the JSON document.
     *
     * @param context the settings.
     * @param result the measured phase, or null.
     * @param steps the watermark steps, possibly empty.
     * @param timeline the run's rows, second by second, possibly empty.
     * @return the document, ending with a newline.
     */
    public static String render(final LoadGenContext context, final PhaseResult result,
        final List<PhaseResult> steps, final List<Timeline.Row> timeline) {
        final StringBuilder json = new StringBuilder(1024);
        json.append("{\n");
        field(json, 1, "label", quote(context.label()));
        field(json, 1, "protocol", quote(context.protocol().name().toLowerCase(Locale.ROOT)));
        field(json, 1, "host", quote(context.host()));
        field(json, 1, "port", Integer.toString(context.port()));
        field(json, 1, "connections", Integer.toString(context.connections()));
        field(json, 1, "pipeline", Integer.toString(context.pipeline()));
        field(json, 1, "maxInFlight", Integer.toString(context.maxInFlight()));
        field(json, 1, "threads", Integer.toString(context.threads()));
        field(json, 1, "keys", Long.toString(context.keys()));
        field(json, 1, "keyDistribution", quote(context.keyDistribution().describe()));
        field(json, 1, "valueSize", Integer.toString(context.valueSize()));
        field(json, 1, "valueSizes", quote(context.valueSizes().describe()));
        field(json, 1, "readRatio", number(context.readRatio()));
        field(json, 1, "mix", quote(context.opMix().describe()));
        field(json, 1, "mode", quote(context.watermark() ? "watermark" : context.rateOpsPerSec() > 0 ?
            "open" : "closed"));
        field(json, 1, "rateOpsPerSec", number(context.rateOpsPerSec()));
        if (result != null) {
            json.append("  \"result\": ");
            phase(json, 2, result);
            json.append(",\n");
        }
        if (context.slo() != null && result != null) {
            json.append("  \"slo\": [");
            final List<SloGate.Verdict> verdicts = context.slo().check(result);
            for (int i = 0; i < verdicts.size(); i++) {
                final SloGate.Verdict verdict = verdicts.get(i);
                json.append(i == 0 ? "\n    " : ",\n    ").append("{\"objective\": ").append(quote(verdict.objective()))
                    .append(", \"met\": ").append(verdict.met()).append(", \"text\": ").append(quote(verdict.text()))
                    .append('}');
            }
            json.append("\n  ],\n");
        }
        json.append("  \"timeline\": [");
        for (int i = 0; i < timeline.size(); i++) {
            final Timeline.Row row = timeline.get(i);
            json.append(i == 0 ? "\n    [" : ",\n    [").append(number(row.timeS())).append(", ")
                .append(number(row.intervalS())).append(", ").append(quote(row.phase())).append(", ")
                .append(number(row.okPerSec())).append(", ").append(number(row.busyPerSec())).append(", ")
                .append(number(row.errorsPerSec())).append(", ").append(nullable(row.p50Us())).append(", ")
                .append(nullable(row.p99Us())).append(", ").append(nullable(row.p999Us())).append(", ")
                .append(nullable(row.maxUs())).append(", ").append(quote(row.errorsByCode())).append(']');
        }
        json.append(timeline.isEmpty() ? "],\n" : "\n  ],\n");
        json.append("  \"steps\": [");
        for (int i = 0; i < steps.size(); i++) {
            json.append(i == 0 ? "\n    " : ",\n    ");
            phase(json, 3, steps.get(i));
        }
        json.append(steps.isEmpty() ? "]\n" : "\n  ]\n");
        json.append("}\n");
        return json.toString();
    }

    private static void phase(final StringBuilder json, final int depth, final PhaseResult r) {
        json.append("{\n");
        field(json, depth, "name", quote(r.name()));
        field(json, depth, "offeredOpsPerSec", number(r.phase().rateOpsPerSec()));
        field(json, depth, "elapsedSec", number(r.elapsedNs() / NANOS_PER_SECOND));
        field(json, depth, "completed", Long.toString(r.completed()));
        field(json, depth, "sent", Long.toString(r.sent()));
        field(json, depth, "okOps", Long.toString(r.okOps()));
        field(json, depth, "gets", Long.toString(r.gets()));
        field(json, depth, "sets", Long.toString(r.sets()));
        field(json, depth, "misses", Long.toString(r.misses()));
        indent(json, depth).append("\"ops\": {");
        boolean firstOp = true;
        for (int op = 0; op < OpMix.COUNT; op++) {
            if (r.opCount(op) > 0) {
                json.append(firstOp ? "" : ", ").append(quote(OpMix.name(op))).append(": {\"count\": ")
                    .append(r.opCount(op)).append(", \"misses\": ").append(r.opMisses(op)).append('}');
                firstOp = false;
            }
        }
        json.append("},\n");
        field(json, depth, "throughputOpsPerSec", number(r.throughputOpsPerSec()));
        field(json, depth, "serverBusy", Long.toString(r.serverBusy()));
        field(json, depth, "serverBusyPerSec", number(r.serverBusyPerSec()));
        field(json, depth, "errors", Long.toString(r.errors()));
        indent(json, depth).append("\"errorsByCode\": {");
        boolean first = true;
        for (int i = 0; i < ErrorKinds.COUNT; i++) {
            if (r.errorCount(i) > 0) {
                json.append(first ? "" : ", ").append(quote(ErrorKinds.name(i))).append(": ").append(r.errorCount(i));
                first = false;
            }
        }
        json.append("},\n");
        indent(json, depth).append("\"latencyUs\": {");
        for (int i = 0; i < SummaryReport.PERCENTILES.length; i++) {
            json.append(quote(SummaryReport.PERCENTILE_LABELS[i])).append(": ")
                .append(number(r.percentileUs(SummaryReport.PERCENTILES[i]))).append(", ");
        }
        json.append("\"max\": ").append(number(r.maxUs())).append(", \"mean\": ")
            .append(number(r.histogram().getTotalCount() > 0 ? r.histogram().getMean() / NANOS_PER_MICRO : 0))
            .append("},\n");
        field(json, depth, "lateSends", Long.toString(r.lateSends()));
        field(json, depth, "maxLagMs", number(r.maxLagNs() / NANOS_PER_MILLI));
        field(json, depth, "capStalls", Long.toString(r.capStalls()));
        field(json, depth, "connectionsLost", Long.toString(r.connectionsLost()));
        field(json, depth, "ioThreadCpuUsPerOp", number(r.ioThreadCpuUsPerOp()));
        field(json, depth, "ioThreadAllocatedBytes", Long.toString(r.ioThreadAllocatedBytes()));
        field(json, depth, "processCpuUsPerOp", number(r.processCpuUsPerOp()));
        indent(json, depth).append("\"spectrumUs\": [");
        final double[][] spectrum = spectrum(r.histogram());
        for (int i = 0; i < spectrum.length; i++) {
            json.append(i == 0 ? "" : ", ").append('[').append(String.format(Locale.ROOT, "%.6f", spectrum[i][0]))
                .append(", ").append(number(spectrum[i][1])).append(']');
        }
        json.append("]\n");
        indent(json, depth - 1).append('}');
    }

    /**
     * The latency percentile spectrum on a fixed grid, so that runs overlay point by point: percentile {@code 100 *
     * (1 - 2^(-k/5))} for k = 0, 1, 2, ... (0, 12.9, 24.2, ... 50, ... 90, ... 99, ... 99.9, ...) up to the last
     * percentile the count of requests resolves, then 100 (the maximum). HdrHistogram's percentile plots use the
     * same halving ladder.
     *
     * @param histogram latencies in ns.
     * @return pairs of percentile and microseconds; empty for an empty histogram.
     */
    static double[][] spectrum(final Histogram histogram) {
        final long count = histogram.getTotalCount();
        if (count == 0) {
            return new double[0][];
        }
        final List<double[]> points = new ArrayList<>();
        for (int k = 0; k <= SPECTRUM_STEPS; k++) {
            final double percentile = 100 * (1 - Math.pow(2, -k / SPECTRUM_TICKS_PER_HALF));
            if ((1 - percentile / 100) * count < 1) {
                break;
            }
            points.add(new double[] {percentile, histogram.getValueAtPercentile(percentile) / NANOS_PER_MICRO});
        }
        points.add(new double[] {100, histogram.getMaxValue() / NANOS_PER_MICRO});
        return points.toArray(double[][]::new);
    }

    private static String nullable(final double value) {
        return Double.isNaN(value) ? "null" : number(value);
    }

    private static void field(final StringBuilder json, final int depth, final String name, final String value) {
        indent(json, depth).append(quote(name)).append(": ").append(value).append(",\n");
    }

    private static StringBuilder indent(final StringBuilder json, final int depth) {
        return json.append("  ".repeat(depth));
    }

    private static String number(final double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /**
     * Quotes a string for JSON, escaping quotes, backslashes and control characters.
     *
     * @param text the text.
     * @return the JSON string literal.
     */
    public static String quote(final String text) {
        final StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
