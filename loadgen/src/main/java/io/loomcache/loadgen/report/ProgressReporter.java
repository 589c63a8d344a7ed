package io.loomcache.loadgen.report;

import java.io.PrintStream;
import java.util.Locale;

import io.loomcache.loadgen.driver.AgentStats;
import io.loomcache.loadgen.driver.LoadRun;
import org.HdrHistogram.Histogram;

/**
 * Prints one progress line per second on its own daemon thread: phase, elapsed time, successful ops/s over the last
 * second, p50/p99 of the phase so far, shed requests, errors and late open-loop sends. Reads only what the agents
 * publish, so it never slows the I/O threads down. Started and stopped by the main thread.
 */
public final class ProgressReporter implements AutoCloseable {
    private static final double NANOS_PER_MICRO = 1e3;
    private static final double NANOS_PER_SECOND = 1e9;

    private final LoadRun run;
    private final PrintStream err;
    private final Histogram latencies = AgentStats.newHistogram();
    private EverySecond ticker;
    private String lastPhase = "";
    private long lastPhaseStartNs;
    private long lastOkOps;
    private long lastNs;

    /**
     * Creates a reporter; {@link #start()} starts its thread.
     *
     * @param run the run to watch.
     * @param err where the lines go.
     */
    public ProgressReporter(final LoadRun run, final PrintStream err) {
        this.run = run;
        this.err = err;
    }

    /**
     * Starts the thread that prints a line every second.
     *
     * @return this.
     */
    public ProgressReporter start() {
        ticker = new EverySecond("loadgen-progress", () -> err.println(line(System.nanoTime())));
        return this;
    }

    /**
     * Computes one progress line from what the agents published, rates relative to the previous line.
     *
     * @param nowNs the current time, {@link System#nanoTime()} ns.
     * @return the line.
     */
    String line(final long nowNs) {
        final LoadRun.Progress progress = run.progress(latencies);
        if (!progress.phaseName().equals(lastPhase) || progress.phaseStartNs() != lastPhaseStartNs) {
            lastPhase = progress.phaseName();
            lastPhaseStartNs = progress.phaseStartNs();
            lastOkOps = 0;
            lastNs = progress.phaseStartNs();
        }
        final double seconds = (nowNs - lastNs) / NANOS_PER_SECOND;
        final double opsPerSec = seconds > 0 ? (progress.okOps() - lastOkOps) / seconds : 0;
        lastOkOps = progress.okOps();
        lastNs = nowNs;
        return String.format(Locale.ROOT,
            "loadgen [%s %5.1fs] %,12.0f ops/s  p50 %,9.1f us  p99 %,9.1f us  busy %,d  errors %,d%s",
            progress.phaseName(), (nowNs - progress.phaseStartNs()) / NANOS_PER_SECOND, opsPerSec,
            latencies.getValueAtPercentile(50) / NANOS_PER_MICRO, latencies.getValueAtPercentile(99) / NANOS_PER_MICRO,
            progress.serverBusy(), progress.errors(),
            progress.lateSends() > 0 ? String.format(Locale.ROOT, "  late sends %,d", progress.lateSends()) : "");
    }

    /**
     * Stops the reporter and waits for its thread, if started.
     */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.close();
        }
    }
}
