package io.loomcache.testkit;

import java.util.concurrent.locks.LockSupport;

/** Polls a condition until it holds or a deadline passes: the one way tests wait, never a fixed sleep. */
public final class Await {
    /** The deadline of {@link #until(String, Condition)}, ms. */
    public static final long DEFAULT_TIMEOUT_MS = 10_000;

    private static final long POLL_INTERVAL_NS = 1_000_000L;

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
     * @param condition polled on the calling thread about every millisecond.
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
     * @param condition polled on the calling thread about every millisecond.
     * @param <E>       what the condition may throw.
     * @throws E              what the condition threw, at once.
     * @throws AssertionError if the condition did not hold within the deadline.
     */
    public static <E extends Exception> void until(
        final String what, final long timeoutMs, final Condition<E> condition) throws E {
        until(what, timeoutMs, POLL_INTERVAL_NS / 1_000_000L, condition);
    }

    /**
     * Waits up to {@code timeoutMs} for {@code condition}, polled every {@code pollMs}: for a condition that costs
     * something each time, such as a probe that opens a connection (polled every millisecond for 20 s, one left
     * ~8,000 sockets in TIME_WAIT per run, close enough to the ephemeral port range to fail later connects).
     *
     * @param what      what is awaited, for the failure message.
     * @param timeoutMs the deadline, ms from now.
     * @param pollMs    the pause between polls, ms.
     * @param condition polled on the calling thread.
     * @param <E>       what the condition may throw.
     * @throws E              what the condition threw, at once.
     * @throws AssertionError if the condition did not hold within the deadline.
     */
    public static <E extends Exception> void until(
        final String what, final long timeoutMs, final long pollMs, final Condition<E> condition) throws E {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() - deadlineNs > 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            LockSupport.parkNanos(pollMs * 1_000_000L);
        }
    }
}
