package io.loomcache.server.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionAdapter;
import io.loomcache.server.connection.ConnectionBuffers;
import io.loomcache.server.connection.ConnectionServices;
import io.loomcache.server.connection.InboundAdapter;
import io.loomcache.server.log.NodeLog.Component;
import io.loomcache.server.metrics.ServerMetrics;

/**
 * A connection over a blocking {@link SocketChannel} served by two virtual threads. The reader blocks on a small read
 * buffer of its own (all an idle connection keeps); when a read fills it, bytes are streaming in, and the next read,
 * when the socket already has bytes waiting ({@code available()}, so that read does not block), uses a 64 KiB buffer
 * leased from {@link ConnectionBuffers} and gives it back at once (read buffers may take a quarter of the connection
 * memory at most, so they never keep rings from being leased). It feeds the {@link ConnectionAdapter} (on the Redis
 * port, the {@code RespAdapter} in front of one) and pauses while the client's unsent responses pass half the outbound
 * ring (TCP then pushes back on the client). The writer parks until woken, then drains the outbound ring into a leased
 * write buffer and writes it with one syscall (many responses per write), then the spill; before parking again it
 * gives the write buffer and, when nothing is in flight, the ring back. Closing waits for in-flight requests and
 * pending bytes, then closes the channel, which ends the reader's blocked read; the writer retires the connection's
 * leases.
 */
final class NioConnection extends Connection {
    /** Bytes of the read buffer an idle connection keeps. */
    static final int IDLE_READ_BUFFER_LENGTH = 2048;
    private static final long PAUSE_PARK_NS = 10_000_000L;
    private static final long CLOSING_PARK_NS = 1_000_000L;

    private final SocketChannel channel;
    private final InboundAdapter adapter;
    private final ConnectionServices services;
    private final ServerMetrics metrics;
    private final ConnectionBuffers buffers;
    private final ByteBuffer idleReadBuffer = ByteBuffer.allocateDirect(IDLE_READ_BUFFER_LENGTH);
    private final UnsafeBuffer readView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer writeView = new UnsafeBuffer(0, 0);
    private final AtomicBoolean writerParked = new AtomicBoolean();
    private final AtomicBoolean transportClosed = new AtomicBoolean();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final UnsafeBuffer inlineView = new UnsafeBuffer(idleReadBuffer);
    private final InputStream socketInput;
    private ByteBuffer leasedReadBuffer;
    private ByteBuffer writeBuffer;
    private volatile Thread reader;
    private volatile Thread writer;
    private volatile boolean readerPaused;
    private boolean reading;
    private boolean flushPending;

    NioConnection(
        final SocketChannel channel,
        final InetAddress remoteAddress,
        final ConnectionServices services,
        final boolean resp) throws IOException {
        super(remoteAddress, services.buffers(), services.context().connectionSpillBytes(),
            services.context().cachedNanoClock());
        this.services = services;
        this.channel = channel;
        this.metrics = services.metrics();
        this.buffers = services.buffers();
        this.adapter = InboundAdapter.of(this, services, resp);
        this.socketInput = channel.socket().getInputStream();
    }

    void start() {
        writer = Thread.ofVirtual().name("loomcache-writer-" + id()).start(this::writeLoop);
        reader = Thread.ofVirtual().name("loomcache-reader-" + id()).start(this::readLoop);
    }

    private void readLoop() {
        try {
            while (state() == OPEN) {
                if (shouldPauseReading()) {
                    releaseReadBuffer();
                    pauseReading();
                    continue;
                }
                final ByteBuffer readBuffer = leasedReadBuffer != null ? leasedReadBuffer : idleReadBuffer;
                readBuffer.clear();
                final int read = channel.read(readBuffer);
                if (read < 0) {
                    startClosing("client closed its side");
                    break;
                }
                metrics.socketRead();
                readView.wrap(readBuffer, 0, read);
                reading = true;
                final int frames;
                try {
                    frames = adapter.onBytes(readView, 0, read, nowMs());
                } finally {
                    reading = false;
                }
                if (flushPending) {
                    flushPending = false;
                    flushInline();
                }
                if (frames < 0 && adapter.isStopped()) {
                    break;
                }
                releaseReadBuffer();
                if (read == readBuffer.capacity() && socketInput.available() > 0) {
                    leasedReadBuffer = buffers.acquireReadBuffer();
                }
            }
        } catch (final IOException ex) {
            abort("read failed: " + ex.getMessage());
        } catch (final Throwable ex) {
            services.context().log().error(Component.CONNECTION, "nio reader", ex);
            abort("reader failed: " + ex);
        } finally {
            releaseReadBuffer();
            adapter.release();
        }
    }

    private void releaseReadBuffer() {
        if (leasedReadBuffer != null) {
            buffers.releaseReadBuffer(leasedReadBuffer);
            leasedReadBuffer = null;
        }
    }

    private void pauseReading() {
        readerPaused = true;
        wakeWriter();
        while (state() == OPEN && !mayResumeReading()) {
            LockSupport.parkNanos(this, PAUSE_PARK_NS);
        }
        readerPaused = false;
    }

