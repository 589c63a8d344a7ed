package io.loomcache.protocol.fake;

import java.io.IOException;
import java.io.UncheckedIOException;
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

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.loomcache.protocol.ProtocolLimits;

/**
 * A protocol-speaking fake server for client and load generator tests: a ServerSocketChannel on 127.0.0.1:0, one
 * virtual thread per connection decoding frames with the protocol module and answering map requests from a HashMap.
 * Knobs let a test make it refuse HELLO, stay silent, answer SERVER_BUSY or an error (the next n map requests, or
 * every n-th counted from the first), withhold answers to keys with a prefix (released later on demand), reverse the
 * order of answers (in batches, or those of each read), or drop every connection. Knobs may be set at any time.
 * Use it as a JUnit 5 extension ({@code @RegisterExtension final FakeLoomServer server = new FakeLoomServer();}) or
 * in try-with-resources.
 */
public class FakeLoomServer implements AutoCloseable, AfterEachCallback {
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
    volatile int maxFrameLength = ProtocolLimits.DEFAULT_MAX_FRAME_LENGTH;
    volatile int partitionCount = 271;
    volatile int busyRetryAfterMs;
    volatile int busyEvery;
    volatile int errorCode;
    volatile byte[] errorMessage;
    volatile int errorEvery;
    volatile byte[] holdPrefix;
    volatile int reorderBatch = 1;
    volatile boolean reverseEachRead;
    volatile long lastTtlMs = -1;

    private final ServerSocketChannel server;
    private final List<FakeConnection> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /**
     * Binds 127.0.0.1 on an ephemeral port and starts accepting; as a {@code @RegisterExtension} field it is closed
     * after each test, passed or failed.
     *
     * @throws UncheckedIOException if the port cannot be bound.
     */
    @SuppressWarnings("this-escape") // the acceptor starts last and reads only this class's fields, set by then
    public FakeLoomServer() {
        try {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
        acceptor = Thread.ofVirtual().name("fake-server-acceptor").start(this::acceptLoop);
    }

    private void acceptLoop() {
        try {
            while (true) {
                final SocketChannel channel = server.accept();
                connections.add(new FakeConnection(this, channel, connections.size()).start());
            }
        } catch (final IOException closed) {
            // The server socket was closed by close(): stop accepting.
        }
    }

    /** @return the port it listens on (127.0.0.1). */
    public int port() {
        return ((InetSocketAddress)server.socket().getLocalSocketAddress()).getPort();
    }

    /**
     * @param mode how the next HELLOs are answered.
     * @return this.
     */
    public FakeLoomServer helloMode(final HelloMode mode) {
        helloMode = mode;
        return this;
    }

    /**
     * @param accepted how many HELLOs to accept before refusing every later one.
     * @return this.
     */
    public FakeLoomServer refuseHellosAfter(final int accepted) {
        hellosBeforeRefusing.set(accepted);
        return this;
    }

    /**
     * @param count        how many of the next map requests to answer SERVER_BUSY.
     * @param retryAfterMs the retry hint of those answers, ms.
     * @return this.
     */
    public FakeLoomServer answerBusy(final int count, final int retryAfterMs) {
        busyRetryAfterMs = retryAfterMs;
        busyAnswers.set(count);
        return this;
    }

    /**
     * @param every answer SERVER_BUSY (retry after 1 ms) to the n-th map request when n % every == 0, counting all
     *              connections from the first request; 0 turns it off.
     * @return this.
     */
    public FakeLoomServer answerBusyEvery(final int every) {
        busyRetryAfterMs = 1;
        busyEvery = every;
        return this;
    }

    /**
     * @param count   how many of the next map requests (not shed as busy) to answer RESPONSE_ERROR.
     * @param code    the error code.
     * @param message the error message.
     * @return this.
     */
    public FakeLoomServer answerError(final int count, final int code, final String message) {
        errorCode = code;
        errorMessage = message.getBytes(StandardCharsets.UTF_8);
        errorAnswers.set(count);
        return this;
    }

    /**
     * @param every answer RESPONSE_ERROR with {@code code} and its standard description to the n-th map request
     *              (not shed as busy) when n % every == 0, counted as for {@link #answerBusyEvery}; 0 turns it off.
     * @param code  the error code.
     * @return this.
     */
    public FakeLoomServer answerErrorEvery(final int every, final int code) {
        errorCode = code;
        errorMessage = null;
        errorEvery = every;
        return this;
    }

    /**
     * @param prefix withhold the answers to map requests whose key starts with it until {@link #releaseHeld()}; null
     *               for none.
     * @return this.
     */
    public FakeLoomServer holdKeysStartingWith(final String prefix) {
        holdPrefix = prefix == null ? null : prefix.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /**
     * @param batch send answers in reverse order, {@code batch} at a time (waiting for a batch to fill).
     * @return this.
     */
    public FakeLoomServer reverseAnswersInBatchesOf(final int batch) {
        reorderBatch = batch;
        return this;
    }

    /** @return this, sending the answers to the requests of each read in reverse order. */
    public FakeLoomServer reverseAnswersOfEachRead() {
        reverseEachRead = true;
        return this;
    }

    /**
     * @param length the maximum frame length announced in HELLO_RESPONSE.
     * @return this.
     */
    public FakeLoomServer maxFrameLength(final int length) {
        maxFrameLength = length;
        return this;
    }

    /**
     * Sends every withheld answer now (late answers for requests that may have timed out).
     *
     * @throws IOException if a connection cannot be written.
     */
    public void releaseHeld() throws IOException {
        holdPrefix = null;
        for (final FakeConnection connection : connections) {
            connection.releaseHeld();
        }
    }

    /** Closes every accepted connection; the server keeps accepting. */
    public void dropConnections() {
        for (final FakeConnection connection : connections) {
            connection.close();
        }
    }

    /** @param index which accepted connection to close, by accept order. */
    public void dropConnection(final int index) {
        connections.get(index).close();
    }

    /** @return how many connections were accepted. */
    public int acceptedConnections() {
        return connections.size();
    }

    /** @return how many accepted connections are still open. */
    public int openConnections() {
        int count = 0;
        for (final FakeConnection connection : connections) {
            count += connection.isOpen() ? 1 : 0;
        }
        return count;
    }

    /** @return the map requests each connection received, by accept order. */
    public List<Long> requestsPerConnection() {
        final List<Long> counts = new ArrayList<>();
        for (final FakeConnection connection : connections) {
            counts.add(connection.mapRequests());
        }
        return counts;
    }

    /** @return how many answers are withheld. */
    public int heldAnswers() {
        int count = 0;
        for (final FakeConnection connection : connections) {
            count += connection.heldCount();
        }
        return count;
    }

    /** @return the map requests received over all connections. */
    public long mapRequests() {
        return mapRequests.get();
    }

    /** @return the PINGs received. */
    public long pings() {
        return pings.get();
    }

    /** @return the TTL of the last PUT or PUT_IF_ABSENT, ms; -1 before any. */
    public long lastTtlMs() {
        return lastTtlMs;
    }

    /**
     * @param key a key, UTF-8.
     * @return the value stored under it, or null.
     */
    public byte[] stored(final String key) {
        synchronized (data) {
            return data.get(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** @return how many keys are stored. */
    public int size() {
        synchronized (data) {
            return data.size();
        }
    }

    @Override
    public void afterEach(final ExtensionContext context) throws IOException {
        close();
    }

    /** Stops accepting, closes every connection and waits (boundedly) for their threads; idempotent. */
    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
        try {
            acceptor.join(2_000);
            for (final FakeConnection connection : connections) {
                connection.join();
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
