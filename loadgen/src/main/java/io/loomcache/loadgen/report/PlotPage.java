package io.loomcache.loadgen.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The plot page of one run ({@code --plot}) or of several overlaid ({@code scripts/loadgen-compare}): a table of
 * each run's figures (and, for several, their ratios to the first), the latency percentile spectrum (HdrHistogram's
 * log-scale percentile plot: 0%, 90%, 99%, 99.9%, ... to the maximum), successful requests per second and p99 per
 * second over the run. One self-contained HTML file: uPlot (MIT, from its webjar) and its CSS are inlined, so
 * nothing is fetched when the page is viewed, offline or in CI. Stateless.
 */
public final class PlotPage {
    /** uPlot's version, as in the pom ({@code uplot.version}); its files are read from the webjar on the classpath. */
    static final String UPLOT_VERSION = "1.6.30";
    /** Series colors, in run order. */
    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/";

    private PlotPage() {
    }

    /**
     * Renders the page.
     *
     * @param title the page's heading.
     * @param runs the runs, the first one the reference of the ratios.
     * @return the HTML document.
     */
    public static String render(final String title, final List<PlotRun> runs) {
        final StringBuilder html = new StringBuilder(256 * 1024);
        html.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .append(escape(title)).append("</title>\n<!-- uPlot ").append(UPLOT_VERSION)
            .append(", inlined below, is under this licence:\n").append(resource("LICENSE").replace("--", "- -"))
            .append("\n-->\n<style>\n").append(resource("dist/uPlot.min.css")).append('\n').append(STYLE)
            .append("</style>\n<script>\n").append(resource("dist/uPlot.iife.min.js").replace("</", "<\\/"))
            .append("\n</script>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        table(html, runs);
        html.append("<h2>Latency by percentile (successful requests, measured phase)</h2>\n")
            .append("<div id=\"spectrum\"></div>\n")
            .append("<h2>Successful requests per second</h2>\n<div id=\"throughput\"></div>\n")
            .append("<h2>p99 latency per second</h2>\n<div id=\"p99\"></div>\n<script>\nconst RUNS = ");
        data(html, runs);
        html.append(";\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void table(final StringBuilder html, final List<PlotRun> runs) {
        html.append("<table>\n<tr><th></th><th>run</th><th>throughput (ops/s)</th><th>p50 (us)</th>")
            .append("<th>p99 (us)</th><th>p99.9 (us)</th><th>max (us)</th><th>errors</th>");
        if (runs.size() > 1) {
            html.append("<th>throughput / first</th><th>p99 / first</th>");
        }
        html.append("</tr>\n");
        final PlotRun first = runs.getFirst();
        for (int i = 0; i < runs.size(); i++) {
            final PlotRun run = runs.get(i);
            html.append("<tr><td><span class=\"swatch\" style=\"background:").append(COLORS[i % COLORS.length])
                .append("\"></span></td><td><b>").append(escape(run.label())).append("</b><br><small>")
                .append(escape(run.settings())).append("</small></td>").append(cell("%,.0f", run.throughput()))
                .append(cell("%,.1f", run.p50Us())).append(cell("%,.1f", run.p99Us()))
                .append(cell("%,.1f", run.p999Us())).append(cell("%,.1f", run.maxUs()))
                .append("<td>").append(String.format(Locale.ROOT, "%,d", run.errors())).append("</td>");
            if (runs.size() > 1) {
                html.append(cell("%.2fx", run.throughput() / first.throughput()))
                    .append(cell("%.2fx", run.p99Us() / first.p99Us()));
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static String cell(final String format, final double value) {
        return "<td>" + (Double.isNaN(value) || Double.isInfinite(value) ? "-" :
            String.format(Locale.ROOT, format, value)) + "</td>";
    }

    /** The runs as a JavaScript array: label, color, spectrum as [x, us] (x = 1 / (1 - p)), time series. */
    private static void data(final StringBuilder html, final List<PlotRun> runs) {
        html.append('[');
        for (int i = 0; i < runs.size(); i++) {
            final PlotRun run = runs.get(i);
            html.append(i == 0 ? "\n" : ",\n").append("{label: ").append(script(JsonReport.quote(run.label())))
                .append(", color: \"").append(COLORS[i % COLORS.length]).append("\", spectrum: [");
            double lastX = 1;
            for (int j = 0; j < run.spectrum().size(); j++) {
                final double[] point = run.spectrum().get(j);
                // the maximum (100%) has no finite x: it is drawn one halving step past the last percentile
                final double x = point[0] >= 100 ? lastX * 2 : 1 / (1 - point[0] / 100);
                lastX = x;
                html.append(j == 0 ? "" : ",").append('[').append(number(x)).append(',').append(number(point[1]))
                    .append(']');
            }
            html.append("], timeline: [");
            for (int j = 0; j < run.timeline().size(); j++) {
                final PlotRun.TimePoint point = run.timeline().get(j);
                html.append(j == 0 ? "" : ",").append('[').append(number(point.timeS())).append(',')
                    .append(number(point.okPerSec())).append(',')
                    .append(Double.isNaN(point.p99Us()) ? "null" : number(point.p99Us())).append(',')
                    .append(script(JsonReport.quote(point.phase()))).append(']');
            }
            html.append("]}");
        }
        html.append("\n]");
    }

    private static String number(final double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.format(Locale.ROOT, "%.6g", value);
    }

    /**
     * A JSON string made safe inside a script element: no {@code <}, {@code >} or {@code &} left (as \\u escapes),
     * so that no label can end the element or put the HTML tokenizer into a comment-like state.
     */
    private static String script(final String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    private static String escape(final String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(final String name) {
        try (InputStream in = PlotPage.class.getResourceAsStream(UPLOT + name)) {
            if (in == null) {
                throw new IllegalStateException("uPlot " + UPLOT_VERSION + " is not on the classpath (" + UPLOT + name +
                    "): PlotPage.UPLOT_VERSION must match the pom's uplot.version");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static final String STYLE = """
        body { font-family: system-ui, sans-serif; margin: 24px; color: #222; }
        table { border-collapse: collapse; margin-bottom: 16px; }
        th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; vertical-align: top; }
        td:nth-child(2), th:nth-child(2) { text-align: left; }
        small { color: #666; }
        .swatch { display: inline-block; width: 14px; height: 14px; }
        h2 { font-size: 16px; margin: 20px 0 4px; }
        """;

    private static final String SCRIPT = """
        // one x axis for all runs: the union of their x values, null where a run has no point
        function align(series) {
          const xs = [...new Set(series.flatMap(points => points.map(p => p[0])))].sort((a, b) => a - b);
          const index = new Map(xs.map((x, i) => [x, i]));
          const ys = series.map(points => {
            const y = new Array(xs.length).fill(null);
            points.forEach(p => { y[index.get(p[0])] = p[1]; });
            return y;
          });
          return [xs, ...ys];
        }
        function percentLabel(x) {
          if (x <= 1) return "0%";
          const p = 100 * (1 - 1 / x);
          const digits = Math.max(0, Math.ceil(-Math.log10(100 - p)) + 1);
          return String(Number(p.toFixed(digits))) + "%";
        }
        const width = Math.min(1100, window.innerWidth - 48);
        const lines = RUNS.map(run => ({label: run.label, stroke: run.color, width: 2, spanGaps: true}));
        new uPlot({
          width, height: 360,
          scales: {x: {time: false, distr: 3, log: 10}, y: {distr: 3, log: 10}},
          // ticks at 0%, 90%, 99%, 99.9%, ...: x = 1 / (1 - p) is 1, 10, 100, 1000, ...
          axes: [{label: "percentile", values: (u, vals) => vals.map(percentLabel),
                  splits: (u, axis, min, max) => {
                    const splits = [];
                    for (let x = 1; x <= max * 1.0001; x *= 10) if (x >= min * 0.9999) splits.push(x);
                    return splits;
                  }},
                 {label: "latency (us)", size: 70}],
          series: [{label: "percentile", value: (u, v) => v == null ? "-" : percentLabel(v)}, ...lines],
        }, align(RUNS.map(run => run.spectrum)), document.getElementById("spectrum"));
        new uPlot({
          width, height: 300,
          scales: {x: {time: false}, y: {range: (u, min, max) => [0, Math.max(1, max) * 1.05]}},
          axes: [{label: "seconds since the run started"}, {label: "requests/s", size: 80}],
          series: [{label: "s"}, ...lines],
        }, align(RUNS.map(run => run.timeline.map(p => [p[0], p[1]]))), document.getElementById("throughput"));
        new uPlot({
          width, height: 300,
          scales: {x: {time: false}},
          axes: [{label: "seconds since the run started"}, {label: "p99 (us)", size: 80}],
          series: [{label: "s"}, ...lines],
        }, align(RUNS.map(run => run.timeline.filter(p => p[2] != null).map(p => [p[0], p[2]]))),
          document.getElementById("p99"));
        """;
}
