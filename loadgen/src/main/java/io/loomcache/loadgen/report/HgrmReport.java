package io.loomcache.loadgen.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.HdrHistogram.Histogram;

/**
 * Writes a latency histogram as HdrHistogram's percentile distribution (the .hgrm text format, values in
 * microseconds), readable by the HdrHistogram plotter.
 */
public final class HgrmReport {
    /** Divides recorded nanoseconds into the microseconds the file shows. */
    public static final double OUTPUT_SCALING_RATIO = 1000.0;

    private HgrmReport() {
    }

    /**
     * Writes the distribution.
     *
     * @param file the destination, replaced.
     * @param latenciesNs the histogram, in ns.
     * @throws IOException when the file cannot be written.
     */
    public static void write(final Path file, final Histogram latenciesNs) throws IOException {
        try (OutputStream stream = Files.newOutputStream(file);
             PrintStream out = new PrintStream(stream, false, StandardCharsets.US_ASCII)) {
            latenciesNs.outputPercentileDistribution(out, OUTPUT_SCALING_RATIO);
            out.flush();
            if (out.checkError()) {
                throw new IOException("cannot write " + file);
            }
        }
    }
}
