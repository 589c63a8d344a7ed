package io.loomcache.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameDecoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseDecoder;

/**
 * One pipelined connection to a server. Callers encode requests under the connection's lock straight into the
 * active one of two {@link SendBuffers} and register them in the {@link InFlightTable}; a writer thread swaps the
 * buffers and writes everything queued meanwhile with one write call, so many requests share a syscall. A reader
 * thread cuts the response stream with a {@link FrameDecoder} and hands frames to a {@link ResponseAdapter}, which
 * completes the futures by correlation id in whatever order answers come. A timer (the client's
 * {@link TimeoutSweeper}) fails requests past their deadline. Losing the connection fails every request in flight
 * with {@link LoomConnectionException}, except those a routing client may send elsewhere: requests kept for
 * re-sending whose frame was never handed to the writer go back to the {@link RequestRouter}. Reader and writer are
 * virtual threads; every other method is thread-safe.
 */
final class Connection {
    private static final long JOIN_TIMEOUT_MS = 2_000;

    private final String address;
    private final Endpoint endpoint;
    private final ByteChannel channel;
    private final ClientContext context;
    private final RetryPolicy retryPolicy;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sendable = lock.newCondition();
    private final Condition dataAvailable = lock.newCondition();
    private final InFlightTable inFlight;
    private final RequestProxy proxy;
    private final SendBuffers sendBuffers;
    private final List<PendingRequest<?>> expired = new ArrayList<>();
    private final AtomicLong droppedResponses = new AtomicLong();
    private volatile LoomConnectionException closeCause;
    private volatile boolean closed;
    private volatile ServerInfo serverInfo;
    private Thread reader;
    private Thread writer;

    private Connection(
        final ClientContext context, final String address, final Endpoint endpoint, final ByteChannel channel) {
        this.context = context;
        this.address = address;
        this.endpoint = endpoint;
        this.channel = channel;
        this.retryPolicy = new RetryPolicy(
            context.maxBusyRetries(), context.retryInitialBackoffMs(), context.retryMaxBackoffMs());
        this.inFlight = new InFlightTable(context.maxInFlightRequests());
        this.proxy = new RequestProxy(
            context.limits(), new UnsafeBuffer(context.clientName().getBytes(StandardCharsets.UTF_8)));
        this.sendBuffers = new SendBuffers(context.sendBufferLength());
    }

    /**
     * Connects a TCP socket to a node and performs the HELLO handshake.
     *
     * @param context the validated context.
     * @param endpoint the node, which also takes the requests this connection cannot deliver.
     * @return the open connection.
     * @throws LoomConnectionException when the connect or the handshake fails or times out.
     */
    static Connection open(final ClientContext context, final Endpoint endpoint) {
        final String address = endpoint.address();
        final InetSocketAddress node = endpoint.socketAddress();
        final SocketChannel socket;
        try {
            socket = SocketChannel.open();
        } catch (final IOException ex) {
            throw new LoomConnectionException("cannot connect to " + address + ": " + ex.getMessage(), ex);
        }
        try {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            socket.socket().connect(
                new InetSocketAddress(node.getHostString(), node.getPort()), (int)context.connectTimeoutMs());
        } catch (final IOException | UnresolvedAddressException ex) {
            closeQuietly(socket);
            final boolean unknownHost = ex instanceof UnresolvedAddressException || ex instanceof UnknownHostException;
            final String reason = unknownHost ? "unknown host" : ex.getMessage();
            throw new LoomConnectionException("cannot connect to " + address + ": " + reason, ex);
        }
        return establish(context, address, endpoint, socket);
    }

    /**
     * Starts the reader and writer over a connected channel and performs the HELLO handshake, for a connection that
     * belongs to no {@link Endpoint}: a redirect fails its request with NOT_LEADER.
     *
     * @param context the validated context.
     * @param address the peer's "host:port", for messages.
     * @param channel a connected, blocking channel; closed on failure.
     * @return the open connection.
     * @throws LoomConnectionException when the handshake fails or times out.
     */
    static Connection establish(final ClientContext context, final String address, final ByteChannel channel) {
        return establish(context, address, null, channel);
    }

