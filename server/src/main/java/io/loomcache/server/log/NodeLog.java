package io.loomcache.server.log;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

/**
 * The log of one node, held by its {@code ServerContext}. Every event is one line, {@code <timestamp> <LEVEL>
 * <component> <message> [key=value ...]}, the timestamp UTC ISO-8601 in ms from the context's epoch clock, so that
 * {@code grep ' ERROR executor '} finds a component's errors. Errors follow Aeron's {@code DistinctErrorLog}: an
 * error is distinct by its type and stack trace (causes included), not its message, which often carries an address
 * or a size; the first observation of a distinct error is logged with its stack trace on the lines after it, each
 * starting with a tab; later ones only count, and at most one line per distinct error per {@link #REPEAT_INTERVAL_NS}
 * reports the count. Every error is counted per {@link Component} ({@code loomcache_errors_total{component}}).
 * <p>
 * Written here rather than taken from Agrona's {@code DistinctErrorLog}, which stores into a bounded buffer for an
 * out-of-process reader: that one compares messages too (an error whose message varies would be distinct each
 * time) and does not tell its caller whether an observation is the first, which the one-trace-per-error log line
 * needs. The bound is kept: at most {@link #MAX_DISTINCT} distinct errors are held, each by at most
 * {@link #MAX_FRAMES} frames of at most {@link #MAX_CAUSES} throwables, so an error storm cannot grow memory; errors
 * past the bound are counted and logged as one line without trace, rate-limited like repeats.
 * <p>
 * Thread-safe: any thread may log; logging an error never throws, even out of memory. Allocates only when it logs.
 */
public final class NodeLog {
    /** Distinct errors held, each logged once with its trace. */
    public static final int MAX_DISTINCT = 128;
    /** Frames per throwable that make up an error's identity. */
    public static final int MAX_FRAMES = 32;
    /** Throwables of a cause chain that make up an error's identity. */
    public static final int MAX_CAUSES = 4;
    /** Shortest time between two count lines of the same distinct error, in ns. */
    public static final long REPEAT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private static final DateTimeFormatter TIMESTAMP =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** The part of the node an event comes from; its label tags the error counter. */
    public enum Component {
        /** Start, shutdown phases, the process. */
        NODE,
        /** The housekeeping duty cycle: deadlines, backpressure. */
        CONDUCTOR,
        /** A partition executor, its store and WAL. */
        EXECUTOR,
        /** Accepting connections, the transport's event loops. */
        TRANSPORT,
        /** One client connection: its reader, writer and request adapter. */
        CONNECTION,
        /** The /health and /metrics HTTP endpoints. */
        HTTP,
        /** Cluster membership, peer links and Raft groups. */
        CLUSTER;

        private final String label = name().toLowerCase(Locale.ROOT);

        /**
         * The lower-case name, as logged and as the metric label.
         *
         * @return the label.
         */
        public String label() {
            return label;
        }
    }

    /** What is kept of one distinct error; guarded by the log's lock. */
    private static final class Observations {
        private long count;
        private long lastLoggedNs;
    }

    private final PrintStream out;
    private final EpochClock epochClock;
    private final NanoClock nanoClock;
    private final AtomicLongArray errors = new AtomicLongArray(Component.values().length);
    private final Map<List<Object>, Observations> distinct = new HashMap<>();
    private final Observations overflow = new Observations();
    private volatile Runnable onOutOfMemory;

    /**
     * Creates a log.
     *
     * @param out where lines go, e.g. {@code System.err}.
     * @param epochClock the timestamps' clock.
     * @param nanoClock the clock that rate-limits repeat lines.
     */
    public NodeLog(final PrintStream out, final EpochClock epochClock, final NanoClock nanoClock) {
        this.out = out;
        this.epochClock = epochClock;
        this.nanoClock = nanoClock;
        overflow.lastLoggedNs = nanoClock.nanoTime() - REPEAT_INTERVAL_NS;
    }

    /**
     * Logs an informational event (started, listening, a shutdown phase, a dropped connection) on one line.
     *
     * @param component where it happened.
     * @param message the message, then any {@code key=value} fields; line breaks become spaces.
     */
    public void info(final Component component, final String message) {
        line("INFO", component, message, null);
    }

