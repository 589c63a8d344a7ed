package io.loomcache.client;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Awaits a condition with a deadline instead of sleeping. */
public final class Await {
    private Await() {
    }

    public static void until(final String what, final BooleanSupplier condition) {
        until(what, Duration.ofSeconds(10), condition);
    }

    public static void until(final String what, final Duration timeout, final BooleanSupplier condition) {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNs > 0) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }
}
