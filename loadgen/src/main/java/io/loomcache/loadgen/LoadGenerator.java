package io.loomcache.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.loomcache.loadgen.config.CommandLine;
import io.loomcache.loadgen.config.LoadGenContext;
import io.loomcache.loadgen.driver.AgentStats;
import io.loomcache.loadgen.driver.LoadRun;
import io.loomcache.loadgen.driver.Phase;
import io.loomcache.loadgen.driver.PhaseResult;
import io.loomcache.loadgen.report.HgrmReport;
import io.loomcache.loadgen.report.Json;
import io.loomcache.loadgen.report.JsonReport;
import io.loomcache.loadgen.report.PlotPage;
import io.loomcache.loadgen.report.PlotRun;
import io.loomcache.loadgen.report.ProgressReporter;
import io.loomcache.loadgen.report.SloGate;
import io.loomcache.loadgen.report.SummaryReport;
import io.loomcache.loadgen.report.Timeline;
import io.loomcache.loadgen.report.WatermarkTable;
import io.loomcache.protocol.options.Units;
import io.loomcache.protocol.options.UsageException;
import org.HdrHistogram.Histogram;

/**
 * Entry point of the load generator: parses the flags, connects, runs the phases (preload, warm-up, measurement,
 * or the watermark steps) and prints the summary on stdout, progress on stderr. Exit codes: 0 done, 1 the run
 * failed (cannot connect, I/O error) or missed an {@code --slo} objective, 2 bad flags.
 */
public final class LoadGenerator {
    /** Exit code of a completed run. */
    public static final int EXIT_OK = 0;
    /** Exit code of a run that could not connect or failed, or that missed an SLO objective. */
    public static final int EXIT_FAILED = 1;
    /** Exit code of a bad command line. */
    public static final int EXIT_USAGE = 2;

    private static final double NANOS_PER_SECOND = 1e9;

    private LoadGenerator() {
    }

    /**
     * Runs the generator and exits with its exit code.
     *
     * @param args the command line flags.
     */
    public static void main(final String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the generator.
     *
     * @param args the command line flags.
     * @param out where the summary goes.
     * @param err where progress and problems go.
     * @return the exit code.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err) {
        if (CommandLine.wantsHelp(args)) {
            out.println(CommandLine.usage());
            return EXIT_OK;
        }
        final LoadGenContext context;
        try {
            context = CommandLine.parse(args);
        } catch (final UsageException ex) {
            err.println("loadgen: " + ex.getMessage());
            err.println(CommandLine.usage());
            return EXIT_USAGE;
        }
        try {
            final Report report = execute(context, out, err);
            return context.slo() == null || report.measured() == null ? EXIT_OK :
                gate(context.slo().check(report.measured()), out, err);
        } catch (final IOException | UncheckedIOException ex) {
            err.println("loadgen: " + ex.getMessage());
            return EXIT_FAILED;
        }
    }

    /**
     * Prints the verdict of each SLO objective, the met ones on {@code out}, the missed ones on {@code err}.
     *
     * @return {@link #EXIT_OK} when all were met, else {@link #EXIT_FAILED}.
     */
    private static int gate(final List<SloGate.Verdict> verdicts, final PrintStream out, final PrintStream err) {
        int missed = 0;
        for (final SloGate.Verdict verdict : verdicts) {
            if (verdict.met()) {
                out.println("slo met:    " + verdict.text());
            } else {
                err.println("slo missed: " + verdict.text());
                missed++;
            }
        }
        if (missed == 0) {
            out.println("slo: all " + verdicts.size() + " objectives met");
            return EXIT_OK;
        }
        err.println("loadgen: SLO missed (" + missed + " of " + verdicts.size() + " objectives): exit " + EXIT_FAILED);
        return EXIT_FAILED;
    }

    /**
     * Runs the phases a context asks for and writes every report it asks for.
     *
     * @param context the settings.
     * @param out where the summary goes.
     * @param err where progress goes.
     * @return the figures of the run.
     * @throws IOException when the run cannot connect or a report cannot be written.
     */
    public static Report execute(final LoadGenContext context, final PrintStream out, final PrintStream err)
        throws IOException {
        try (LoadRun run = LoadRun.open(context);
            Timeline timeline = context.timelineFile() == null && context.plotFile() == null &&
                context.jsonFile() == null ? null : new Timeline(run, context.timelineFile()).start()) {
            final ProgressReporter reporter = context.quiet() ? null : new ProgressReporter(run, err).start();
            try {
                return phases(new Phases(run, timeline), context, out, err);
            } finally {
                if (reporter != null) {
                    reporter.close();
                }
            }
        }
    }

