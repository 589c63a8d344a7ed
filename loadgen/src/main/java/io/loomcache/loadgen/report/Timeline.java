package io.loomcache.loadgen.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.loomcache.loadgen.driver.AgentStats;
import io.loomcache.loadgen.driver.ErrorKinds;
import io.loomcache.loadgen.driver.LoadRun;
import org.HdrHistogram.Histogram;

/**
 * The run second by second: one row per second of the run, kept for the plot page and the JSON report and written
 * to {@code --timeline FILE.csv} when asked (every phase, named in its column), so that a
 * run with a fault (a leader killed, a snapshot, a pause) shows when throughput fell, for how long, and which errors
 * came. Each row covers the requests completed since the previous row of its phase ({@code interval_s}, so that
 * rate times interval is a count): successful, shed and failed requests per second, the p50/p99/p99.9/max latency
 * of the successful ones (empty when there were none) and the errors by code ({@code NOT_LEADER=3;TIMEOUT=1}).
 * At each row the I/O threads are asked to publish their figures at once ({@link LoadRun#publishNow}), so a row's
 * edges are exact to a turn of their loops; the last row of a phase is written when the phase ends and covers its
 * last fraction of a second.
 * Rows are made by a daemon thread; the CSV is flushed row by row (a killed run keeps what it wrote).
 */
public final class Timeline implements AutoCloseable {
    /** The CSV header. */
    public static final String HEADER = "time_s,interval_s,phase,ok_per_s,busy_per_s,errors_per_s,p50_us,p99_us," +
        "p999_us,max_us,errors_by_code";

    private static final long PUBLISH_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double NANOS_PER_MICRO = 1e3;

    private final LoadRun run;
    private final BufferedWriter out;
    private final List<Row> rows = new ArrayList<>();
    private final long originNs = System.nanoTime();
    private final Histogram cumulative = AgentStats.newHistogram();
    private final Histogram previous = AgentStats.newHistogram();
    private final Histogram interval = AgentStats.newHistogram();
    private final long[] errorCounts = new long[ErrorKinds.COUNT];
    private final long[] previousErrorCounts = new long[ErrorKinds.COUNT];
    private String phase = "";
    private long phaseStartNs;
    private long lastNs;
    private long lastOk;
    private long lastBusy;
    private long lastErrors;
    private boolean lastRowEndedPhase;
    private EverySecond ticker;
    private boolean closed;

    /**
     * One second (or the last fraction of a phase) of the run.
     *
     * @param timeS seconds since the timeline started, at the row's end.
     * @param intervalS the span the row covers.
     * @param phase the phase's name.
     * @param okPerSec successful requests per second.
     * @param busyPerSec shed requests per second.
     * @param errorsPerSec failed requests per second.
     * @param p50Us the median latency of the row's successful requests, NaN when there were none.
     * @param p99Us their p99.
     * @param p999Us their p99.9.
     * @param maxUs their maximum.
     * @param errorsByCode {@code NAME=n;NAME=n}, empty when none.
     */
    public record Row(double timeS, double intervalS, String phase, double okPerSec, double busyPerSec,
        double errorsPerSec, double p50Us, double p99Us, double p999Us, double maxUs, String errorsByCode) {
        /**
         * The row as a CSV line (without its line end).
         *
         * @return the line.
         */
        public String csv() {
            return String.format(Locale.ROOT, "%.3f,%.3f,%s,%.1f,%.1f,%.1f,%s,%s,%s,%s,%s", timeS, intervalS,
                quote(phase), okPerSec, busyPerSec, errorsPerSec, latency(p50Us), latency(p99Us), latency(p999Us),
                latency(maxUs), errorsByCode);
        }

        private static String latency(final double us) {
            return Double.isNaN(us) ? "" : String.format(Locale.ROOT, "%.1f", us);
        }
    }

    /**
     * Follows a run; with a file, opens it (replaced) and writes the header.
     *
     * @param run the run to follow.
     * @param file the CSV file, or null to keep the rows in memory only.
     * @throws IOException when the file cannot be written.
     */
    public Timeline(final LoadRun run, final Path file) throws IOException {
        this.run = run;
        this.out = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        if (out != null) {
            out.write(HEADER);
            out.newLine();
            out.flush();
        }
    }

