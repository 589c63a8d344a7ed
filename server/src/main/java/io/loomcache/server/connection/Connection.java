package io.loomcache.server.connection;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import io.loomcache.server.resp.RespReplies;

/**
 * One client connection, independent of the transport. Responses from any thread (executors, the reader) go into
 * the connection's outbound {@link ManyToOneRingBuffer}; a response that does not fit (larger than the ring's
 * largest message, or the ring is full because the client reads slowly) is copied to a heap spill queue, bounded
 * by the spill limit past which the connection is dropped as a slow consumer. The transport's writer drains both
 * and writes many responses per syscall.
 * <p>
 * The ring is leased from the node's {@link ConnectionBuffers} only while the connection is busy, so an idle
 * connection holds none: the reader takes one ({@link #ensureRing()}) before it dispatches a request, and the
 * writer gives it back once nothing is in flight and nothing is unsent ({@link #releaseRingIfIdle()}). Who may
 * write to the ring is settled by a hold count: the reader (per chunk of bytes) and the conductor take a hold
 * around their deliveries; executors write only for requests in flight, which they count down after writing; the
 * writer returns the ring only after locking the hold count at zero with nothing in flight. When the connection
 * ends the writer retires the hold count for good ({@link #retire()}): a ring that may still be written to by a late
 * executor is left to the garbage collector rather than pooled.
 * <p>
 * Lifecycle: OPEN, then CLOSING (no more requests read; the writer sends what is pending, waits for in-flight
 * requests, then closes), then CLOSED. Deadlines are checked by the conductor through the volatile timestamps.
 * Thread-safe as documented per method.
 */
public abstract class Connection {
    /** State: reading requests and writing responses. */
    public static final int OPEN = 0;
    /** State: no more requests; pending responses are being flushed. */
    public static final int CLOSING = 1;
    /** State: the transport is closed. */
    public static final int CLOSED = 2;
    /** Ring message type of an encoded response frame. */
    public static final int MSG_TYPE_RESPONSE = 1;

    /** {@link #offer}: the frame is queued for the writer. */
    public static final int OFFER_QUEUED = 0;
    /** {@link #offer}: the connection is closed; nothing was queued. */
    public static final int OFFER_CLOSED = 1;
    /** {@link #offer}: the frame would pass the spill limit; nothing was queued and the connection is still open. */
    public static final int OFFER_OVER_LIMIT = 2;

    private static final int HOLD_LOCKED = -1;
    private static final int HOLD_RETIRED = -2;

    private final InetAddress remoteAddress;
    private final ConnectionBuffers buffers;
    private final NanoClock clock;
    private final AtomicReference<ManyToOneRingBuffer> outbound = new AtomicReference<>();
    private final AtomicInteger holds = new AtomicInteger();
    private final int backlogBytes;
    private final int pauseReadBytes;
    private final int resumeReadBytes;
    private final long spillLimitBytes;
    private final ConcurrentLinkedQueue<byte[]> spill = new ConcurrentLinkedQueue<>();
    private final AtomicLong spillBytes = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger state = new AtomicInteger(OPEN);
    private final AtomicBoolean released = new AtomicBoolean();
    private final DrainHandler drainHandler = new DrainHandler();
    private RespReplies replies;
    private RespDrainHandler respDrainHandler;
    private UnsafeBuffer spillView;
    private volatile long id = -1;
    private volatile long closingSinceMs;
    private volatile long partialFrameSinceMs;
    private volatile long writeStartedMs;
    private long progressBytes = -1;
    private long progressSinceMs;
    private volatile String closeReason;
    private Runnable onRelease;

