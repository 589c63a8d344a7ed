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
import io.loomcache.server.config.ServerContext;
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
    private ServerSocketChannel respChannel;
    private Thread acceptor;
    private Thread respAcceptor;
    private volatile boolean accepting;
    private int boundPort = -1;
    private int respBoundPort = -1;
    private volatile String acceptorFailure;

    /**
     * Creates the transport; nothing is bound until {@link #start()}.
     *
     * @param services the node's shared services.
     */
    public NioTransport(final ConnectionServices services) {
        this.services = services;
        this.acceptPolicy = new AcceptPolicy(services);
    }

    @Override
    public void start() throws IOException {
        services.executors().start();
        serverChannel = bind(services.context().serverPort());
        boundPort = ((InetSocketAddress)serverChannel.getLocalAddress()).getPort();
        if (services.context().respPort() != ServerContext.RESP_OFF) {
            respChannel = bind(services.context().respPort());
            respBoundPort = ((InetSocketAddress)respChannel.getLocalAddress()).getPort();
        }
        accepting = true;
        final ServerSocketChannel binaryChannel = serverChannel;
        acceptor = Thread.ofPlatform().name("loomcache-acceptor").daemon()
            .start(() -> acceptLoop(binaryChannel, false));
        if (respChannel != null) {
            final ServerSocketChannel redisChannel = respChannel;
            respAcceptor = Thread.ofPlatform().name("loomcache-resp-acceptor").daemon()
                .start(() -> acceptLoop(redisChannel, true));
        }
    }

    private ServerSocketChannel bind(final int port) throws IOException {
        final ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(services.context().bindAddress(), port), BACKLOG);
            return channel;
        } catch (final IOException ex) {
            channel.close();
            if (serverChannel != null) {
                serverChannel.close();
            }
            throw new IOException("cannot bind " + services.context().bindAddress() + ":" + port + ": " +
                ex.getMessage(), ex);
        }
    }

    private void acceptLoop(final ServerSocketChannel listener, final boolean resp) {
        try {
            while (accepting) {
                SocketChannel channel = null;
                try {
                    channel = listener.accept();
                    onAccepted(channel, resp);
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

    private void onAccepted(final SocketChannel channel, final boolean resp) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        final InetAddress address = ((InetSocketAddress)channel.getRemoteAddress()).getAddress();
        final NioConnection connection = acceptPolicy.accept(
            address, admitted -> new NioConnection(channel, admitted, services, resp),
            code -> refuse(channel, resp ? acceptPolicy.respRefusal(code) : acceptPolicy.refusal(code)));
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

    private void refuse(final SocketChannel channel, final byte[] refusal) {
        try {
            final ByteBuffer frame = ByteBuffer.wrap(refusal);
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
    public int respPort() {
        return respBoundPort;
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public String failure() {
        final Thread thread = acceptor;
        final Thread redis = respAcceptor;
        if (accepting && (thread != null && !thread.isAlive() || redis != null && !redis.isAlive())) {
            return acceptorFailure != null ? acceptorFailure : "acceptor thread ended";
        }
        return null;
    }

    @Override
    public void stopAccepting() {
        accepting = false;
        for (final ServerSocketChannel channel : new ServerSocketChannel[] {serverChannel, respChannel}) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (final IOException ex) {
                    services.context().log().error(Component.TRANSPORT, "nio stop accepting", ex);
                }
            }
        }
        for (final Thread thread : new Thread[] {acceptor, respAcceptor}) {
            if (thread != null) {
                try {
                    thread.join(1000);
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
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
