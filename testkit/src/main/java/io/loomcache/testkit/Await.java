package io.loomcache.testkit;

import java.util.concurrent.locks.LockSupport;

/** Polls a condition until it holds or a deadline passes: the one way tests wait, never a fixed sleep. */
public final class Await {
    /** The deadline of {@link #until(String, Condition)}, ms. */
    public static final long DEFAULT_TIMEOUT_MS = 10_000;

    private static final long FIRST_POLL_INTERVAL_NS = 1_000_000L;
    /**
     * The longest pause between polls. A condition that opens a connection per poll (a probe of the accept path)
     * polled every millisecond for 20 s left ~20,000 sockets in TIME_WAIT, close to the ephemeral port range, and
     * failed the next tests' connects; backing off to 20 ms keeps such a probe under 1,000 sockets a deadline.
     */
    private static final long MAX_POLL_INTERVAL_NS = 20_000_000L;

    private Await() {
    }

    /**
     * A condition polled by {@link Await}; it may throw what the test's own code throws.
     *
     * @param <E> what {@link #holds()} may throw; a lambda that throws nothing checked makes it unchecked.
     */
    @FunctionalInterface
    public interface Condition<E extends Exception> {
        /**
         * Checks the condition once.
         *
         * @return whether it holds now.
         * @throws E when checking fails; the wait ends with it.
         */
        boolean holds() throws E;
    }

    /**
     * Waits up to {@link #DEFAULT_TIMEOUT_MS} for {@code condition}.
     *
     * @param what      what is awaited, for the failure message, e.g. {@code "the connection to be released"}.
     * @param condition polled on the calling thread, first about every millisecond, backing off to every 20 ms.
     * @param <E>       what the condition may throw.
     * @throws E              what the condition threw, at once.
     * @throws AssertionError if the condition did not hold within the deadline.
     */
    public static <E extends Exception> void until(final String what, final Condition<E> condition) throws E {
        until(what, DEFAULT_TIMEOUT_MS, condition);
    }

    /**
     * Waits up to {@code timeoutMs} for {@code condition}.
     *
     * @param what      what is awaited, for the failure message.
     * @param timeoutMs the deadline, ms from now.
     * @param condition polled on the calling thread, first about every millisecond, backing off to every 20 ms.
     * @param <E>       what the condition may throw.
     * @throws E              what the condition threw, at once.
     * @throws AssertionError if the condition did not hold within the deadline.
     */
    public static <E extends Exception> void until(
        final String what, final long timeoutMs, final Condition<E> condition) throws E {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        long pauseNs = FIRST_POLL_INTERVAL_NS;
        while (!condition.holds()) {
            if (System.nanoTime() - deadlineNs > 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            LockSupport.parkNanos(pauseNs);
            pauseNs = Math.min(MAX_POLL_INTERVAL_NS, pauseNs * 2);
        }
    }
}