    /** Runs phases, and has the timeline write each one's last row as it ends. */
    private record Phases(LoadRun run, Timeline timeline) {
        List<Timeline.Row> rows() {
            return timeline == null ? List.of() : timeline.rows();
        }

        PhaseResult run(final Phase phase) {
            final PhaseResult result = run.run(phase);
            if (timeline != null) {
                timeline.phaseEnded();
            }
            return result;
        }
    }

    private static Report phases(final Phases run, final LoadGenContext context, final PrintStream out,
        final PrintStream err) throws IOException {
        PhaseResult preload = null;
        if (context.preload()) {
            preload = run.run(new Phase("preload", Phase.PRELOAD, 0, LoadRun.PRELOAD_DEADLINE_NS, context.keys()));
            err.println(String.format(Locale.ROOT, "loadgen: preloaded %,d keys in %.1f s (%,.0f ops/s, %,d errors)",
                preload.okOps(), preload.elapsedNs() / NANOS_PER_SECOND, preload.throughputOpsPerSec(),
                preload.errors()));
        }
        final double warmupRate = context.watermark() ? context.steps()[0] : context.rateOpsPerSec();
        if (context.warmupNs() > 0) {
            run.run(new Phase("warmup", Phase.LOAD, warmupRate, context.warmupNs(), Phase.UNBOUNDED));
        }
        final Report report = context.watermark() ? watermark(run, context, out, preload) :
            measure(run, context, out, preload);
        if (context.jsonFile() != null) {
            JsonReport.write(context.jsonFile(), context, report.measured(), report.steps(), run.rows());
        }
        if (context.plotFile() != null) {
            // drawn from the JSON report the run would write, as loadgen-compare draws saved ones
            final String json = JsonReport.render(context, report.measured(), report.steps(), run.rows());
            Files.writeString(context.plotFile(), PlotPage.render("loadgen: " + context.label(),
                List.of(PlotRun.fromJson(Json.parse(json), context.label()))), StandardCharsets.UTF_8);
        }
        return report;
    }

    private static Report measure(final Phases run, final LoadGenContext context, final PrintStream out,
        final PhaseResult preload) throws IOException {
        final long quota = context.requests() == LoadGenContext.NO_REQUEST_LIMIT ? Phase.UNBOUNDED :
            context.requests();
        final PhaseResult result = run.run(new Phase("measure", Phase.LOAD, context.rateOpsPerSec(),
            context.durationNs(), quota));
        SummaryReport.print(out, context, result);
        if (context.hgrmFile() != null) {
            HgrmReport.write(context.hgrmFile(), result.histogram());
        }
        return new Report(preload, result, List.of());
    }

    private static Report watermark(final Phases run, final LoadGenContext context, final PrintStream out,
        final PhaseResult preload) throws IOException {
        final double[] rates = context.steps();
        final List<PhaseResult> steps = new ArrayList<>(rates.length);
        final Histogram all = AgentStats.newHistogram();
        for (int i = 0; i < rates.length; i++) {
            final PhaseResult step = run.run(new Phase("step " + (i + 1) + " @" + (long)rates[i], Phase.LOAD,
                rates[i], context.stepDurationNs(), Phase.UNBOUNDED));
            steps.add(step);
            all.add(step.histogram());
        }
        out.println("loadgen: " + context.describe() + " scenario=watermark step-duration=" +
            Units.formatDuration(context.stepDurationNs()));
        WatermarkTable.print(out, steps);
        if (context.hgrmFile() != null) {
            HgrmReport.write(context.hgrmFile(), all);
        }
        return new Report(preload, null, List.copyOf(steps));
    }

    /**
     * The figures of a run.
     *
     * @param preload the preload phase, or null.
     * @param measured the measured phase, or null for the watermark scenario.
     * @param steps the watermark steps, empty otherwise.
     */
    public record Report(PhaseResult preload, PhaseResult measured, List<PhaseResult> steps) {
    }
}
