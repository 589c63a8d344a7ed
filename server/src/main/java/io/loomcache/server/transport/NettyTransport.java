package io.loomcache.server.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import io.loomcache.server.config.ServerContext;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionServices;
import io.loomcache.server.executor.ExecutorGroup;
import io.loomcache.server.log.NodeLog;
import io.loomcache.server.log.NodeLog.Component;

/**
 * The Netty transport: io_uring when the kernel and native library allow it, else epoll, else NIO, with one log
 * line saying which runs and why. Thread-per-core: one acceptor event loop and one child loop per executor, which
 * hosts that executor's duty cycle ({@link ExecutorGroup#startOn}); a connection's requests run inline on its loop,
 * read, applied and answered in one pass, when their executor is free (else they cross its ring). Each channel gets a
 * {@link NettyConnectionHandler} over the same adapter, rings and executors as the NIO transport. Between the
 * watermarks, auto-read of the server channel is paused for the accept throttle after each accept.
 */
public final class NettyTransport implements Transport {
    private static final int BACKLOG = 1024;
    private static final int LOW_WRITE_MARK = 64 * 1024;
    private static final int HIGH_WRITE_MARK = 256 * 1024;

    private final ConnectionServices services;
    private final AcceptPolicy acceptPolicy;
    private String name = "netty";
    private EventLoopGroup acceptorGroup;
    private EventLoopGroup childGroup;
    private Channel serverChannel;
    private Channel respChannel;
    private int boundPort = -1;
    private int respBoundPort = -1;
    private volatile boolean stopped;

    /**
     * Creates the transport; nothing is bound yet.
     *
     * @param services the node's services.
     */
    public NettyTransport(final ConnectionServices services) {
        this.services = services;
        this.acceptPolicy = new AcceptPolicy(services);
    }

    @Override
    public void start() throws IOException {
        final IoHandlerFactory factory;
        final Class<? extends ServerChannel> serverClass;
        final NodeLog log = services.context().log();
        final String wanted = services.context().transport();
        if (wanted.equals("netty-io_uring") && !IoUring.isAvailable()) {
            throw new IOException("io_uring is unavailable: " + IoUring.unavailabilityCause());
        }
        if (wanted.equals("netty-epoll") && !Epoll.isAvailable()) {
            throw new IOException("epoll is unavailable: " + Epoll.unavailabilityCause());
        }
        if (IoUring.isAvailable() && !wanted.equals("netty-epoll")) {
            factory = IoUringIoHandler.newFactory();
            serverClass = IoUringServerSocketChannel.class;
            name = "netty-io_uring";
            log.info(Component.TRANSPORT, "netty transport: io_uring");
        } else if (Epoll.isAvailable()) {
            factory = EpollIoHandler.newFactory();
            serverClass = EpollServerSocketChannel.class;
            name = "netty-epoll";
            log.info(Component.TRANSPORT, "netty transport: epoll" + (wanted.equals("netty-epoll") ? "" :
                " (io_uring unavailable: " + IoUring.unavailabilityCause() + ")"));
        } else {
            factory = NioIoHandler.newFactory();
            serverClass = NioServerSocketChannel.class;
            name = "netty-nio";
            log.info(Component.TRANSPORT, "netty transport: nio (io_uring unavailable: " +
                IoUring.unavailabilityCause() + "; epoll unavailable: " + Epoll.unavailabilityCause() + ")");
        }
        acceptorGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("loomcache-acceptor", true),
            factory);
        final ExecutorGroup executors = services.executors();
        childGroup = new MultiThreadIoEventLoopGroup(executors.count(),
            new DefaultThreadFactory("loomcache-loop", true), factory);
        final List<EventLoop> loops = new ArrayList<>();
        for (final EventExecutor loop : childGroup) {
            loops.add((EventLoop)loop);
        }
        executors.startOn(loops);
        final ServerBootstrap bootstrap = bootstrap(serverClass, false);
        serverChannel = bind(bootstrap, services.context().serverPort());
        boundPort = ((InetSocketAddress)serverChannel.localAddress()).getPort();
        if (services.context().respPort() != ServerContext.RESP_OFF) {
            respChannel = bind(bootstrap(serverClass, true), services.context().respPort());
            respBoundPort = ((InetSocketAddress)respChannel.localAddress()).getPort();
        }
    }

    private ServerBootstrap bootstrap(final Class<? extends ServerChannel> serverClass, final boolean resp) {
        return new ServerBootstrap()
            .group(acceptorGroup, childGroup)
            .channel(serverClass)
            .option(ChannelOption.SO_BACKLOG, BACKLOG)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW_WRITE_MARK,
                HIGH_WRITE_MARK))
            .childHandler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(final Channel channel) {
                    channel.pipeline().addLast(new NettyConnectionHandler(services, acceptPolicy,
                        NettyTransport.this::afterAccept, resp));
                }
            });
    }

    private Channel bind(final ServerBootstrap bootstrap, final int port) throws IOException {
        try {
            return bootstrap.bind(new InetSocketAddress(services.context().bindAddress(), port)).sync().channel();
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", ex);
        } catch (final Exception ex) {
            // Netty rethrows the bind's native IOException undeclared from sync()
            close();
            throw new IOException("cannot bind " + services.context().bindAddress() + ":" + port + ": " +
                ex.getMessage(), ex);
        }
    }

    private void afterAccept() {
        final Channel server = serverChannel;
        final long throttleMs = services.context().acceptThrottleMs();
        if (server != null && throttleMs > 0 && acceptPolicy.throttled()) {
            server.config().setAutoRead(false);
            server.eventLoop().schedule(() -> {
                server.config().setAutoRead(true);
            }, throttleMs, TimeUnit.MILLISECONDS);
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
        return name;
    }

    @Override
    public String failure() {
        final Channel server = serverChannel;
        final Channel redis = respChannel;
        return !stopped && (server != null && !server.isOpen() || redis != null && !redis.isOpen()) ?
            "server channel closed" : null;
    }

    @Override
    public void stopAccepting() {
        stopped = true;
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (respChannel != null) {
            respChannel.close().syncUninterruptibly();
        }
    }

    @Override
    public void close() {
        stopAccepting();
        for (int slot = 0, bound = services.registry().slotBound(); slot < bound; slot++) {
            final Connection connection = services.registry().at(slot);
            if (connection instanceof NettyConnection) {
                connection.abort("node stopped");
            }
        }
        if (childGroup != null) {
            childGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (acceptorGroup != null) {
            acceptorGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
