package io.loomcache.server.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionServices;
import io.loomcache.server.log.NodeLog.Component;

/**
 * The NIO transport: a platform acceptor thread on a blocking {@link ServerSocketChannel}, and per connection a
 * virtual reader and writer thread ({@link NioConnection}). Accepts are spaced by the accept throttle while the
 * node is between its watermarks; refused connections get one frame and are closed (see {@link AcceptPolicy}).
 */
public final class NioTransport implements Transport {
    private static final int BACKLOG = 1024;
    private static final long ACCEPT_ERROR_BACKOFF_NS = 10_000_000L;

    private final ConnectionServices services;
    private final AcceptPolicy acceptPolicy;
    private ServerSocketChannel serverChannel;
    private Thread acceptor;
    private volatile boolean accepting;
    private int boundPort = -1;
    private volatile String acceptorFailure;

    /**
     * Creates the transport; nothing is bound yet.
     *
     * @param services the node's services.
     */
    public NioTransport(final ConnectionServices services) {
        this.services = services;
        this.acceptPolicy = new AcceptPolicy(services);
    }

    @Override
    public void start() throws IOException {
        services.executors().start();
        serverChannel = ServerSocketChannel.open();
        serverChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        serverChannel.bind(new InetSocketAddress(services.context().bindAddress(), services.context().serverPort()),
            BACKLOG);
        boundPort = ((InetSocketAddress)serverChannel.getLocalAddress()).getPort();
        accepting = true;
        acceptor = Thread.ofPlatform().name("loomcache-acceptor").daemon().start(this::acceptLoop);
    }

    /**
     * Accepts until stopped. Nothing one connection does can end this loop: any {@link Throwable} while accepting or
     * setting up a connection (an OutOfMemoryError included) is counted and logged with its stack trace, the
     * channel is closed, and after an accept failure (descriptors exhausted, say) the loop backs off briefly instead
     * of spinning.
     */
    private void acceptLoop() {
        try {
            while (accepting) {
                SocketChannel channel = null;
                try {
                    channel = serverChannel.accept();
                    onAccepted(channel);
                } catch (final ClosedChannelException ex) {
                    if (!accepting) {
                        return;
                    }
                    throw ex;
                } catch (final Throwable ex) {
                    services.context().log().error(Component.TRANSPORT, "nio acceptor", ex);
                    if (channel == null) {
                        LockSupport.parkNanos(ACCEPT_ERROR_BACKOFF_NS);
                    } else {
                        closeQuietly(channel);
                    }
                }
                if (acceptPolicy.throttled()) {
                    throttle();
                }
            }
        } catch (final Throwable ex) {
            acceptorFailure = "acceptor stopped: " + ex;
            services.context().log().error(Component.TRANSPORT, "nio acceptor", ex);
        }
    }

    private void onAccepted(final SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        final InetAddress address = ((InetSocketAddress)channel.getRemoteAddress()).getAddress();
        final NioConnection connection = acceptPolicy.accept(
            address, admitted -> new NioConnection(channel, admitted, services), code -> refuse(channel, code));
        if (connection == null) {
            return;
        }
        try {
            connection.start();
        } catch (final Throwable ex) {
            connection.abort("could not start: " + ex);
            throw ex;
        }
    }

    private void refuse(final SocketChannel channel, final int errorCode) {
        try {
            final ByteBuffer frame = ByteBuffer.wrap(acceptPolicy.refusal(errorCode));
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
        } catch (final IOException ignored) {
            // The client left already; closing is all that is left to do.
        } finally {
            closeQuietly(channel);
        }
    }

    private void throttle() {
        try {
            Thread.sleep(services.context().acceptThrottleMs());
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(final SocketChannel channel) {
        try {
            channel.close();
        } catch (final IOException ignored) {
            // Nothing to release beyond the descriptor, which close frees even when it throws.
        }
    }

    @Override
    public int port() {
        return boundPort;
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public String failure() {
        final Thread thread = acceptor;
        if (accepting && thread != null && !thread.isAlive()) {
            return acceptorFailure != null ? acceptorFailure : "acceptor thread ended";
        }
        return null;
    }

    @Override
    public void stopAccepting() {
        accepting = false;
        if (serverChannel != null) {
            try {
                serverChannel.close();
            } catch (final IOException ex) {
                services.context().log().error(Component.TRANSPORT, "nio stop accepting", ex);
            }
        }
        if (acceptor != null) {
            try {
                acceptor.join(1000);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stopAccepting();
        for (int slot = 0, bound = services.registry().slotBound(); slot < bound; slot++) {
            final Connection connection = services.registry().at(slot);
            if (connection instanceof NioConnection) {
                connection.abort("node stopped");
            }
        }
    }
}
