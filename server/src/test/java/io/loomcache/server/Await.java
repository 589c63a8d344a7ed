package io.loomcache.server;

import java.util.concurrent.locks.LockSupport;

/** Polls a condition until it holds or a deadline passes; never a fixed sleep. */
final class Await {
    private Await() {
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void until(final String what, final long timeoutMs, final Condition condition) throws Exception {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }
}