    /**
     * The rows so far.
     *
     * @return a copy.
     */
    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    /**
     * Starts the thread that writes a row every second.
     *
     * @return this.
     */
    public Timeline start() {
        ticker = new EverySecond("loadgen-timeline", () -> {
            run.publishNow(PUBLISH_WAIT_NS);
            sample();
        });
        return this;
    }

    /**
     * Writes the row of what completed since the previous one; also called by the main thread when a phase ends,
     * for its last fraction of a second.
     */
    public synchronized void sample() {
        sample(false);
    }

    /**
     * Writes the row of what completed since the previous one, as a phase ends (its last fraction of a second).
     */
    public synchronized void phaseEnded() {
        sample(true);
    }

    private void sample(final boolean phaseEnd) {
        if (closed) {
            return;
        }
        final long nowNs = System.nanoTime();
        final LoadRun.Progress progress = run.progress(cumulative, errorCounts);
        if (!progress.phaseName().equals(phase) || progress.phaseStartNs() != phaseStartNs) {
            phase = progress.phaseName();
            phaseStartNs = progress.phaseStartNs();
            previous.reset();
            Arrays.fill(previousErrorCounts, 0);
            lastNs = phaseStartNs;
            lastOk = 0;
            lastBusy = 0;
            lastErrors = 0;
            lastRowEndedPhase = false;
        }
        final double seconds = (nowNs - lastNs) / NANOS_PER_SECOND;
        final long ok = progress.okOps() - lastOk;
        final boolean nothingNew = ok == 0 && progress.serverBusy() == lastBusy && progress.errors() == lastErrors;
        if (seconds <= 0 || nothingNew && lastRowEndedPhase) {
            // nothing since the row written as the phase ended: no empty sliver of a row (a stall mid-phase does
            // get its empty rows)
            return;
        }
        interval.reset();
        interval.add(cumulative);
        interval.subtract(previous);
        final boolean latencies = interval.getTotalCount() > 0;
        final StringBuilder codes = new StringBuilder();
        for (int i = 0; i < errorCounts.length; i++) {
            final long count = errorCounts[i] - previousErrorCounts[i];
            if (count > 0) {
                codes.append(codes.isEmpty() ? "" : ";").append(ErrorKinds.name(i)).append('=').append(count);
            }
        }
        final Row row = new Row((nowNs - originNs) / NANOS_PER_SECOND, seconds, phase, ok / seconds,
            (progress.serverBusy() - lastBusy) / seconds, (progress.errors() - lastErrors) / seconds,
            latencies ? interval.getValueAtPercentile(50) / NANOS_PER_MICRO : Double.NaN,
            latencies ? interval.getValueAtPercentile(99) / NANOS_PER_MICRO : Double.NaN,
            latencies ? interval.getValueAtPercentile(99.9) / NANOS_PER_MICRO : Double.NaN,
            latencies ? interval.getMaxValue() / NANOS_PER_MICRO : Double.NaN, codes.toString());
        rows.add(row);
        if (out != null) {
            try {
                out.write(row.csv());
                out.newLine();
                out.flush();
            } catch (final IOException ex) {
                throw new UncheckedIOException("cannot write the timeline: " + ex.getMessage(), ex);
            }
        }
        previous.reset();
        previous.add(cumulative);
        System.arraycopy(errorCounts, 0, previousErrorCounts, 0, errorCounts.length);
        lastNs = nowNs;
        lastRowEndedPhase = phaseEnd;
        lastOk = progress.okOps();
        lastBusy = progress.serverBusy();
        lastErrors = progress.errors();
    }

    private static String quote(final String text) {
        return text.indexOf(',') < 0 && text.indexOf('"') < 0 ? text : '"' + text.replace("\"", "\"\"") + '"';
    }

    /**
     * Stops the thread and closes the file (the last row of each phase was written as it ended).
     *
     * @throws IOException when the file cannot be closed.
     */
    @Override
    public void close() throws IOException {
        if (ticker != null) {
            ticker.close();
        }
        synchronized (this) {
            closed = true;
            if (out != null) {
                out.close();
            }
        }
    }
}
