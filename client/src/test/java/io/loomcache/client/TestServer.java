package io.loomcache.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.loomcache.protocol.FrameHeaderDescriptor;

/**
 * A protocol-speaking server for client tests: a ServerSocketChannel on 127.0.0.1:0, one virtual thread per
 * connection decoding frames with the protocol module and answering map requests from a HashMap. Behaviour knobs let
 * a test make it refuse HELLO, stay silent, answer SERVER_BUSY or an error, withhold answers to keys with a prefix
 * (released later on demand), reverse the order of answers in batches, or drop every connection.
 */
public final class TestServer implements AutoCloseable {
    /** How HELLO is answered. */
    public enum HelloMode {
        /** HELLO_RESPONSE with the negotiated version. */
        ACCEPT,
        /** RESPONSE_ERROR UNSUPPORTED_VERSION. */
        REFUSE,
        /** No answer at all. */
        SILENT,
        /** HELLO_RESPONSE with a version the client does not speak. */
        WRONG_VERSION
    }

    final Map<ByteBuffer, byte[]> data = new HashMap<>();
    final AtomicInteger busyAnswers = new AtomicInteger();
    final AtomicInteger hellosBeforeRefusing = new AtomicInteger(Integer.MAX_VALUE);
    final AtomicInteger errorAnswers = new AtomicInteger();
    final AtomicLong mapRequests = new AtomicLong();
    final AtomicLong pings = new AtomicLong();
    volatile HelloMode helloMode = HelloMode.ACCEPT;
    volatile int nodeId = 7;
    volatile int maxFrameLength = io.loomcache.protocol.ProtocolLimits.DEFAULT_MAX_FRAME_LENGTH;
    volatile int partitionCount = 271;
    volatile int busyRetryAfterMs;
    volatile int errorCode;
    volatile String errorMessage = "";
    volatile byte[] holdPrefix;
    volatile int reorderBatch = 1;
    volatile long lastTtlMs = -1;

    private final ServerSocketChannel server;
    private final List<ServerConnection> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private TestServer() throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        acceptor = Thread.ofVirtual().name("test-server-acceptor").start(this::acceptLoop);
    }

    public static TestServer start() throws IOException {
        return new TestServer();
    }

    private void acceptLoop() {
        try {
            while (true) {
                final SocketChannel channel = server.accept();
                connections.add(new ServerConnection(this, channel, connections.size()).start());
            }
        } catch (final IOException closed) {
            // The server socket was closed by close(): stop accepting.
        }
    }

    public int port() {
        return ((InetSocketAddress)server.socket().getLocalSocketAddress()).getPort();
    }

    public ClientContext context() {
        return new ClientContext().host("127.0.0.1").port(port()).requestTimeoutMs(5_000).connectTimeoutMs(5_000);
    }

    public TestServer helloMode(final HelloMode mode) {
        helloMode = mode;
        return this;
    }

    public TestServer refuseHellosAfter(final int accepted) {
        hellosBeforeRefusing.set(accepted);
        return this;
    }

    public TestServer answerBusy(final int count, final int retryAfterMs) {
        busyRetryAfterMs = retryAfterMs;
        busyAnswers.set(count);
        return this;
    }

    public TestServer answerError(final int count, final int code, final String message) {
        errorCode = code;
        errorMessage = message;
        errorAnswers.set(count);
        return this;
    }

    public TestServer holdKeysStartingWith(final String prefix) {
        holdPrefix = prefix == null ? null : prefix.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public TestServer reverseAnswersInBatchesOf(final int batch) {
        reorderBatch = batch;
        return this;
    }

    public TestServer maxFrameLength(final int length) {
        maxFrameLength = length;
        return this;
    }

    /** Sends every withheld answer now (late answers for requests that may have timed out). */
    public void releaseHeld() throws IOException {
        holdPrefix = null;
        for (final ServerConnection connection : connections) {
            connection.releaseHeld();
        }
    }

    /** Closes every accepted connection; the server keeps accepting. */
    public void dropConnections() {
        for (final ServerConnection connection : connections) {
            connection.close();
        }
    }

    /** Closes one accepted connection, by accept order. */
    public void dropConnection(final int index) {
        connections.get(index).close();
    }

    public int acceptedConnections() {
        return connections.size();
    }

    public int openConnections() {
        int count = 0;
        for (final ServerConnection connection : connections) {
            count += connection.isOpen() ? 1 : 0;
        }
        return count;
    }

    public List<Long> requestsPerConnection() {
        final List<Long> counts = new ArrayList<>();
        for (final ServerConnection connection : connections) {
            counts.add(connection.mapRequests());
        }
        return counts;
    }

    public int heldAnswers() {
        int count = 0;
        for (final ServerConnection connection : connections) {
            count += connection.heldCount();
        }
        return count;
    }

    public long mapRequests() {
        return mapRequests.get();
    }

    public long pings() {
        return pings.get();
    }

    public long lastTtlMs() {
        return lastTtlMs;
    }

    public byte[] stored(final String key) {
        synchronized (data) {
            return data.get(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)));
        }
    }

    static int protocolVersion() {
        return FrameHeaderDescriptor.PROTOCOL_VERSION;
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
        try {
            acceptor.join(2_000);
            for (final ServerConnection connection : connections) {
                connection.join();
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