    /**
     * Counts an error; logs it with its stack trace the first time it is seen, else at most one line with its count
     * per {@link #REPEAT_INTERVAL_NS}. An {@link OutOfMemoryError} first runs the {@link #onOutOfMemory} action.
     *
     * @param component where it happened; the metric's label.
     * @param site what was being done, e.g. "executor-0 request"; not part of the error's identity.
     * @param error the error.
     */
    public void error(final Component component, final String site, final Throwable error) {
        errors.incrementAndGet(component.ordinal());
        if (error instanceof OutOfMemoryError) {
            final Runnable action = onOutOfMemory;
            if (action != null) {
                action.run();
            }
        }
        try {
            final List<Object> identity = identity(error);
            final long nowNs = nanoClock.nanoTime();
            final boolean first;
            final boolean held;
            final boolean report;
            final long count;
            synchronized (this) {
                Observations seen = distinct.get(identity);
                first = seen == null && distinct.size() < MAX_DISTINCT;
                if (first) {
                    seen = new Observations();
                    distinct.put(identity, seen);
                }
                held = seen != null;
                final Observations counted = held ? seen : overflow;
                count = ++counted.count;
                report = first || nowNs - counted.lastLoggedNs >= REPEAT_INTERVAL_NS;
                if (report) {
                    counted.lastLoggedNs = nowNs;
                }
            }
            final String event = site + ": " + error;
            if (first) {
                line("ERROR", component, event + " count=1", trace(error));
            } else if (report) {
                line("ERROR", component, event + (held ? " count=" + count + " (stack trace logged at the first)" :
                    " unheld=" + count + " (more than " + MAX_DISTINCT + " distinct errors: stack trace not logged)"),
                    null);
            }
        } catch (final Throwable whileLogging) {
            // Out of memory, most likely: logging must never end the loop that reports the error.
            out.println("ERROR " + component.label() + " " + site);
        }
    }

    /**
     * An Agrona {@link ErrorHandler} (for an {@code AgentRunner}) that logs through {@link #error}.
     *
     * @param component where errors happen.
     * @param site what is being done.
     * @return the handler.
     */
    public ErrorHandler errorHandler(final Component component, final String site) {
        return error -> error(component, site, error);
    }

    /**
     * Errors counted for a component since the log was created; any thread.
     *
     * @param component the component.
     * @return the count.
     */
    public long errors(final Component component) {
        return errors.get(component.ordinal());
    }

    /**
     * Distinct errors held so far (at most {@link #MAX_DISTINCT}).
     *
     * @return the count.
     */
    public synchronized int distinctErrors() {
        return distinct.size();
    }

    /**
     * Sets what runs when an {@link OutOfMemoryError} is reported (the process lets go of its heap reserve).
     *
     * @param action the action, run on the reporting thread; must not allocate.
     */
    public void onOutOfMemory(final Runnable action) {
        onOutOfMemory = action;
    }

    private void line(final String level, final Component component, final String message, final String trace) {
        final StringBuilder text = new StringBuilder(128)
            .append(TIMESTAMP.format(Instant.ofEpochMilli(epochClock.time()))).append(' ').append(level).append(' ')
            .append(component.label()).append(' ').append(message.replace('\n', ' ').replace('\r', ' '));
        if (trace != null) {
            text.append(System.lineSeparator()).append(trace);
        }
        out.println(text);
        out.flush();
    }

    /** Type and top frames of each throwable of the cause chain: what makes an error distinct. */
    private static List<Object> identity(final Throwable error) {
        final List<Object> identity = new ArrayList<>();
        Throwable cause = error;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            identity.add(cause.getClass());
            final StackTraceElement[] frames = cause.getStackTrace();
            for (int i = 0, n = Math.min(frames.length, MAX_FRAMES); i < n; i++) {
                identity.add(frames[i]);
            }
        }
        return identity;
    }

    /** The stack trace after its first line, every line starting with a tab. */
    private static String trace(final Throwable error) {
        final StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString().lines().skip(1).map(line -> line.startsWith("\t") ? line : "\t" + line)
            .collect(Collectors.joining(System.lineSeparator()));
    }
}