    /**
     * Starts the reader and writer over a connected channel to a node and performs the HELLO handshake.
     *
     * @param context the validated context.
     * @param address the peer's "host:port", for messages.
     * @param endpoint the node, which also takes the requests this connection cannot deliver.
     * @param channel a connected, blocking channel; closed on failure.
     * @return the open connection.
     * @throws LoomConnectionException when the handshake fails or times out.
     */
    static Connection establish(
        final ClientContext context, final String address, final Endpoint endpoint, final ByteChannel channel) {
        final Connection connection = new Connection(context, address, endpoint, channel);
        connection.reader = Thread.ofVirtual().name("loomcache-reader " + address).start(connection::readLoop);
        connection.writer = Thread.ofVirtual().name("loomcache-writer " + address).start(connection::writeLoop);
        connection.handshake();
        return connection;
    }

    private void handshake() {
        final long timeoutMs = context.connectTimeoutMs();
        final PendingRequest<ServerInfo> hello = new PendingRequest<>(
            Opcodes.HELLO, new HelloMapper(address), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
        send(hello);
        final ServerInfo info;
        try {
            info = hello.future().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final TimeoutException ex) {
            throw closeWith(new LoomConnectionException(
                "no HELLO response from " + address + " within " + timeoutMs + " ms", ex));
        } catch (final ExecutionException ex) {
            final Throwable cause = ex.getCause();
            throw closeWith(cause instanceof final LoomConnectionException connectionException ? connectionException :
                new LoomConnectionException(
                    "server at " + address + " refused the handshake: " + cause.getMessage(), cause));
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw closeWith(new LoomConnectionException("interrupted while connecting to " + address, ex));
        }
        final ProtocolLimits limits = context.limits();
        lock.lock();
        try {
            proxy.negotiated(new ProtocolLimits(Math.min(limits.maxFrameLength(), info.maxFrameLength()),
                limits.maxKeyLength(), limits.maxValueLength()), info.protocolVersion());
        } finally {
            lock.unlock();
        }
        serverInfo = info;
    }

    /**
     * Queues a request: waits (until the request's deadline) for an in-flight slot and room in the send buffer,
     * encodes it and wakes the writer. Failures complete the request's future; nothing is thrown.
     *
     * @param request the request, not yet queued.
     */
    void send(final PendingRequest<?> request) {
        if (!trySend(request)) {
            request.fail(closeCause);
        }
    }

    /**
     * Queues a request like {@link #send(PendingRequest)}, unless the connection is closed (or closes while the
     * request waits for room): then the request is left untouched, never encoded, for the caller to send elsewhere.
     *
     * @param request the request, not yet queued.
     * @return false when the connection was closed before the request was queued; true when it was queued or failed.
     */
    boolean trySend(final PendingRequest<?> request) {
        final RuntimeException failure;
        lock.lock();
        try {
            failure = enqueue(request);
            if (failure != null && failure == closeCause) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            request.fail(failure);
        }
        return true;
    }

    private RuntimeException enqueue(final PendingRequest<?> request) {
        final int frameLength = proxy.frameLength(request);
        if (frameLength < 0) {
            return new LoomErrorException(-frameLength, null);
        }
        while (!closed && !(inFlight.hasFreeSlot() && sendBuffers.hasRoom(frameLength))) {
            final long remainingNs = request.deadlineNs() - System.nanoTime();
            if (remainingNs <= 0) {
                return new LoomTimeoutException("TIMEOUT: " + Opcodes.name(request.opcode()) + " not sent to " +
                    address + ": " + (inFlight.hasFreeSlot() ? "send buffer full" : "all " + inFlight.capacity() +
                    " in-flight slots taken") + " until the request timeout", false);
            }
            try {
                sendable.awaitNanos(remainingNs);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                return new LoomException("interrupted while waiting to send " + Opcodes.name(request.opcode()), ex);
            }
        }
        if (closed) {
            return closeCause;
        }
        final long correlationId = inFlight.register(request);
        final int offset = sendBuffers.activeLength();
        final int length = proxy.encode(request, correlationId, sendBuffers.active(), offset);
        sendBuffers.appended(length);
        if ((retryPolicy.enabled() || request.resendable()) && request.frameCopy() == null) {
            request.keepFrame(sendBuffers.active(), offset, length);
        }
        request.queuedInBatch(sendBuffers.batch());
        request.onSent(System.nanoTime());
        if (offset == 0) {
            dataAvailable.signal();
        }
        return null;
    }

    private void writeLoop() {
        try {
            while (true) {
                lock.lock();
                try {
                    while (sendBuffers.activeLength() == 0 && !closed) {
                        dataAvailable.await();
                    }
                    if (closed) {
                        return;
                    }
                    sendBuffers.swap();
                    if (lock.hasWaiters(sendable)) {
                        sendable.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
                final ByteBuffer bytes = sendBuffers.flushing();
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        } catch (final IOException | InterruptedException ex) {
            close(new LoomConnectionException("connection to " + address + " lost: " + ex.getMessage(), ex));
        }
    }

    private void readLoop() {
        final ByteBuffer bytes = ByteBuffer.allocateDirect(context.readBufferLength());
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        final FrameDecoder decoder = new FrameDecoder(context.limits(), new ResponseAdapter(this, context.limits()));
        try {
            while (!closed) {
                bytes.clear();
                final int read = channel.read(bytes);
                if (read < 0) {
                    close(new LoomConnectionException("connection to " + address + " closed by the server"));
                    return;
                }
                final int frames = decoder.onBytes(view, 0, read);
                if (frames < 0) {
                    close(new LoomConnectionException("protocol error from " + address + ": " +
                        ErrorCode.name(-frames) + ": " + ErrorCode.description(-frames), decoder.handlerException()));
                    return;
                }
            }
        } catch (final IOException ex) {
            close(new LoomConnectionException("connection to " + address + " lost: " + ex.getMessage(), ex));
        }
    }

    /**
     * Takes the request a response answers out of the table; called by the reader.
     *
     * @param correlationId the response's correlation id.
     * @return the request, or null when none is in flight under that id (it timed out): the response is dropped.
     */
    PendingRequest<?> takeInFlight(final long correlationId) {
        final PendingRequest<?> request;
        lock.lock();
        try {
            request = inFlight.remove(correlationId);
            if (request != null && lock.hasWaiters(sendable)) {
                sendable.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (request == null) {
            droppedResponses.incrementAndGet();
        }
        return request;
    }

    /**
     * Answers SERVER_BUSY: sends the request again after a backoff when the retry policy allows, else fails it.
     *
     * @param request the request the server refused.
     * @param retryAfterMs the server's hint.
     */
    void retryOrFail(final PendingRequest<?> request, final int retryAfterMs) {
        final long delayMs = request.frameCopy() == null ? RetryPolicy.NO_RETRY :
            retryPolicy.delayMs(request.attempts(), retryAfterMs, System.nanoTime(), request.deadlineNs());
        if (delayMs == RetryPolicy.NO_RETRY) {
            request.fail(new LoomServerBusyException(retryAfterMs));
            return;
        }
        Thread.ofVirtual().name("loomcache-retry " + address).start(() -> sendAfter(request, delayMs));
    }

    /**
     * Answers RESPONSE_REDIRECT: hands the request to the router, which follows the redirect or fails the request;
     * called by the reader, never blocks.
     *
     * @param request the request the node redirected.
     * @param response the decoded, valid redirect.
     */
    void redirected(final PendingRequest<?> request, final ResponseDecoder response) {
        if (endpoint == null) {
            request.fail(new LoomErrorException(ErrorCode.NOT_LEADER, "server at " + address +
                " redirects to node " + response.leaderNodeId() + " at '" + response.addressAsString() + "'"));
            return;
        }
        endpoint.router().onRedirect(endpoint, request, response.partitionTableVersion(), response.partitionId(),
            response.leaderNodeId(), response.addressAsString());
    }

    private void sendAfter(final PendingRequest<?> request, final long delayMs) {
        try {
            Thread.sleep(delayMs);
        } catch (final InterruptedException ex) {
            request.fail(new LoomException("interrupted while backing off from SERVER_BUSY", ex));
            return;
        }
        send(request);
    }

    /**
     * Fails every request whose deadline has passed; called by the client's timer thread only.
     *
     * @param nowNs the current {@link System#nanoTime()}.
     * @return the number of requests timed out.
     */
    int expire(final long nowNs) {
        final int count;
        lock.lock();
        try {
            count = inFlight.size() == 0 ? 0 : inFlight.removeExpired(nowNs, expired);
            if (count > 0 && lock.hasWaiters(sendable)) {
                sendable.signalAll();
            }
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < count; i++) {
            final PendingRequest<?> request = expired.get(i);
            request.fail(new LoomTimeoutException("TIMEOUT: no response to " + Opcodes.name(request.opcode()) +
                " from " + address + " within " + context.requestTimeoutMs() + " ms, outcome unknown", true));
        }
        expired.clear();
        if (count > 0 && endpoint != null && endpoint.router() != null) {
            // a node that lets requests time out may be paused or cut off while its peers elected another leader:
            // stop sending its partitions there, the next request finds the leader through a seed's redirect
            endpoint.router().onTimeout(endpoint);
        }
        return count;
    }

    /**
     * Closes the channel and fails every request in flight or waiting to be sent, but hands to the router those kept
     * for re-sending whose frame never reached the writer (they cannot have been applied); idempotent.
     *
     * @param cause the exception the requests fail with.
     */
    void close(final LoomConnectionException cause) {
        final List<PendingRequest<?>> failed = new ArrayList<>();
        final long unwrittenBatch;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closeCause = cause;
            closed = true;
            inFlight.removeAll(failed);
            unwrittenBatch = sendBuffers.batch();
            sendable.signalAll();
            dataAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        closeQuietly(channel);
        for (int i = 0; i < failed.size(); i++) {
            final PendingRequest<?> request = failed.get(i);
            if (endpoint != null && request.resendable() && request.queuedInBatch() == unwrittenBatch) {
                endpoint.router().resendUnwritten(endpoint, request);
            } else {
                request.fail(cause);
            }
        }
    }

    /**
     * Closes like {@link #close(LoomConnectionException)} and waits, bounded, for the reader and writer to end.
     *
     * @param cause the exception the requests fail with.
     */
    void closeAndJoin(final LoomConnectionException cause) {
        close(cause);
        join(reader);
        join(writer);
    }

    private static void join(final Thread thread) {
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(JOIN_TIMEOUT_MS);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private LoomConnectionException closeWith(final LoomConnectionException cause) {
        closeAndJoin(cause);
        return cause;
    }

    private static void closeQuietly(final Channel channel) {
        try {
            channel.close();
        } catch (final IOException ignored) {
            // Closing a channel that failed: nothing more can be done and the caller already reports the failure.
        }
    }

    /**
     * Tells whether this connection is closed.
     *
     * @return true once closed; requests sent to it fail at once.
     */
    boolean isClosed() {
        return closed;
    }

    /**
     * Why the connection closed.
     *
     * @return the exception its requests failed with, or null while open.
     */
    LoomConnectionException closeCause() {
        return closeCause;
    }

    /**
     * What the server said in HELLO_RESPONSE.
     *
     * @return the server info.
     */
    ServerInfo serverInfo() {
        return serverInfo;
    }

    /**
     * The number of requests in flight.
     *
     * @return 0..maxInFlightRequests.
     */
    int inFlightCount() {
        lock.lock();
        try {
            return inFlight.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of responses dropped because no request was in flight under their id (late answers).
     *
     * @return the count since the connection opened.
     */
    long droppedResponses() {
        return droppedResponses.get();
    }

    /**
     * The peer's address.
     *
     * @return "host:port".
     */
    String address() {
        return address;
    }
}
