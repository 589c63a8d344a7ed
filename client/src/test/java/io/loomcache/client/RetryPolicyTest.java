package io.loomcache.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcache.testkit.gen.Property;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void shouldKeepBackoffWithinTheJitteredExponentialStepAndTheHint() {
        Property.forAll(1000, g -> backoffWithinBounds(g.ints(1, 100), g.ints(0, 100_000), g.longs(1, 1_000),
            g.longs(0, 10_000), g.anyLong()));
    }

    private static void backoffWithinBounds(final int retry, final int retryAfterMs, final long initialMs,
        final long extraMs, final long randomBits) {
        final long maxMs = initialMs + extraMs;
        final RetryPolicy policy = new RetryPolicy(100, initialMs, maxMs);
        final long step = Math.min(maxMs, initialMs * (1L << Math.min(retry - 1, 30)));
        final long hint = Math.min(retryAfterMs, maxMs);

        final long backoffMs = policy.backoffMs(retry, retryAfterMs, randomBits);

        assertTrue(backoffMs >= Math.max(step / 2, hint), () -> "below bounds: " + backoffMs);
        assertTrue(backoffMs <= Math.max(step, hint), () -> "above bounds: " + backoffMs);
        assertTrue(backoffMs <= maxMs);
    }

    @Test
    void shouldNotRetryOnceRetriesAreSpent() {
        final RetryPolicy policy = new RetryPolicy(2, 1, 1);

        assertTrue(policy.delayMs(1, 0, 0, 1_000_000_000L) >= 0);
        assertTrue(policy.delayMs(2, 0, 0, 1_000_000_000L) >= 0);
        assertEquals(RetryPolicy.NO_RETRY, policy.delayMs(3, 0, 0, 1_000_000_000L));
    }

    @Test
    void shouldNotRetryWhenTheBackoffWouldPassTheDeadline() {
        final RetryPolicy policy = new RetryPolicy(5, 10, 10);

        assertEquals(RetryPolicy.NO_RETRY, policy.delayMs(1, 0, 0, 4_000_000L));
        assertEquals(RetryPolicy.NO_RETRY, policy.delayMs(1, 50, 0, 10_000_000L));
        assertEquals(10, policy.delayMs(1, 50, 0, 11_000_000L));
    }

    @Test
    void shouldBeOffWithZeroRetries() {
        final RetryPolicy policy = new RetryPolicy(0, 10, 100);

        assertEquals(false, policy.enabled());
        assertEquals(RetryPolicy.NO_RETRY, policy.delayMs(1, 0, 0, Long.MAX_VALUE));
    }
}
