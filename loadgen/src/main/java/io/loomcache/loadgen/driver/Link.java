package io.loomcache.loadgen.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;

import io.loomcache.loadgen.wire.ResponseListener;
import io.loomcache.loadgen.wire.WireCodec;
import io.loomcache.protocol.ErrorCode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One socket of a {@link Connection}: to the one server, or to one node of a cluster. Holds the channel, its
 * selection key (whose attachment it is), direct read and write buffers and the codec (a frame decoder is per
 * stream); requests are encoded straight into the write buffer, flushed with one write per batch, and responses are
 * handed to the owning connection with this link named. A cluster link that closed can be opened again
 * ({@link #reconnect}, non-blocking, with a fresh codec). Owned by its agent's thread; allocates nothing per request.
 */
final class Link implements ResponseListener {
    private final Connection owner;
    private final int node;
    private final InetSocketAddress address;
    private SocketChannel channel;
    private WireCodec codec;
    private final ByteBuffer in;
    private final UnsafeBuffer inBuffer;
    private final ByteBuffer out;
    private final UnsafeBuffer outBuffer;
    private final int maxRequestLength;
    private SelectionKey key;
    private int state = Connection.HANDSHAKING;
    private boolean writeInterest;
    private String failure;
    private long closedNs;

    Link(final Connection owner, final int node, final InetSocketAddress address, final SocketChannel channel,
        final WireCodec codec, final int readBufferLength, final int writeBufferLength) {
        this.owner = owner;
        this.node = node;
        this.address = address;
        this.channel = channel;
        this.codec = codec;
        this.in = ByteBuffer.allocateDirect(readBufferLength);
        this.inBuffer = new UnsafeBuffer(in);
        this.out = ByteBuffer.allocateDirect(writeBufferLength);
        this.outBuffer = new UnsafeBuffer(out);
        this.maxRequestLength = codec.maxRequestLength();
    }

    void register(final Selector selector) throws IOException {
        key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    /**
     * Opens the closed link again without blocking: a new socket (its handshake follows once connected, in
     * {@link #finishConnect}), empty buffers, a fresh codec.
     *
     * @param selector the agent's selector.
     * @param freshCodec the codec of the new stream.
     * @return true when the connect is under way or done (the link is handshaking, or already failed through its
     *     connection), false when it failed at once (closed, the connection not told).
     */
    boolean reconnect(final Selector selector, final WireCodec freshCodec) {
        codec = freshCodec;
        in.clear();
        out.clear();
        writeInterest = false;
        state = Connection.HANDSHAKING;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(address)) {
                key = channel.register(selector, SelectionKey.OP_READ, this);
                startHandshake();
                flush();
                return true;
            }
            key = channel.register(selector, SelectionKey.OP_CONNECT, this);
            return true;
        } catch (final IOException | UnresolvedAddressException ex) {
            close("cannot connect to " + address + ": " + ex.getMessage());
            return false;
        }
    }

    /**
     * Completes a connect {@link #reconnect} started, once the selector says it can, and sends the handshake.
     */
    void finishConnect() {
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (final IOException ex) {
            owner.linkFailed(this, "cannot connect to " + address + ": " + ex.getMessage());
            return;
        }
        key.interestOps(SelectionKey.OP_READ);
        startHandshake();
        flush();
    }

    /**
     * Writes the handshake into the write buffer, or becomes ready at once when the protocol has none.
     *
     * @return true when the link is ready at once.
     */
    boolean startHandshake() {
        final int length = codec.encodeHandshake(outBuffer, out.position(), Connection.HANDSHAKE_CORRELATION_ID);
        if (length == 0) {
            state = Connection.READY;
            return true;
        }
        out.position(out.position() + length);
        return false;
    }

    /**
     * Tells whether one more request fits in the write buffer.
     *
     * @return true when ready with room for the longest request.
     */
    boolean canWrite() {
        return state == Connection.READY && out.remaining() >= maxRequestLength;
    }

    /**
     * Encodes one request into the write buffer; check {@link #canWrite()} first.
     *
     * @param keyIndex the key number.
     * @param op the {@link io.loomcache.loadgen.workload.OpMix} operation.
     * @param valueLength the length of its value, for an operation that writes one.
     * @param correlationId the id the response will echo.
     */
    void write(final long keyIndex, final int op, final int valueLength, final long correlationId) {
        final int position = out.position();
        final int length = codec.encode(op, outBuffer, position, keyIndex, correlationId, valueLength);
        out.position(position + length);
    }

    /**
     * Writes as much of the write buffer as the socket takes, asking for OP_WRITE while bytes remain.
     *
     * @return false when the write failed (the link is then failed).
     */
    boolean flush() {
        if (state == Connection.CLOSED || out.position() == 0) {
            return true;
        }
        try {
            out.flip();
            channel.write(out);
            out.compact();
        } catch (final IOException ex) {
            owner.linkFailed(this, "write failed: " + ex.getMessage());
            return false;
        }
        final boolean pending = out.position() > 0;
        if (pending != writeInterest) {
            writeInterest = pending;
            key.interestOps(pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
        return true;
    }

    /**
     * Reads what the socket holds and hands every complete response to the connection, which records the time of
     * the read as their arrival.
     *
     * @return the bytes read, or -1 when the link failed.
     */
    int read() {
        final int bytes;
        try {
            bytes = channel.read(in);
        } catch (final IOException ex) {
            owner.linkFailed(this, "read failed: " + ex.getMessage());
            return -1;
        }
        if (bytes < 0) {
            owner.linkFailed(this, "closed by the server");
            return -1;
        }
        owner.readAt(System.nanoTime());
        final int filled = in.position();
        final int consumed = codec.onBytes(inBuffer, 0, filled, this);
        if (consumed < 0) {
            owner.undecodable(this, "undecodable response: " + ErrorCode.name(-consumed));
            return -1;
        }
        if (state == Connection.CLOSED) {
            return -1;
        }
        in.limit(filled).position(consumed);
        in.compact();
        return bytes;
    }

    @Override
    public void onResponse(final long correlationId, final int outcome, final int errorCode) {
        owner.onResponse(this, correlationId, outcome, errorCode);
    }

    @Override
    public void onRedirect(final long correlationId, final int partitionId, final int leaderNodeId,
        final DirectBuffer address, final int addressOffset, final int addressLength) {
        owner.onRedirect(this, correlationId, partitionId, leaderNodeId, address, addressOffset, addressLength);
    }

    /**
     * Closes the socket quietly and remembers why.
     *
     * @param reason one line for the report, or null for a plain close.
     */
    void close(final String reason) {
        if (state != Connection.CLOSED && reason != null) {
            failure = reason;
        }
        state = Connection.CLOSED;
        closedNs = System.nanoTime();
        if (key != null) {
            key.cancel();
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (final IOException ignored) {
            // Closing a socket we are done with: nothing to do about a failure here.
        }
    }

    void ready() {
        state = Connection.READY;
    }

    int state() {
        return state;
    }

    /**
     * When the link last closed.
     *
     * @return the {@link System#nanoTime()} of the close.
     */
    long closedNs() {
        return closedNs;
    }

    int node() {
        return node;
    }

    Connection owner() {
        return owner;
    }

    WireCodec codec() {
        return codec;
    }

    String failure() {
        return failure;
    }
}
