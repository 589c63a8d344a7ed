package io.loomcache.server.connection;

import org.agrona.BitUtil;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.AssemblyBuffers;

/**
 * The node's budget for frames that arrive split across reads and are larger than a connection's base buffer:
 * every connection's {@link io.loomcache.protocol.FrameDecoder} takes its larger assembly buffers here, and the
 * bytes of all of them (in use plus pooled) never pass {@code budgetBytes}. Past the budget {@link #acquire}
 * answers null and the decoder refuses that frame (the connection answers SERVER_BUSY and skips its body), so a
 * flood of partial frames costs at most the budget, never the heap. Buffers are power-of-two sized, up to the
 * node's maximum frame length, and kept in small per-size pools so that a steady stream of large split frames
 * allocates nothing; pooled buffers are dropped first when the budget runs short. Thread-safe, lock-free.
 */
public final class FrameAssemblyPool extends BudgetedPool implements AssemblyBuffers {
    private static final int MIN_BUFFER_LENGTH = 4096;
    private static final int POOLED_PER_SIZE = 16;

    private final int maxBufferLength;
    private final int minShift;
    private final ManyToManyConcurrentArrayQueue<UnsafeBuffer>[] pools;

    /**
     * Creates a pool.
     *
     * @param budgetBytes the most bytes all assembly buffers of the node may hold, at least {@code maxFrameLength}.
     * @param maxFrameLength the node's largest frame, the largest buffer handed out.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public FrameAssemblyPool(final long budgetBytes, final int maxFrameLength) {
        super(budgetBytes);
        if (budgetBytes < maxFrameLength) {
            throw new IllegalArgumentException("budget " + budgetBytes + " < max frame length " + maxFrameLength);
        }
        this.maxBufferLength = maxFrameLength;
        this.minShift = Integer.numberOfTrailingZeros(MIN_BUFFER_LENGTH);
        final int classes = sizeClass(maxFrameLength) + 1;
        this.pools = new ManyToManyConcurrentArrayQueue[classes];
        for (int i = 0; i < classes; i++) {
            pools[i] = new ManyToManyConcurrentArrayQueue<>(POOLED_PER_SIZE);
        }
    }

    @Override
    public UnsafeBuffer acquire(final int minCapacity) {
        final int length = bufferLength(minCapacity);
        final int sizeClass = sizeClass(length);
        UnsafeBuffer buffer = pools[sizeClass].poll();
        if (buffer == null) {
            if (!reserve(length)) {
                return null;
            }
            buffer = new UnsafeBuffer(new byte[length]);
        }
        leased(buffer.capacity());
        return buffer;
    }

    @Override
    public void release(final UnsafeBuffer buffer) {
        final int length = buffer.capacity();
        returned(length, pools[sizeClass(length)].offer(buffer));
    }

    @Override
    boolean dropOnePooled() {
        for (int i = pools.length - 1; i >= 0; i--) {
            final UnsafeBuffer dropped = pools[i].poll();
            if (dropped != null) {
                releaseBytes(dropped.capacity());
                return true;
            }
        }
        return false;
    }

    private int bufferLength(final int minCapacity) {
        if (minCapacity <= MIN_BUFFER_LENGTH) {
            return MIN_BUFFER_LENGTH;
        }
        return minCapacity > maxBufferLength / 2 ? maxBufferLength :
            Math.min(BitUtil.findNextPositivePowerOfTwo(minCapacity), maxBufferLength);
    }

    private int sizeClass(final int length) {
        if (length <= MIN_BUFFER_LENGTH) {
            return 0;
        }
        return Math.max(0, (Integer.SIZE - Integer.numberOfLeadingZeros(length - 1)) - minShift);
    }
}
