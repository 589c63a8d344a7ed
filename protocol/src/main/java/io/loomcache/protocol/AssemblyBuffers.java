package io.loomcache.protocol;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where a {@link FrameDecoder} gets the memory to assemble a frame that arrives split across reads and is larger
 * than its small base buffer. A node shares one implementation among all its connections so that the bytes of all
 * partial frames are bounded node-wide (a budget): {@link #acquire} answers null past the budget, and the decoder
 * then refuses that frame instead of growing. {@link #UNBOUNDED} allocates on the heap without a budget, and
 * {@link #retaining()} keeps the largest buffer for the next frame (clients, tools, tests: no budget, allocation-free
 * once warm). Shared implementations are thread-safe.
 */
public interface AssemblyBuffers {
    /** Allocates every request on the heap and keeps nothing: no budget. */
    AssemblyBuffers UNBOUNDED = new AssemblyBuffers() {
        @Override
        public UnsafeBuffer acquire(final int minCapacity) {
            return new UnsafeBuffer(new byte[minCapacity]);
        }

        @Override
        public void release(final UnsafeBuffer buffer) {
        }
    };

    /**
     * Buffers for one decoder only (not thread-safe): allocates on the heap without a budget and keeps the largest
     * buffer given back, handing it out again while it is large enough, so a steady stream of split frames
     * allocates nothing.
     *
     * @return a new instance for one decoder.
     */
    static AssemblyBuffers retaining() {
        return new AssemblyBuffers() {
            private UnsafeBuffer kept;

            @Override
            public UnsafeBuffer acquire(final int minCapacity) {
                final UnsafeBuffer buffer = kept;
                if (buffer != null && buffer.capacity() >= minCapacity) {
                    kept = null;
                    return buffer;
                }
                return new UnsafeBuffer(new byte[minCapacity]);
            }

            @Override
            public void release(final UnsafeBuffer buffer) {
                if (kept == null || kept.capacity() < buffer.capacity()) {
                    kept = buffer;
                }
            }
        };
    }

    /**
     * Takes a buffer of at least {@code minCapacity} bytes.
     *
     * @param minCapacity bytes needed, at most the node's maximum frame length.
     * @return the buffer (its contents undefined), or null when granting it would pass the budget.
     */
    UnsafeBuffer acquire(int minCapacity);

    /**
     * Gives back a buffer taken with {@link #acquire}; the caller must not use it afterwards.
     *
     * @param buffer the buffer.
     */
    void release(UnsafeBuffer buffer);
}
