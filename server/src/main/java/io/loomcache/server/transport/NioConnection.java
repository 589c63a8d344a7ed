package io.loomcache.server.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.server.ServerLog;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionAdapter;
import io.loomcache.server.connection.ConnectionClock;
import io.loomcache.server.connection.ConnectionServices;
import io.loomcache.server.metrics.ServerMetrics;

/**
 * A connection over a blocking {@link SocketChannel} served by two virtual threads: the reader reads into a direct
 * buffer and feeds the {@link ConnectionAdapter}; it pauses while the client's unsent responses pass half the
 * outbound ring (TCP then pushes back on the client). The writer parks until woken, then drains the outbound ring
 * into one direct buffer and writes it with one syscall (many responses per write), then the spill. Closing
 * waits for in-flight requests and pending bytes, then closes the channel, which ends the reader's blocked read.
 */
final class NioConnection extends Connection {
    private static final int READ_BUFFER_LENGTH = 64 * 1024;
    private static final long PAUSE_PARK_NS = 10_000_000L;
    private static final long CLOSING_PARK_NS = 1_000_000L;

    private final SocketChannel channel;
    private final ConnectionAdapter adapter;
    private final ServerMetrics metrics;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_LENGTH);
    private final UnsafeBuffer readView = new UnsafeBuffer(readBuffer);
    private final ByteBuffer writeBuffer;
    private final UnsafeBuffer writeView;
    private final AtomicBoolean writerParked = new AtomicBoolean();
    private final AtomicBoolean transportClosed = new AtomicBoolean();
    private volatile Thread reader;
    private volatile Thread writer;
    private volatile boolean readerPaused;

    NioConnection(
        final SocketChannel channel,
        final InetAddress remoteAddress,
        final ConnectionServices services) {
        super(remoteAddress, services.context().connectionBufferLength(), services.context().connectionSpillBytes());
        this.channel = channel;
        this.metrics = services.metrics();
        this.adapter = new ConnectionAdapter(this, services);
        final int writeLength = Math.max(64 * 1024, maxRingMessageLength());
        this.writeBuffer = ByteBuffer.allocateDirect(writeLength);
        this.writeView = new UnsafeBuffer(writeBuffer);
    }

    void start() {
        writer = Thread.ofVirtual().name("loomcache-writer-" + id()).start(this::writeLoop);
        reader = Thread.ofVirtual().name("loomcache-reader-" + id()).start(this::readLoop);
    }

    private void readLoop() {
        try {
            while (state() == OPEN) {
                if (shouldPauseReading()) {
                    pauseReading();
                    continue;
                }
                readBuffer.clear();
                final int read = channel.read(readBuffer);
                if (read < 0) {
                    startClosing("client closed its side");
                    break;
                }
                metrics.socketRead();
                if (adapter.onBytes(readView, 0, read, ConnectionClock.nowMs()) < 0 && adapter.isStopped()) {
                    break;
                }
            }
        } catch (final IOException ex) {
            abort("read failed: " + ex.getMessage());
        } catch (final Throwable ex) {
            ServerLog.error("nio reader", ex);
            abort("reader failed: " + ex);
        } finally {
            adapter.release();
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
                final int length = drainRing(writeView, 0, writeBuffer.capacity());
                if (length > 0) {
                    writeBuffer.clear().limit(length);
                    writeFully(writeBuffer);
                    resumeReader();
                    continue;
                }
                final byte[] spilled = pollSpill();
                if (spilled != null) {
                    writeFully(ByteBuffer.wrap(spilled));
                    continue;
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
            ServerLog.error("nio writer", ex);
            abort("writer failed: " + ex);
        }
    }

    /**
     * Parks until a producer wakes the writer. The flag is raised before the last look at the ring, and producers
     * look at the flag after committing (Dekker style, both volatile), so a response is never left unwritten; and
     * producers unpark only a writer that really parks, which keeps wake-ups (and the JDK scheduler's allocation
     * per virtual-thread unpark) rare.
     */
    private void park() {
        writerParked.set(true);
        if (!isOutboundEmpty() || state() == CLOSED) {
            writerParked.set(false);
            return;
        }
        LockSupport.parkNanos(this, state() == CLOSING ? CLOSING_PARK_NS : Long.MAX_VALUE);
        writerParked.set(false);
    }

    private void writeFully(final ByteBuffer buffer) throws IOException {
        writeStarted(ConnectionClock.nowMs());
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

    @Override
    public void wakeWriter() {
        if (writerParked.get() && writerParked.compareAndSet(true, false)) {
            final Thread thread = writer;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
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
            }
            final Thread readerThread = reader;
            if (readerThread != null) {
                LockSupport.unpark(readerThread);
            }
            release();
        }
    }
}
