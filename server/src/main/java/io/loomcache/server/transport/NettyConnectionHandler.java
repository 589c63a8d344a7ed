package io.loomcache.server.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

import io.loomcache.server.connection.ConnectionServices;
import io.loomcache.server.log.NodeLog.Component;

/**
 * The per-channel Netty handler: admits or refuses the connection on activation ({@link AcceptPolicy}), hands
 * reads to its {@link NettyConnection}, and forwards writability changes and closes. Event loop only.
 */
final class NettyConnectionHandler extends ChannelInboundHandlerAdapter {
    private final ConnectionServices services;
    private final AcceptPolicy acceptPolicy;
    private final Runnable onAdmitted;
    private final boolean resp;
    private NettyConnection connection;

    NettyConnectionHandler(
        final ConnectionServices services,
        final AcceptPolicy acceptPolicy,
        final Runnable onAdmitted,
        final boolean resp) {
        this.resp = resp;
        this.services = services;
        this.acceptPolicy = acceptPolicy;
        this.onAdmitted = onAdmitted;
    }

    @Override
    public void channelActive(final ChannelHandlerContext context) {
        final InetAddress address = ((InetSocketAddress)context.channel().remoteAddress()).getAddress();
        connection = acceptPolicy.accept(address,
            admitted -> new NettyConnection(context.channel(), admitted, services, resp),
            code -> refuse(context, code));
        if (connection != null) {
            onAdmitted.run();
        }
    }

    private void refuse(final ChannelHandlerContext context, final int errorCode) {
        context.channel().config().setAutoRead(false);
        context.writeAndFlush(Unpooled.wrappedBuffer(resp ? acceptPolicy.respRefusal(errorCode) :
            acceptPolicy.refusal(errorCode)))
            .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(final ChannelHandlerContext context, final Object message) {
        final ByteBuf in = (ByteBuf)message;
        try {
            if (connection != null) {
                connection.onRead(in);
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext context, final Object event) {
        if (event instanceof ChannelInputShutdownEvent && connection != null) {
            connection.startClosing("client closed its side");
        } else {
            context.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext context) {
        if (connection != null) {
            connection.onWritabilityChanged();
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext context) {
        if (connection != null) {
            connection.onInactive();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause) {
        if (connection != null) {
            connection.abort("channel failed: " + cause.getMessage());
        } else {
            services.context().log().error(Component.TRANSPORT, "netty channel", cause);
            context.close();
        }
    }
}