    /**
     * Creates the connection state; allocates no buffer.
     *
     * @param remoteAddress the client's IP.
     * @param buffers the node's connection memory, where the outbound ring is leased.
     * @param spillLimitBytes unsent bytes allowed past the ring.
     * @param clock the clock of the connection's deadlines: the node's cached clock, which the conductor updates.
     */
    protected Connection(
        final InetAddress remoteAddress,
        final ConnectionBuffers buffers,
        final long spillLimitBytes,
        final NanoClock clock) {
        this.remoteAddress = remoteAddress;
        this.buffers = buffers;
        this.clock = clock;
        this.backlogBytes = buffers.ringLength();
        this.pauseReadBytes = buffers.ringLength() / 2;
        this.resumeReadBytes = buffers.ringLength() / 4;
        this.spillLimitBytes = spillLimitBytes;
    }

    /**
     * Creates the connection state with buffers of its own (tests, tools).
     *
     * @param remoteAddress the client's IP.
     * @param ringLength outbound ring capacity, a power of two.
     * @param spillLimitBytes unsent bytes allowed past the ring; deadlines read the system clock.
     */
    protected Connection(final InetAddress remoteAddress, final int ringLength, final long spillLimitBytes) {
        this(remoteAddress, new ConnectionBuffers(ringLength, 4L * (ringLength + RingBufferDescriptor.TRAILER_LENGTH)),
            spillLimitBytes, SystemNanoClock.INSTANCE);
    }

    /**
     * Makes this a Redis connection: what reaches the outbound queue is rendered as Redis replies, in command order,
     * by {@code replies} when the writer drains it; set before the connection is published.
     *
     * @param replies the connection's renderer.
     */
    public void renderWith(final RespReplies replies) {
        this.replies = replies;
        this.respDrainHandler = new RespDrainHandler();
        this.spillView = new UnsafeBuffer(0, 0);
    }

