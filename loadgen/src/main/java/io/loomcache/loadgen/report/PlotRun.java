package io.loomcache.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run as the plot page draws it, read from the generator's JSON report (the page of a live run is made from the
 * same JSON it writes, so {@code --plot} and {@code loadgen-compare} draw alike). Immutable.
 *
 * @param label the run's name.
 * @param settings what was run, one line.
 * @param throughput successful requests per second of the measured phase, NaN without one.
 * @param p50Us its median latency.
 * @param p99Us its p99.
 * @param p999Us its p99.9.
 * @param maxUs its maximum.
 * @param errors its failed requests.
 * @param spectrum pairs of percentile and microseconds on the report's fixed grid.
 * @param timeline rows of time (s since the run started), phase, successful requests/s and p99 (us, NaN for none).
 */
public record PlotRun(String label, String settings, double throughput, double p50Us, double p99Us, double p999Us,
    double maxUs, long errors, List<double[]> spectrum, List<TimePoint> timeline) {
    /** Rows covering less (a phase's last fraction of a second) are left off the charts. */
    public static final double MIN_PLOTTED_S = 0.25;

    /**
     * One second of a run.
     *
     * @param timeS seconds since the run started.
     * @param phase the phase.
     * @param okPerSec successful requests per second.
     * @param p99Us p99 latency of the second, NaN for none.
     */
    public record TimePoint(double timeS, String phase, double okPerSec, double p99Us) {
    }

    /**
     * Reads a run from a JSON report.
     *
     * @param document the parsed report ({@link Json#parse}).
     * @param fallbackLabel the label when the report has none (e.g. its file name).
     * @return the run.
     * @throws IllegalArgumentException when the document is not a load generator report.
     */
    public static PlotRun fromJson(final Object document, final String fallbackLabel) {
        if (!(document instanceof Map<?, ?> report) || !report.containsKey("protocol")) {
            throw new IllegalArgumentException("not a loadgen JSON report (written by --json)");
        }
        final String label = report.get("label") instanceof String text ? text : fallbackLabel;
        final String settings = String.format(Locale.ROOT, "%s %s:%s, %s connections, pipeline %s, %s keys (%s), " +
            "%s, %s", report.get("protocol"), report.get("host"), integer(report.get("port")),
            integer(report.get("connections")), integer(report.get("pipeline")), integer(report.get("keys")),
            report.get("keyDistribution") == null ? "uniform" : report.get("keyDistribution"),
            report.get("mix") == null ? "read ratio " + report.get("readRatio") : report.get("mix"),
            "open".equals(report.get("mode")) ? "open loop at " + integer(report.get("rateOpsPerSec")) + " ops/s" :
                report.get("mode") + " loop");
        double throughput = Double.NaN;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        double p999 = Double.NaN;
        double max = Double.NaN;
        long errors = 0;
        final List<double[]> spectrum = new ArrayList<>();
        if (report.get("result") instanceof Map<?, ?> result) {
            throughput = number(result.get("throughputOpsPerSec"));
            errors = (long)number(result.get("errors"));
            if (result.get("latencyUs") instanceof Map<?, ?> latency) {
                p50 = number(latency.get("p50"));
                p99 = number(latency.get("p99"));
                p999 = number(latency.get("p99.9"));
                max = number(latency.get("max"));
            }
            if (result.get("spectrumUs") instanceof List<?> points) {
                for (final Object point : points) {
                    if (point instanceof List<?> pair && pair.size() == 2) {
                        spectrum.add(new double[] {number(pair.get(0)), number(pair.get(1))});
                    }
                }
            }
        }
        final List<TimePoint> timeline = new ArrayList<>();
        if (report.get("timeline") instanceof List<?> rows) {
            for (final Object row : rows) {
                // a phase's last fraction of a second is exact but too short to read as a rate: left off the charts
                if (row instanceof List<?> cells && cells.size() >= 8 && number(cells.get(1)) >= MIN_PLOTTED_S) {
                    timeline.add(new TimePoint(number(cells.get(0)), String.valueOf(cells.get(2)),
                        number(cells.get(3)), cells.get(7) == null ? Double.NaN : number(cells.get(7))));
                }
            }
        }
        return new PlotRun(label, settings, throughput, p50, p99, p999, max, errors, List.copyOf(spectrum),
            List.copyOf(timeline));
    }

    private static double number(final Object value) {
        return value instanceof Double number ? number : Double.NaN;
    }

    private static String integer(final Object value) {
        return value instanceof Double number ? String.format(Locale.ROOT, "%,d", number.longValue()) :
            String.valueOf(value);
    }
}
