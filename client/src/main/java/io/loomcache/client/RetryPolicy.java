package io.loomcache.client;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Decides whether and when a request answered SERVER_BUSY is sent again: exponential backoff from the initial to the
 * maximum backoff with "equal jitter" (half the step fixed, half random, so that clients spread out), never shorter
 * than the server's retry-after hint (itself capped at the maximum), and only while the retry can still finish
 * before the request's deadline. Immutable and thread-safe.
 */
final class RetryPolicy {
    /** Returned by {@link #delayMs} when the request must fail instead. */
    static final long NO_RETRY = -1;

    private static final int MAX_SHIFT = 30;

    private final int maxRetries;
    private final long initialBackoffMs;
    private final long maxBackoffMs;

    /**
     * Creates a policy.
     *
     * @param maxRetries retries after the first attempt; 0 turns retrying off.
     * @param initialBackoffMs the first backoff, &gt;= 1.
     * @param maxBackoffMs the largest backoff, &gt;= initialBackoffMs.
     */
    RetryPolicy(final int maxRetries, final long initialBackoffMs, final long maxBackoffMs) {
        this.maxRetries = maxRetries;
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    /**
     * Tells whether retrying is on at all (then requests keep a copy of their frame).
     *
     * @return true when maxRetries &gt; 0.
     */
    boolean enabled() {
        return maxRetries > 0;
    }

    /**
     * The delay before the next attempt of a request answered SERVER_BUSY.
     *
     * @param attemptsMade sends so far, &gt;= 1.
     * @param retryAfterMs the server's hint, &gt;= 0.
     * @param nowNs the current {@link System#nanoTime()}.
     * @param deadlineNs the request's deadline.
     * @return milliseconds to wait, or {@link #NO_RETRY} when the retries are spent or the deadline is too close.
     */
    long delayMs(final int attemptsMade, final int retryAfterMs, final long nowNs, final long deadlineNs) {
        if (attemptsMade > maxRetries) {
            return NO_RETRY;
        }
        final long delayMs = backoffMs(attemptsMade, retryAfterMs, ThreadLocalRandom.current().nextLong());
        return deadlineNs - nowNs - TimeUnit.MILLISECONDS.toNanos(delayMs) > 0 ? delayMs : NO_RETRY;
    }

    /**
     * The backoff before retry number {@code retry}, a pure function of its inputs.
     *
     * @param retry 1 for the first retry.
     * @param retryAfterMs the server's hint, &gt;= 0.
     * @param randomBits random bits choosing the jitter.
     * @return milliseconds in [max(step / 2, hint), max(step, hint)] where step = min(max, initial * 2^(retry-1))
     *     and hint = min(retryAfterMs, max).
     */
    long backoffMs(final int retry, final int retryAfterMs, final long randomBits) {
        final int shift = Math.min(Math.max(retry - 1, 0), MAX_SHIFT);
        final long step = initialBackoffMs > maxBackoffMs >> shift ? maxBackoffMs : initialBackoffMs << shift;
        final long half = step / 2;
        final long jitter = Math.floorMod(randomBits, step - half + 1);
        return Math.max(half + jitter, Math.min(retryAfterMs, maxBackoffMs));
    }
}
