package io.loomcache.server;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One-line stderr logging of a node: {@code loomcache: <message>}. Errors are counted, and logged once per
 * distinct cause (class and site), with its stack trace, so that a repeated failure never floods the log or slows
 * the loop that hits it; logging an error never throws, even out of memory. Thread-safe; allocates only when it logs.
 */
public final class ServerLog {
    private static final PrintStream OUT = System.err;
    private static final Set<String> LOGGED_CAUSES = ConcurrentHashMap.newKeySet();
    private static final AtomicLong ERRORS = new AtomicLong();
    private static volatile Runnable onOutOfMemory;

    private ServerLog() {
    }

    /**
     * Logs one line.
     *
     * @param message the text after the prefix.
     */
    public static void info(final String message) {
        OUT.println("loomcache: " + message);
        OUT.flush();
    }

    /**
     * Counts an error and logs it the first time its cause is seen.
     *
     * @param site where it happened, part of the cause key (e.g. "executor-0 request").
     * @param error the error.
     */
    public static void error(final String site, final Throwable error) {
        ERRORS.incrementAndGet();
        if (error instanceof OutOfMemoryError) {
            final Runnable action = onOutOfMemory;
            if (action != null) {
                action.run();
            }
        }
        try {
            final String cause = site + ": " + error.getClass().getName();
            if (LOGGED_CAUSES.add(cause)) {
                final StringWriter trace = new StringWriter();
                error.printStackTrace(new PrintWriter(trace));
                info("error in " + site + " (logged once per cause): " + trace.toString().stripTrailing());
            }
        } catch (final Throwable whileLogging) {
            // Out of memory, most likely: logging must never end the loop that reports the error.
            OUT.println("loomcache: error in " + site);
        }
    }

    /**
     * Counts an error and logs it the first time its cause is seen.
     *
     * @param site where it happened.
     * @param message what happened; the cause key is site plus message.
     */
    public static void error(final String site, final String message) {
        ERRORS.incrementAndGet();
        if (LOGGED_CAUSES.add(site + ": " + message)) {
            info("error in " + site + " (logged once per cause): " + message);
        }
    }

    /**
     * Sets what runs when an OutOfMemoryError is reported (the process lets go of its heap reserve).
     *
     * @param action the action, run on the reporting thread; must not allocate.
     */
    public static void onOutOfMemory(final Runnable action) {
        onOutOfMemory = action;
    }

    /**
     * Errors counted since start.
     *
     * @return the count.
     */
    public static long errors() {
        return ERRORS.get();
    }
}
