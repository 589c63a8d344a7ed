package io.loomcache.server.transport;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agrona.concurrent.UnsafeBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionAdapter;
import io.loomcache.server.connection.ConnectionClock;
import io.loomcache.server.connection.ConnectionServices;
import io.loomcache.server.metrics.ServerMetrics;

/**
 * A connection on a Netty channel. Reads arrive on the channel's event loop and go to the same
 * {@link ConnectionAdapter} as with NIO; a wake-up schedules one flush task on the event loop (coalesced by a
 * flag), which drains the outbound ring into one buffer per write and flushes once. While the channel is not
 * writable the ring is left alone (it fills, then responses spill, then the slow-consumer deadline drops the
 * connection); auto-read is switched off while unsent responses pass half the ring.
 */
final class NettyConnection extends Connection {
    private static final int READ_CHUNK_LENGTH = 64 * 1024;

    private final Channel channel;
    private final ConnectionAdapter adapter;
    private final ServerMetrics metrics;
    private final UnsafeBuffer readView = new UnsafeBuffer(new byte[READ_CHUNK_LENGTH]);
    private final ByteBuffer writeBuffer;
    private final UnsafeBuffer writeView;
    private final AtomicBoolean writeSignal = new AtomicBoolean();
    private final Runnable flushTask = this::onFlushTask;
    private boolean readPaused;

    NettyConnection(final Channel channel, final InetAddress remoteAddress, final ConnectionServices services) {
        super(remoteAddress, services.context().connectionBufferLength(), services.context().connectionSpillBytes());
        this.channel = channel;
        this.metrics = services.metrics();
        this.adapter = new ConnectionAdapter(this, services);
        this.writeBuffer = ByteBuffer.allocateDirect(Math.max(64 * 1024, maxRingMessageLength()));
        this.writeView = new UnsafeBuffer(writeBuffer);
    }

    /**
     * Feeds received bytes to the adapter; event loop.
     *
     * @param in the received buffer, released by the caller.
     */
    void onRead(final ByteBuf in) {
        metrics.socketRead();
        while (in.isReadable() && state() == OPEN && !adapter.isStopped()) {
            final int length = Math.min(in.readableBytes(), READ_CHUNK_LENGTH);
            in.readBytes(readView.byteArray(), 0, length);
            adapter.onBytes(readView, 0, length, ConnectionClock.nowMs());
        }
        if (state() != OPEN || adapter.isStopped() || shouldPauseReading()) {
            readPaused = true;
            channel.config().setAutoRead(false);
            onFlushTask();
        }
    }

    /**
     * Called by the handler when the channel's writability changes; event loop.
     */
    void onWritabilityChanged() {
        markWriteBlocked();
        if (channel.isWritable()) {
            onFlushTask();
        }
    }

    private void markWriteBlocked() {
        if (channel.isWritable() || isOutboundEmpty()) {
            writeStarted(0);
        } else if (writeStartedMs() == 0) {
            writeStarted(ConnectionClock.nowMs());
        }
    }

    @Override
    public void wakeWriter() {
        if (!writeSignal.getAndSet(true)) {
            channel.eventLoop().execute(flushTask);
        }
    }

    private void onFlushTask() {
        writeSignal.set(false);
        boolean wrote = false;
        while (channel.isWritable()) {
            final int length = drainRing(writeView, 0, writeBuffer.capacity());
            final ByteBuf out;
            if (length > 0) {
                out = channel.alloc().directBuffer(length);
                writeBuffer.limit(length).position(0);
                out.writeBytes(writeBuffer);
                writeBuffer.clear();
            } else {
                final byte[] spilled = pollSpill();
                if (spilled == null) {
                    break;
                }
                out = Unpooled.wrappedBuffer(spilled);
            }
            channel.write(out, channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
            metrics.socketWrite();
        }
        markWriteBlocked();
        if (readPaused && state() == OPEN && !adapter.isStopped() && mayResumeReading()) {
            readPaused = false;
            channel.config().setAutoRead(true);
        }
        if (isDrained()) {
            closeTransport();
        }
    }

    /**
     * The channel closed: gives the adapter's assembly memory back; event loop.
     */
    void onInactive() {
        abort("channel closed");
        adapter.release();
    }

    @Override
    protected void closeTransport() {
        channel.close();
        release();
    }
}
