package io.loomcache.loadgen.chaos;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The history of one register in one run, written as a Jepsen log ({@code INFO  jepsen.util - <process>\t:invoke\t
 * :read\tnil}, the line format of the Jepsen etcd histories), so that any checker of those reads it. Events are
 * appended under this object's lock in the order they happen: a client records its invoke before it sends the
 * request and the completion after the answer. Thread-safe.
 */
final class RegisterHistory implements AutoCloseable {
    static final String PREFIX = "INFO  jepsen.util - ";
    static final String READ = ":read";
    static final String WRITE = ":write";
    static final String CAS = ":cas";
    /** The value of an unknown-outcome completion, as the etcd histories write it. */
    static final String TIMED_OUT = ":timed-out";

    private final Path file;
    private final Writer writer;
    private final Timeline timeline;

    /**
     * Creates (or truncates) the log file.
     *
     * @param file the log.
     * @param timeline where each completion is counted, with its time.
     * @throws IOException when the file cannot be created.
     */
    RegisterHistory(final Path file, final Timeline timeline) throws IOException {
        this.file = file;
        this.writer = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        this.timeline = timeline;
    }

    Path file() {
        return file;
    }

    /**
     * Records an invoke; call it before the request is sent.
     *
     * @param process the logical process.
     * @param f {@link #READ}, {@link #WRITE} or {@link #CAS}.
     * @param value {@code nil} for a read, the value of a write, {@code [from to]} for a cas.
     */
    synchronized void invoke(final int process, final String f, final String value) {
        line(process, ":invoke", f, value);
    }

    /**
     * Records a completion; call it after the answer (or the failure) arrived.
     *
     * @param process the logical process that invoked.
     * @param outcome ok, fail or info.
     * @param f the invoked function.
     * @param value what a read returned, else the invoked value; ignored for info ({@link #TIMED_OUT} written).
     */
    synchronized void complete(final int process, final Outcome outcome, final String f, final String value) {
        line(process, outcome.label(), f, outcome == Outcome.INFO ? TIMED_OUT : value);
        timeline.completed(System.nanoTime(), outcome);
    }

    private void line(final int process, final String type, final String f, final String value) {
        try {
            writer.write(PREFIX + process + '\t' + type + '\t' + f + '\t' + value + '\n');
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
    }
}
