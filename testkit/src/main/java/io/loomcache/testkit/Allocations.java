package io.loomcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import com.sun.management.ThreadMXBean;

/**
 * Heap allocation of a window of work, measured with the current thread's allocated-bytes counter (exact, no
 * timing). The window runs once to warm up, then up to {@code maxWindows} times between two reads of the counter;
 * measuring stops at the first window that allocates nothing. A warm window may still see a few hundred bytes while
 * the JIT deoptimizes a frame and rematerializes scalar-replaced objects, which is why more than one window may run;
 * one allocation per operation would cost every window at least 16 bytes per operation.
 *
 * <p>Nothing is allocated between the two reads of the counter but what the window itself allocates: the caller
 * creates the {@link Runnable} once, outside, and the figures are boxed only after the last window. Measures the
 * calling thread only.
 */
public final class Allocations {
    private Allocations() {
    }

    /**
     * Runs {@code window} once to warm up, then measures up to {@code maxWindows} runs of it, stopping after the
     * first that allocates nothing.
     *
     * @param window     the work to measure, created once by the caller; it runs on the calling thread.
     * @param maxWindows how many measured windows at most, at least 1.
     * @return the bytes allocated by each measured window in order (size 1 to {@code maxWindows}); the last is 0
     *     unless every window allocated.
     * @throws IllegalArgumentException if {@code maxWindows} is below 1.
     */
    public static List<Long> allocatedPerWindow(final Runnable window, final int maxWindows) {
        if (maxWindows < 1) {
            throw new IllegalArgumentException("maxWindows must be at least 1: " + maxWindows);
        }
        final ThreadMXBean threads = threads();
        final long[] allocatedBytes = new long[maxWindows];
        window.run();
        int windows = 0;
        while (windows < maxWindows) {
            final long before = threads.getCurrentThreadAllocatedBytes();
            window.run();
            allocatedBytes[windows] = threads.getCurrentThreadAllocatedBytes() - before;
            windows++;
            if (allocatedBytes[windows - 1] == 0) {
                break;
            }
        }
        final List<Long> perWindow = new ArrayList<>(windows);
        for (int i = 0; i < windows; i++) {
            perWindow.add(allocatedBytes[i]);
        }
        return List.copyOf(perWindow);
    }

    /**
     * Measures as {@link #allocatedPerWindow(Runnable, int)} does and fails unless the last window allocated
     * nothing; the failure message names the work and lists every window's figure.
     *
     * @param window     the work to measure, created once by the caller; it runs on the calling thread.
     * @param maxWindows how many measured windows at most, at least 1.
     * @param what       what one window does, for the message, e.g. {@code "105000 frames encoded and decoded"}.
     * @return the bytes allocated by each measured window in order; its size is the number of measured windows (the
     *     warm-up run not counted), which callers use to check how much work was done.
     * @throws AssertionError if the last window allocated, or the JVM cannot count a thread's allocation.
     */
    public static List<Long> assertAllocationFree(final Runnable window, final int maxWindows, final String what) {
        final List<Long> perWindow = allocatedPerWindow(window, maxWindows);
        assertEquals(0L, perWindow.getLast(), "bytes allocated per window of " + what + ": " + perWindow);
        return perWindow;
    }

    private static ThreadMXBean threads() {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            "this JVM does not count the bytes a thread allocates");
        return threads;
    }
}
