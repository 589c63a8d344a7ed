package io.loomcache.server.connection;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The node's memory for connections that are doing something: outbound rings (one per connection with requests in
 * flight or responses unsent) and I/O buffers (a transport's write buffer while it writes, a read buffer while
 * bytes stream in), all direct, leased on demand and given back when the connection goes idle, so that an idle
 * connection holds none of it. Everything leased plus everything pooled stays within {@code budgetBytes}: past it,
 * {@link #acquireRing()} and {@link #acquireIoBuffer()} answer null and the caller degrades (requests answered
 * SERVER_BUSY, smaller reads) instead of the node running out of direct memory. Thread-safe, lock-free.
 */
public final class ConnectionBuffers extends BudgetedPool {
    /** Smallest length of the pooled I/O buffers. */
    public static final int MIN_IO_BUFFER_LENGTH = 64 * 1024;

    private final int ringLength;
    private final int ioBufferLength;
    private final ManyToManyConcurrentArrayQueue<ManyToOneRingBuffer> rings;
    private final ManyToManyConcurrentArrayQueue<ByteBuffer> ioBuffers;
    private final AtomicLong readLeasedBytes = new AtomicLong();

    /**
     * Creates the pools; nothing is allocated until leased.
     *
     * @param ringLength outbound ring capacity per connection, a power of two.
     * @param budgetBytes the most bytes rings and I/O buffers may hold in all.
     */
    public ConnectionBuffers(final int ringLength, final long budgetBytes) {
        super(budgetBytes);
        this.ringLength = ringLength;
        this.ioBufferLength = Math.max(MIN_IO_BUFFER_LENGTH, ringLength / 8);
        this.rings = new ManyToManyConcurrentArrayQueue<>(poolCapacity(budgetBytes, ringBytes(ringLength)));
        this.ioBuffers = new ManyToManyConcurrentArrayQueue<>(poolCapacity(budgetBytes, ioBufferLength));
    }

    private static int poolCapacity(final long budgetBytes, final int itemBytes) {
        return (int)Math.max(2, Math.min(1 << 20, budgetBytes / itemBytes));
    }

    private static int ringBytes(final int ringLength) {
        return ringLength + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * Leases an empty outbound ring (every ring given back is empty: see {@link #releaseRing}).
     *
     * @return the ring, or null when the budget is spent.
     */
    public ManyToOneRingBuffer acquireRing() {
        ManyToOneRingBuffer ring = rings.poll();
        if (ring == null) {
            if (!reserve(ringBytes(ringLength))) {
                return null;
            }
            ring = new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(ringBytes(ringLength))));
        }
        leased(ringBytes(ringLength));
        return ring;
    }

    /**
     * Gives back an empty ring no thread writes to any more.
     *
     * @param ring the ring.
     * @throws IllegalStateException when the ring still holds messages (a bug: they would reach another client).
     */
    public void releaseRing(final ManyToOneRingBuffer ring) {
        if (ring.size() != 0) {
            throw new IllegalStateException("a ring given back still holds " + ring.size() + " bytes");
        }
        returned(ringBytes(ringLength), rings.offer(ring));
    }

    /**
     * Writes off a ring that may still be written to (its connection closed with requests in flight): it is left
     * to the garbage collector and its bytes return to the budget.
     */
    public void forgetRing() {
        returned(ringBytes(ringLength), false);
    }

    /**
     * Leases a direct I/O buffer of {@link #ioBufferLength()} bytes, cleared.
     *
     * @return the buffer, or null when the budget is spent.
     */
    public ByteBuffer acquireIoBuffer() {
        ByteBuffer buffer = ioBuffers.poll();
        if (buffer == null) {
            if (!reserve(ioBufferLength)) {
                return null;
            }
            buffer = ByteBuffer.allocateDirect(ioBufferLength);
        }
        leased(ioBufferLength);
        return buffer.clear();
    }

    /**
     * Leases an I/O buffer for reading, within a quarter of the budget: a read may block on it, so read buffers
     * must never keep rings from being leased.
     *
     * @return the buffer, or null when read buffers hold their share already or the budget is spent.
     */
    public ByteBuffer acquireReadBuffer() {
        final long leased = readLeasedBytes.addAndGet(ioBufferLength);
        if (leased > budgetBytes() / 4) {
            readLeasedBytes.addAndGet(-ioBufferLength);
            return null;
        }
        final ByteBuffer buffer = acquireIoBuffer();
        if (buffer == null) {
            readLeasedBytes.addAndGet(-ioBufferLength);
        }
        return buffer;
    }

    /**
     * Gives back a buffer leased with {@link #acquireReadBuffer()}.
     *
     * @param buffer the buffer.
     */
    public void releaseReadBuffer(final ByteBuffer buffer) {
        readLeasedBytes.addAndGet(-ioBufferLength);
        releaseIoBuffer(buffer);
    }

    /**
     * Gives back an I/O buffer.
     *
     * @param buffer the buffer.
     */
    public void releaseIoBuffer(final ByteBuffer buffer) {
        returned(ioBufferLength, ioBuffers.offer(buffer));
    }

    @Override
    boolean dropOnePooled() {
        final ByteBuffer io = ioBuffers.poll();
        if (io != null) {
            releaseBytes(ioBufferLength);
            return true;
        }
        final ManyToOneRingBuffer ring = rings.poll();
        if (ring != null) {
            releaseBytes(ringBytes(ringLength));
            return true;
        }
        return false;
    }

    /**
     * Length of the pooled I/O buffers: at least {@link #MIN_IO_BUFFER_LENGTH}, and at least the ring's largest
     * message, so a writer can always drain one.
     *
     * @return bytes.
     */
    public int ioBufferLength() {
        return ioBufferLength;
    }

    /**
     * Outbound ring capacity.
     *
     * @return bytes, a power of two.
     */
    public int ringLength() {
        return ringLength;
    }

    /**
     * The largest frame a ring holds (Agrona's limit: an eighth of its capacity); longer responses spill.
     *
     * @return bytes.
     */
    public int maxRingMessageLength() {
        return ringLength / 8;
    }
}
