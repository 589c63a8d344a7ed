package io.loomcache.client;

import java.lang.management.ManagementFactory;

import io.loomcache.testkit.Allocations;

/**
 * Decodes bytes with a codec and measures what the decoding allocated on the calling thread, whatever the outcome.
 * A decode of {@code n} bytes may allocate at most {@link #allocationBound(int)}: a fixed part (a fresh pooled Kryo
 * after a failed decode, the exception and its stack trace) plus a constant per input byte (a one-byte element can
 * cost a slot, a boxed value and a list node).
 */
final class Decoding {
    /** The fixed part of the bound, in bytes. */
    static final long FIXED_ALLOCATION_BYTES = 1 << 20;
    /** The part of the bound per input byte. */
    static final long ALLOCATION_BYTES_PER_INPUT_BYTE = 64;

    /**
     * What one decode did.
     *
     * @param value the decoded object when it succeeded.
     * @param failure what it threw, or null.
     * @param allocatedBytes heap bytes the measured decode allocated on this thread.
     */
    record Outcome(Object value, Throwable failure, long allocatedBytes) {
        @Override
        public String toString() {
            return (failure != null ? "threw " + failure : "returned a " + (value == null ? "null" :
                value.getClass().getName())) + " after allocating " + allocatedBytes + " bytes";
        }
    }

    private Decoding() {
    }

    static long allocationBound(final int inputLength) {
        return FIXED_ALLOCATION_BYTES + ALLOCATION_BYTES_PER_INPUT_BYTE * inputLength;
    }

    /** Decodes once to warm up, then once measured; any throwable is caught and reported, never propagated. */
    static Outcome decode(final KryoCodec codec, final byte[] bytes) {
        final Window window = new Window(codec, bytes);
        final long allocatedBytes = Allocations.allocatedPerWindow(window, 1).getFirst();
        return new Outcome(window.value, window.failure, allocatedBytes);
    }

    /** Heap bytes allocated by every thread of this JVM so far (for decodes that run on the client's threads). */
    static long totalAllocatedBytes() {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    /** The failure is of the kind a caller can handle: a LoomSerializationException, and no VM error behind it. */
    static boolean isRefusal(final Throwable failure) {
        if (!(failure instanceof LoomSerializationException)) {
            return false;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof OutOfMemoryError) {
                return false;
            }
        }
        return true;
    }

    private static final class Window implements Runnable {
        private final KryoCodec codec;
        private final byte[] bytes;
        private Object value;
        private Throwable failure;

        Window(final KryoCodec codec, final byte[] bytes) {
            this.codec = codec;
            this.bytes = bytes;
        }

        @Override
        public void run() {
            value = null;
            failure = null;
            try {
                value = codec.deserialize(bytes, Object.class);
            } catch (final Throwable thrown) {
                failure = thrown;
            }
        }
    }
}