    private void writeLoop() {
        try {
            while (state() != CLOSED) {
                if (!writing.compareAndSet(false, true)) {
                    // the reader writes answers of its own read; it wakes this thread if more are left
                    writerParked.set(true);
                    if (writing.get()) {
                        LockSupport.parkNanos(this, CLOSING_PARK_NS);
                    }
                    writerParked.set(false);
                    continue;
                }
                try {
                    if (!writeOnce()) {
                        continue;
                    }
                } finally {
                    writing.set(false);
                }
                resumeReader();
                if (isDrained()) {
                    closeTransport();
                    break;
                }
                park();
            }
        } catch (final IOException ex) {
            abort("write failed: " + ex.getMessage());
        } catch (final Throwable ex) {
            services.context().log().error(Component.CONNECTION, "nio writer", ex);
            abort("writer failed: " + ex);
        } finally {
            releaseWriteBuffer();
            retire();
        }
    }

    /**
     * Writes what the ring (then the spill) holds, one buffer's worth; writer thread, holding the write lock.
     *
     * @return true when nothing was left to write, false after a write (look again).
     */
    private boolean writeOnce() throws IOException {
        if (!isOutboundEmpty() && writeBuffer == null) {
            leaseWriteBuffer();
        }
        final int length = writeBuffer == null ? 0 : drainRing(writeView, 0, writeBuffer.capacity());
        if (length > 0) {
            writeBuffer.clear().limit(length);
            writeFully(writeBuffer);
            resumeReader();
            return false;
        }
        final byte[] spilled = pollSpill();
        if (spilled != null) {
            writeFully(ByteBuffer.wrap(spilled));
            return false;
        }
        return true;
    }

    /**
     * Writes the answers of the read just handled on the reader thread, through the idle read buffer (its bytes
     * are consumed), so a request is read, applied and answered without waking the writer: one virtual thread
     * and no hand-off per request. Leaves to the writer what does not fit that buffer, the spill, and the
     * ring while the writer holds the write lock. Reader thread.
     */
    private void flushInline() throws IOException {
        if (!writing.compareAndSet(false, true)) {
            wakeWriter();
            return;
        }
        try {
            while (true) {
                final int length = drainRing(inlineView, 0, IDLE_READ_BUFFER_LENGTH);
                if (length == 0) {
                    break;
                }
                idleReadBuffer.clear().limit(length);
                writeFully(idleReadBuffer);
            }
        } finally {
            writing.set(false);
        }
        if (!isOutboundEmpty() || state() != OPEN) {
            wakeWriter();
        } else {
            releaseRingIfIdle();
        }
    }

    /**
     * Leases a 64 KiB direct write buffer; when the node's connection memory is spent, a heap buffer the size of
     * the ring's largest message stands in (the JDK copies it per write; slower, never stuck).
     */
    private void leaseWriteBuffer() {
        final ByteBuffer leased = buffers.acquireIoBuffer();
        writeBuffer = leased != null ? leased : ByteBuffer.allocate(Math.max(4096, maxRingMessageLength()));
        writeView.wrap(writeBuffer);
    }

    private void releaseWriteBuffer() {
        final ByteBuffer buffer = writeBuffer;
        if (buffer != null) {
            writeBuffer = null;
            writeView.wrap(0, 0);
            if (buffer.isDirect()) {
                buffers.releaseIoBuffer(buffer);
            }
        }
    }

    /**
     * Gives the write buffer (and the ring, when idle) back, then parks until a producer wakes the writer. The flag
     * is raised before the last look at the ring and at the in-flight count, and producers look at the flag after
     * committing and counting down (Dekker style, all volatile), so a response is never left unwritten and an idle
     * connection never keeps its ring; and producers unpark only a writer that really parks,
     * which keeps wake-ups (and the JDK scheduler's allocation per virtual-thread unpark) rare.
     */
    private void park() {
        releaseWriteBuffer();
        releaseRingIfIdle();
        writerParked.set(true);
        if (!isOutboundEmpty() || state() == CLOSED) {
            writerParked.set(false);
            return;
        }
        if (hasRing() && inFlight() <= 0) {
            // the reader holds the ring for a moment (or an executor just finished): retry after giving the
            // carrier up, never spin on it
            writerParked.set(false);
            Thread.yield();
            return;
        }
        if (state() == CLOSING) {
            LockSupport.parkNanos(this, CLOSING_PARK_NS);
        } else {
            // untimed: a timed park of a virtual thread schedules a timer task (an allocation per park)
            LockSupport.park(this);
        }
        writerParked.set(false);
    }

    private void writeFully(final ByteBuffer buffer) throws IOException {
        writeStarted(nowMs());
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
                metrics.socketWrite();
            }
        } finally {
            writeStarted(0);
        }
    }

    private void resumeReader() {
        final Thread thread = reader;
        if (readerPaused && thread != null && mayResumeReading()) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Has the outbound ring written: by the reader itself at the end of its read when called on the reader while it
     * reads (answers of requests run inline), else by unparking the writer if it parks. Any thread.
     */
    @Override
    public void wakeWriter() {
        if (reading && Thread.currentThread() == reader) {
            flushPending = true;
            return;
        }
        if (writerParked.get() && writerParked.compareAndSet(true, false)) {
            final Thread thread = writer;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
    }

    @Override
    protected void onSlowConsumer(final String reason) {
        services.slowConsumerDropped(this, reason);
    }

    @Override
    protected void closeTransport() {
        if (transportClosed.compareAndSet(false, true)) {
            try {
                channel.close();
            } catch (final IOException ignored) {
                // The socket is gone either way; nothing else to release.
            }
            final Thread thread = writer;
            if (thread != null) {
                LockSupport.unpark(thread);
            } else {
                retire();
            }
            final Thread readerThread = reader;
            if (readerThread != null) {
                LockSupport.unpark(readerThread);
            }
            release();
        }
    }
}