    /**
     * Takes a hold on the outbound ring so the writer cannot return it meanwhile; the reader (per chunk) and the
     * conductor, around their deliveries. Pair with {@link #unhold()}.
     *
     * @return false once the connection is retired (nothing may be delivered), true when held.
     */
    public boolean hold() {
        while (true) {
            final int current = holds.get();
            if (current == HOLD_RETIRED) {
                return false;
            }
            if (current >= 0 && holds.compareAndSet(current, current + 1)) {
                return true;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Ends a hold taken with {@link #hold()}.
     */
    public void unhold() {
        holds.decrementAndGet();
    }

    /**
     * Makes sure the connection has an outbound ring before a request is dispatched; the caller holds.
     *
     * @return true when a ring is leased, false when the node's connection memory is spent.
     */
    public boolean ensureRing() {
        if (outbound.get() != null) {
            return true;
        }
        final ManyToOneRingBuffer leased = buffers.acquireRing();
        if (leased == null) {
            return false;
        }
        if (!outbound.compareAndSet(null, leased)) {
            buffers.releaseRing(leased);
        }
        return true;
    }

    /**
     * Gives the ring back when nothing is in flight, nothing is unsent and nobody holds; the writer, before it
     * idles.
     *
     * @return true when the ring went back to the pool.
     */
    public boolean releaseRingIfIdle() {
        final ManyToOneRingBuffer ring = outbound.get();
        if (ring == null || inFlight.get() > 0 || ring.size() != 0 || !holds.compareAndSet(0, HOLD_LOCKED)) {
            return false;
        }
        try {
            if (inFlight.get() == 0 && ring.size() == 0 && outbound.compareAndSet(ring, null)) {
                buffers.releaseRing(ring);
                return true;
            }
            return false;
        } finally {
            holds.set(0);
        }
    }

    /**
     * Ends the connection's use of node memory, once its transport is closed: waits out any hold, forbids new
     * ones, and returns the ring to the pool when nothing can still write to it (else leaves it to the garbage
     * collector). The writer (NIO) or the event loop (Netty); idempotent.
     */
    protected void retire() {
        while (true) {
            final int current = holds.get();
            if (current == HOLD_RETIRED) {
                return;
            }
            if (current == 0 && holds.compareAndSet(0, HOLD_RETIRED)) {
                break;
            }
            // a virtual thread must give its carrier up while the holder (maybe another virtual thread) finishes
            Thread.yield();
        }
        final ManyToOneRingBuffer ring = outbound.getAndSet(null);
        if (ring != null) {
            // Pool only a ring nothing can write to any more and nothing is left in: unsent responses of this
            // connection must never reach the next connection that leases it.
            if (inFlight.get() <= 0 && ring.size() == 0) {
                buffers.releaseRing(ring);
            } else {
                buffers.forgetRing();
            }
        }
        spill.clear();
        spillBytes.set(0);
    }

    /**
     * Whether the ring holds nothing to write (or none is leased).
     *
     * @return true when the ring is empty.
     */
    public boolean isRingEmpty() {
        final ManyToOneRingBuffer ring = outbound.get();
        return ring == null || ring.size() == 0;
    }

    /**
     * Bytes waiting in the outbound ring, record headers and padding included (so at least the frames' length);
     * any thread.
     *
     * @return bytes, 0 when none is leased.
     */
    public int ringBytes() {
        final ManyToOneRingBuffer ring = outbound.get();
        return ring == null ? 0 : ring.size();
    }

    /**
     * Whether an outbound ring is leased now.
     *
     * @return true while busy.
     */
    public boolean hasRing() {
        return outbound.get() != null;
    }

    /**
     * Wakes the writer after responses were added; any thread.
     */
    public abstract void wakeWriter();

    /**
     * Closes the socket at once; any thread; idempotent. Implementations call {@link #release()} when done.
     */
    protected abstract void closeTransport();

    /**
     * The registry id (slot and generation); executors look the connection up by it.
     *
     * @return the id, -1 before registration.
     */
    public long id() {
        return id;
    }

    void assignId(final long id) {
        this.id = id;
    }

    /**
     * Sets what runs once when the connection is released (registry slot, per-IP count).
     *
     * @param onRelease the action; set before the connection is published.
     */
    public void onRelease(final Runnable onRelease) {
        this.onRelease = onRelease;
    }

    /**
     * The client's IP.
     *
     * @return the address.
     */
    public InetAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * Adds an encoded response frame for the writer; any thread; allocation-free unless it spills. Does not wake
     * the writer: call {@link #wakeWriter()} after a batch.
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return true when queued, false when the connection is closed or was just dropped as a slow consumer.
     */
    public boolean deliver(final DirectBuffer buffer, final int offset, final int length) {
        final int result = offer(buffer, offset, length);
        if (result == OFFER_OVER_LIMIT) {
            dropSlowConsumer(spillLimitReason());
        }
        return result == OFFER_QUEUED;
    }

    /**
     * Adds an encoded frame for the writer as {@link #deliver} does, but past the spill limit leaves the connection
     * open and says so: a thread that holds locks (a publisher delivering to its subscribers) drops the connection
     * ({@link #dropSlowConsumer}, with {@link #spillLimitReason()}) once it has let them go. Any thread.
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return {@link #OFFER_QUEUED}, {@link #OFFER_CLOSED} or {@link #OFFER_OVER_LIMIT}.
     */
    public int offer(final DirectBuffer buffer, final int offset, final int length) {
        if (state.get() == CLOSED) {
            return OFFER_CLOSED;
        }
        final ManyToOneRingBuffer ring = outbound.get();
        if (ring != null && spillBytes.get() == 0 && length <= ring.maxMsgLength() &&
            ring.write(MSG_TYPE_RESPONSE, buffer, offset, length)) {
            return OFFER_QUEUED;
        }
        if (spillBytes.get() + length > spillLimitBytes) {
            return OFFER_OVER_LIMIT;
        }
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        spillBytes.addAndGet(length);
        spill.offer(copy);
        return OFFER_QUEUED;
    }

    /**
     * Why a connection whose frame {@link #offer} refused is dropped.
     *
     * @return the reason, for the log.
     */
    public String spillLimitReason() {
        return "more than " + spillLimitBytes + " unsent response bytes";
    }

    /**
     * Counts a request handed to an executor; reader thread.
     */
    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    /**
     * Counts a request answered (or dropped); any thread.
     */
    public void requestFinished() {
        inFlight.decrementAndGet();
    }

    /**
     * Requests handed to executors and not yet answered.
     *
     * @return the count.
     */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Unsent response bytes: the ring's occupancy, the spill and what the transport holds unwritten; any thread.
     *
     * @return bytes.
     */
    public long pendingOutboundBytes() {
        return queuedOutboundBytes() + transportPendingBytes();
    }

    /**
     * Response bytes the transport took from the ring but has not written to the socket yet (Netty's outbound
     * buffer); any thread.
     *
     * @return bytes, 0 by default.
     */
    protected long transportPendingBytes() {
        return 0;
    }

    /**
     * Whether the client has more unsent responses than a whole outbound ring: executors then hold this connection's
     * requests back until the writer catches up, so a client that asks faster than it reads makes its requests wait
     * instead of piling responses into node memory. Any thread.
     *
     * @return true above the ring's capacity.
     */
    public boolean isBacklogged() {
        return pendingOutboundBytes() > backlogBytes;
    }

    /**
     * Whether the reader should stop reading until the writer catches up: the connection's own queue (ring and
     * spill) is past half the ring. Bytes the transport already took (Netty's outbound buffer) are bounded by the
     * transport's own high-water mark and are not counted here: no event would wake a paused reader when they drain.
     *
     * @return true above half the ring.
     */
    public boolean shouldPauseReading() {
        return queuedOutboundBytes() > pauseReadBytes;
    }

    /**
     * Whether a paused reader may read again.
     *
     * @return true below a quarter of the ring.
     */
    public boolean mayResumeReading() {
        return queuedOutboundBytes() < resumeReadBytes;
    }

    private long queuedOutboundBytes() {
        final ManyToOneRingBuffer ring = outbound.get();
        return (ring == null ? 0 : ring.size()) + spillBytes.get();
    }

    /**
     * Copies whole ring messages into {@code out} from {@code offset} until the next would not fit or the ring holds
     * no more committed messages; writer thread. One ring read stops at the end of the ring's buffer, and after a
     * wrap it may consume nothing but the padding record there, so the ring is read again while its head moves:
     * returning {@code offset} therefore means the ring is empty (or its head message is still being written by a
     * producer, which wakes the writer after committing it), never that messages wait behind padding.
     *
     * @param out the write buffer.
     * @param offset where to start.
     * @param capacity the end of usable space in {@code out}.
     * @return the new end of data in {@code out}.
     */
    public int drainRing(final MutableDirectBuffer out, final int offset, final int capacity) {
        if (replies != null) {
            return drainReplies(out, offset, capacity);
        }
        final ManyToOneRingBuffer ring = outbound.get();
        if (ring == null) {
            return offset;
        }
        drainHandler.reset(out, offset, capacity);
        long headBefore;
        do {
            headBefore = ring.consumerPosition();
            ring.controlledRead(drainHandler);
        } while (!drainHandler.full && ring.consumerPosition() != headBefore);
        return drainHandler.position;
    }

    /**
     * A Redis connection's drain: rendered replies first, then frames from the ring (or, once it is empty, the
     * spill) rendered until {@code out} can be filled.
     */
    private int drainReplies(final MutableDirectBuffer out, final int offset, final int capacity) {
        int position = replies.copyPending(out, offset, capacity);
        while (position < capacity && state.get() != CLOSED) {
            final ManyToOneRingBuffer ring = outbound.get();
            respDrainHandler.want = capacity - position;
            respDrainHandler.failed = false;
            final long headBefore = ring == null ? 0 : ring.consumerPosition();
            final int read = ring == null ? 0 : ring.controlledRead(respDrainHandler);
            if (respDrainHandler.failed) {
                dropSlowConsumer("more than " + spillLimitBytes + " bytes of replies waiting for earlier ones");
                return position;
            }
            if (read == 0 && (ring == null || ring.consumerPosition() == headBefore)) {
                // the ring is empty (or its head is still being written: its producer wakes the writer)
                final byte[] spilled = ring == null || ring.size() == 0 ? spill.poll() : null;
                if (spilled == null) {
                    break;
                }
                spillBytes.addAndGet(-spilled.length);
                spillView.wrap(spilled);
                if (!replies.onFrame(spillView, 0, spilled.length)) {
                    dropSlowConsumer("more than " + spillLimitBytes + " bytes of replies waiting for earlier ones");
                    return position;
                }
            }
            position = replies.copyPending(out, position, capacity);
        }
        return position;
    }

    /**
     * Takes the oldest spilled frame; writer thread. A Redis connection's spill is drained by {@link #drainRing}.
     *
     * @return the frame, or null when none.
     */
    public byte[] pollSpill() {
        if (replies != null) {
            return null;
        }
        final byte[] frame = spill.poll();
        if (frame != null) {
            spillBytes.addAndGet(-frame.length);
        }
        return frame;
    }

    /**
     * The largest frame the ring holds; longer ones spill.
     *
     * @return bytes.
     */
    public int maxRingMessageLength() {
        return buffers.maxRingMessageLength();
    }

    /**
     * The node's connection memory this connection leases from.
     *
     * @return the pools.
     */
    public ConnectionBuffers buffers() {
        return buffers;
    }

    /**
     * Whether nothing is left to write.
     *
     * @return true when ring and spill are empty.
     */
    public boolean isOutboundEmpty() {
        return isRingEmpty() && spillBytes.get() == 0 && (replies == null || replies.pendingBytes() == 0);
    }

    /**
     * Bytes {@link #drainRing} can give now: the ring's occupancy, and for a Redis connection also its rendered and
     * spilled bytes; any thread.
     *
     * @return bytes.
     */
    public int drainableBytes() {
        final int ring = ringBytes();
        if (replies == null) {
            return ring;
        }
        return (int)Math.min(Integer.MAX_VALUE, ring + (long)replies.pendingBytes() + spillBytes.get());
    }

    /**
     * The state: {@link #OPEN}, {@link #CLOSING} or {@link #CLOSED}.
     *
     * @return the state.
     */
    public int state() {
        return state.get();
    }

    /**
     * The time of the connection's deadlines (slowloris, slow consumer, drain): monotonic, never the epoch clock
     * that TTLs use, so an epoch test clock or a wall-clock step cannot fire them. Any thread.
     *
     * @return ms since an arbitrary origin.
     */
    protected long nowMs() {
        return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime());
    }

    /**
     * Stops reading requests; the writer flushes, waits for in-flight requests, then closes. Any thread.
     *
     * @param reason logged once.
     */
    public void startClosing(final String reason) {
        if (state.compareAndSet(OPEN, CLOSING)) {
            closeReason = reason;
            closingSinceMs = nowMs();
            wakeWriter();
        }
    }

    /**
     * Whether the writer may close now.
     *
     * @return true when closing and nothing is pending or in flight.
     */
    public boolean isDrained() {
        return state.get() == CLOSING && inFlight.get() <= 0 && isOutboundEmpty();
    }

    /**
     * Drops the connection as a slow consumer (a client that does not read its responses): counted and logged by
     * {@link #onSlowConsumer}, then closed at once. Any thread; only the first drop of a connection counts.
     *
     * @param reason what showed it, for the log.
     */
    public void dropSlowConsumer(final String reason) {
        if (state.get() != CLOSED) {
            onSlowConsumer(reason);
            abort("slow consumer: " + reason);
        }
    }

    /**
     * Told once when the connection is dropped as a slow consumer, before it closes; counts and logs it.
     *
     * @param reason what showed it.
     */
    protected void onSlowConsumer(final String reason) {
    }

    /**
     * Closes at once, dropping pending responses. Any thread; idempotent.
     *
     * @param reason why.
     */
    public void abort(final String reason) {
        if (state.getAndSet(CLOSED) != CLOSED) {
            if (closeReason == null) {
                closeReason = reason;
            }
            closeTransport();
        }
    }

    /**
     * Forgets a connection that was never registered or started (the node refused it after creating it): marks it
     * closed so nothing is delivered to it. The caller closes the socket. Acceptor thread.
     */
    public void discard() {
        state.set(CLOSED);
    }

    /**
     * Marks the transport closed and runs the release action once; called by the transport after closing.
     */
    protected void release() {
        state.set(CLOSED);
        if (released.compareAndSet(false, true) && onRelease != null) {
            onRelease.run();
        }
    }

    /**
     * Why the connection closes or closed.
     *
     * @return the reason, or null while open.
     */
    public String closeReason() {
        return closeReason;
    }

    /**
     * Since when the connection has been closing.
     *
     * @return monotonic ms, meaningful in CLOSING.
     */
    public long closingSinceMs() {
        return closingSinceMs;
    }

    /**
     * Since when an incomplete frame has been waiting for its rest.
     *
     * @return monotonic ms, 0 when none.
     */
    public long partialFrameSinceMs() {
        return partialFrameSinceMs;
    }

    /**
     * Records the partial-frame state after a read; reader thread.
     *
     * @param hasPartial whether bytes of an incomplete frame are buffered.
     * @param framesDelivered frames the read completed.
     * @param nowMs monotonic ms.
     */
    public void onReadProgress(final boolean hasPartial, final int framesDelivered, final long nowMs) {
        if (hasPartial) {
            if (framesDelivered > 0 || partialFrameSinceMs == 0) {
                partialFrameSinceMs = nowMs;
            }
        } else if (partialFrameSinceMs != 0) {
            partialFrameSinceMs = 0;
        }
    }

    /**
     * Since when the client has taken none of its unsent response bytes, for the write deadline; conductor thread
     * only. A transport that counts {@link #bytesWritten()} is judged by progress (unsent bytes and no byte written
     * since the last look); one that does not (NIO) by how long its current write call has been blocked.
     *
     * @param nowMs monotonic ms.
     * @return monotonic ms since when no progress was made, 0 when the connection is not stalled.
     */
    public long stalledSinceMs(final long nowMs) {
        final long written = bytesWritten();
        if (written < 0) {
            return writeStartedMs;
        }
        if (pendingOutboundBytes() == 0 || written != progressBytes) {
            progressBytes = written;
            progressSinceMs = nowMs;
            return 0;
        }
        return progressSinceMs;
    }

    /**
     * Response bytes the transport has handed to the socket since the connection opened; any thread.
     *
     * @return bytes, or -1 when the transport reports blocked writes through {@link #writeStarted} instead.
     */
    protected long bytesWritten() {
        return -1;
    }

    /**
     * Since when a write to the socket has been blocked.
     *
     * @return monotonic ms, 0 when no write is blocked.
     */
    public long writeStartedMs() {
        return writeStartedMs;
    }

    /**
     * Marks the start (nowMs) or end (0) of a write that may block; writer thread.
     *
     * @param nowMs monotonic ms or 0.
     */
    protected void writeStarted(final long nowMs) {
        writeStartedMs = nowMs;
    }

    private final class RespDrainHandler implements ControlledMessageHandler {
        private int want;
        private boolean failed;

        @Override
        public Action onMessage(
            final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length) {
            if (!replies.onFrame(buffer, index, length)) {
                failed = true;
                return Action.BREAK;
            }
            return replies.pendingBytes() >= want ? Action.BREAK : Action.CONTINUE;
        }
    }

    private static final class DrainHandler implements ControlledMessageHandler {
        private MutableDirectBuffer out;
        private int position;
        private int capacity;
        private boolean full;

        void reset(final MutableDirectBuffer out, final int offset, final int capacity) {
            this.out = out;
            this.position = offset;
            this.capacity = capacity;
            this.full = false;
        }

        @Override
        public Action onMessage(
            final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length) {
            if (position + length > capacity) {
                full = true;
                return Action.ABORT;
            }
            out.putBytes(position, buffer, index, length);
            position += length;
            return Action.CONTINUE;
        }
    }
}
