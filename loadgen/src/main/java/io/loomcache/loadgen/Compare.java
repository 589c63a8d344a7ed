package io.loomcache.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.loomcache.loadgen.report.Json;
import io.loomcache.loadgen.report.PlotPage;
import io.loomcache.loadgen.report.PlotRun;

/**
 * {@code scripts/loadgen-compare [--out FILE.html] [--title TEXT] A.json B.json ...}: overlays runs saved with
 * {@code --json} (LoomCache against Redis, before against after) in one page, the plot page of each run drawn
 * together, and prints their figures as one table with the ratios to the first run. Exit codes: 0 done, 1 a report
 * cannot be read or the page cannot be written, 2 bad arguments.
 */
public final class Compare {
    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: loadgen-compare [--out FILE.html] [--title TEXT] A.json B.json ...",
        "  overlays runs saved by 'loadgen --json' (label them with --label) in one page: the latency percentile",
        "  spectrum, throughput and p99 per second, and a table with the ratios to the first run",
        "  --out FILE.html   the page (default compare.html)",
        "  --title TEXT      its heading (default: the runs' labels)");

    private Compare() {
    }

    /**
     * Runs the comparison and exits with its code.
     *
     * @param args the arguments.
     */
    public static void main(final String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the comparison.
     *
     * @param args the arguments.
     * @param out where the table goes.
     * @param err where problems go.
     * @return the exit code.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err) {
        Path page = Path.of("compare.html");
        String title = null;
        final List<Path> reports = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE);
                return LoadGenerator.EXIT_OK;
            }
            if ((arg.equals("--out") || arg.equals("--title")) && i + 1 >= args.length) {
                return usage(err, arg + " needs a value");
            }
            if (arg.equals("--out")) {
                page = Path.of(args[++i]);
            } else if (arg.equals("--title")) {
                title = args[++i];
            } else if (arg.startsWith("--")) {
                return usage(err, "unknown flag " + arg);
            } else {
                reports.add(Path.of(arg));
            }
        }
        if (reports.isEmpty()) {
            return usage(err, "give at least one JSON report");
        }
        final List<PlotRun> runs = new ArrayList<>();
        for (final Path report : reports) {
            try {
                final String name = report.getFileName().toString().replaceFirst("\\.json$", "");
                runs.add(PlotRun.fromJson(Json.parse(Files.readString(report, StandardCharsets.UTF_8)), name));
            } catch (final IOException | IllegalArgumentException ex) {
                err.println("loadgen-compare: cannot read " + report + ": " + ex.getMessage());
                return LoadGenerator.EXIT_FAILED;
            }
        }
        final String heading = title != null ? title :
            "loadgen: " + String.join(" vs ", runs.stream().map(PlotRun::label).toList());
        try {
            Files.writeString(page, PlotPage.render(heading, runs), StandardCharsets.UTF_8);
        } catch (final IOException ex) {
            err.println("loadgen-compare: cannot write " + page + ": " + ex.getMessage());
            return LoadGenerator.EXIT_FAILED;
        }
        printTable(out, runs);
        out.println("page: " + page.toAbsolutePath());
        return LoadGenerator.EXIT_OK;
    }

    private static int usage(final PrintStream err, final String problem) {
        err.println("loadgen-compare: " + problem);
        err.println(USAGE);
        return LoadGenerator.EXIT_USAGE;
    }

    private static void printTable(final PrintStream out, final List<PlotRun> runs) {
        final int width = Math.max(5, runs.stream().mapToInt(run -> run.label().length()).max().orElse(5));
        out.println(String.format(Locale.ROOT, "%-" + width + "s %14s %10s %10s %10s %12s %10s %10s %10s", "run",
            "ops/s", "p50 us", "p99 us", "p99.9 us", "max us", "errors", "ops/first", "p99/first"));
        final PlotRun first = runs.getFirst();
        for (final PlotRun run : runs) {
            out.println(String.format(Locale.ROOT, "%-" + width + "s %,14.0f %,10.1f %,10.1f %,10.1f %,12.1f %,10d " +
                "%9.2fx %9.2fx", run.label(), run.throughput(), run.p50Us(), run.p99Us(), run.p999Us(), run.maxUs(),
                run.errors(), run.throughput() / first.throughput(), run.p99Us() / first.p99Us()));
        }
    }
}
