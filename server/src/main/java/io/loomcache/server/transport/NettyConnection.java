package io.loomcache.server.transport;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agrona.concurrent.UnsafeBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionAdapter;
import io.loomcache.server.connection.ConnectionServices;
import io.loomcache.server.connection.InboundAdapter;
import io.loomcache.server.metrics.ServerMetrics;

/**
 * A connection on a Netty channel. Reads arrive on the channel's event loop and go, in place (no copy, no buffer of
 * the connection's own), to the same {@link ConnectionAdapter} as with NIO (on the Redis port, the {@code RespAdapter}
 * in front of one), which runs them inline on the loop when their executor is free; their answers are flushed at the
 * end of the same read. A wake-up from another thread schedules one flush task on the event loop (coalesced by a
 * flag). A flush drains the outbound ring straight into a pooled Netty buffer per write and flushes once, then gives
 * the ring back when nothing is in flight. While the channel is not writable the ring is left alone (it fills,
 * executors hold the connection's requests back, and if the client takes no byte for the write timeout, judged by the
 * bytes Netty has written, it is dropped as a slow consumer); auto-read is switched off while unsent responses pass
 * half the ring. An idle connection holds no buffer.
 */
final class NettyConnection extends Connection {
    private static final int MIN_WRITE_BUFFER_LENGTH = 256;
    private final Channel channel;
    private final InboundAdapter adapter;
    private final ConnectionServices services;
    private final ServerMetrics metrics;
    private final UnsafeBuffer readView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer writeView = new UnsafeBuffer(0, 0);
    private final int writeChunkLength;
    private final AtomicBoolean writeSignal = new AtomicBoolean();
    private final Runnable flushTask = this::onFlushTask;
    private boolean readPaused;
    private boolean reading;
    private boolean flushPending;
    private volatile long flushedBytes;

    NettyConnection(
        final Channel channel, final InetAddress remoteAddress, final ConnectionServices services, final boolean resp) {
        super(remoteAddress, services.buffers(), services.context().connectionSpillBytes(),
            services.context().cachedNanoClock());
        this.services = services;
        this.channel = channel;
        this.metrics = services.metrics();
        this.adapter = InboundAdapter.of(this, services, resp);
        this.writeChunkLength = services.buffers().ioBufferLength();
    }

    /**
     * Feeds received bytes to the adapter, in place; event loop.
     *
     * @param in the received buffer, released by the caller.
     */
    void onRead(final ByteBuf in) {
        metrics.socketRead();
        reading = true;
        try {
            readFrames(in);
        } finally {
            reading = false;
        }
        if (flushPending) {
            flushPending = false;
            onFlushTask();
        }
        if (state() != OPEN || adapter.isStopped() || shouldPauseReading()) {
            readPaused = true;
            channel.config().setAutoRead(false);
            onFlushTask();
        }
    }

    private void readFrames(final ByteBuf in) {
        while (in.isReadable() && state() == OPEN && !adapter.isStopped()) {
            final int length = in.readableBytes();
            if (in.hasMemoryAddress()) {
                // in place, without even a view object: Netty runs with Unsafe (jvm.args)
                readView.wrap(in.memoryAddress() + in.readerIndex(), length);
                in.skipBytes(length);
                adapter.onBytes(readView, 0, length, nowMs());
            } else if (in.nioBufferCount() == 1) {
                final ByteBuffer view = in.internalNioBuffer(in.readerIndex(), length);
                readView.wrap(view, view.position(), length);
                in.skipBytes(length);
                adapter.onBytes(readView, 0, length, nowMs());
            } else {
                final int chunk = Math.min(length, NioConnection.IDLE_READ_BUFFER_LENGTH);
                final byte[] copy = new byte[chunk];
                in.readBytes(copy);
                readView.wrap(copy);
                adapter.onBytes(readView, 0, chunk, nowMs());
            }
        }
    }

    /**
     * Called by the handler when the channel's writability changes; event loop.
     */
    void onWritabilityChanged() {
        if (channel.isWritable()) {
            onFlushTask();
        }
    }

    /**
     * Has the outbound ring written: at the end of the current read when called on the channel's own loop while it
     * reads (answers of requests run inline leave in the same pass, without a task), else by a flush task scheduled
     * on the loop, coalesced by a flag. Any thread.
     */
    @Override
    public void wakeWriter() {
        if (reading && channel.eventLoop().inEventLoop()) {
            flushPending = true;
            return;
        }
        if (!writeSignal.getAndSet(true)) {
            channel.eventLoop().execute(flushTask);
        }
    }

    private void onFlushTask() {
        writeSignal.set(false);
        boolean wrote = false;
        while (channel.isWritable()) {
            final ByteBuf out;
            final int queued = drainableBytes();
            if (queued > 0) {
                // as large as what waits (ring records are at least as long as their frames), so that a small
                // answer takes a small pooled buffer: Netty's allocator pools no 64 KiB buffer, it allocates one
                final int capacity = Math.min(writeChunkLength, Math.max(MIN_WRITE_BUFFER_LENGTH, queued));
                out = channel.alloc().directBuffer(capacity);
                if (out.hasMemoryAddress()) {
                    writeView.wrap(out.memoryAddress(), capacity);
                } else {
                    final ByteBuffer view = out.internalNioBuffer(0, capacity);
                    writeView.wrap(view, view.position(), capacity);
                }
                final int length = drainRing(writeView, 0, capacity);
                writeView.wrap(0, 0);
                if (length == 0) {
                    out.release();
                    break;
                }
                out.writerIndex(length);
            } else {
                final byte[] spilled = pollSpill();
                if (spilled == null) {
                    break;
                }
                out = Unpooled.wrappedBuffer(spilled);
            }
            flushedBytes += out.readableBytes();
            channel.write(out, channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
            metrics.socketWrite();
        }
        if (readPaused && state() == OPEN && !adapter.isStopped() && mayResumeReading()) {
            readPaused = false;
            channel.config().setAutoRead(true);
        }
        if (isDrained()) {
            // Close once what was flushed has been written: an io_uring write completes after flush() returns,
            // and closing before that would fail it and cut the last responses off.
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> closeTransport());
        } else if (isOutboundEmpty()) {
            releaseRingIfIdle();
        }
    }

    /**
     * The channel closed: gives the adapter's assembly memory and the connection's leases back, in a later task of
     * the event loop so that no hold of the current task is outstanding; event loop.
     */
    void onInactive() {
        abort("channel closed");
        adapter.release();
        channel.eventLoop().execute(this::retire);
    }

    @Override
    protected long bytesWritten() {
        return flushedBytes - transportPendingBytes();
    }

    @Override
    protected long transportPendingBytes() {
        final ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
        return pending == null ? 0 : pending.totalPendingWriteBytes();
    }

    @Override
    protected void onSlowConsumer(final String reason) {
        services.slowConsumerDropped(this, reason);
    }

    @Override
    protected void closeTransport() {
        channel.close();
        release();
    }
}
