package io.loomcache.server.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.SequencedSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.agrona.concurrent.NanoClock;

import io.loomcache.server.config.ServerContext;
import io.loomcache.server.log.NodeLog;
import io.loomcache.server.log.NodeLog.Component;

/**
 * One small non-blocking HTTP/1.1 server on its own port serving one path or a few (GET and HEAD; the query is ignored)
 * from a supplier of (status, content type, body), on one platform thread running a {@link Selector}. Every
 * response carries {@code Connection: close}; other paths get 404, other methods 405 with
 * {@code Allow: GET, HEAD}, a head longer than 8 KiB 431, a supplier that throws 500.
 *
 * <p>No client can hold the thread: all I/O is non-blocking, and each connection has a deadline checked every
 * selector cycle (two lists in deadline order, so only expired heads are visited): a connection that has not
 * sent a complete request head within 5 s of being accepted gets a best-effort 408 and is closed; one whose
 * response is not written, and the connection closed by the client, within 5 s of the response starting is
 * closed. At most 128 connections are open: a new connection is always admitted, and past the bound the oldest
 * already being answered is closed, or when none is, the oldest still sending its request head. A probe's head
 * is read in the cycle that accepts it or the next, while at most 16 connections are accepted per cycle, so a
 * flood of stalled sockets cannot push a live probe out before it is answered.
 *
 * <p>Not a hot path: allocates per connection and per response. The supplier runs on the endpoint's thread. Time
 * comes from the context's {@link NanoClock}, errors go to the context's {@link NodeLog}.
 * Thread-safe: {@link #port()} and {@link #close()} may be called from any thread.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final int BACKLOG = 128;
    /** Well under the connection bound, so a probe accepted in one cycle is read before it could be evicted. */
    private static final int ACCEPTS_PER_CYCLE = 16;
    private static final long MAX_SELECT_MS = 1_000;
    /** A lingering connection that sends more than this after its response is closed at once. */
    private static final long MAX_DISCARD_BYTES = 64 * 1024;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Response INTERNAL_ERROR =
        new Response(500, "text/plain; charset=utf-8", "internal server error\n");

    private final Map<String, Supplier<Response>> routes;
    private final String threadName;
    private final NodeLog log;
    private final NanoClock clock;
    private final HttpLimits limits;
    private final long requestTimeoutNs;
    private final long writeTimeoutNs;
    private final Selector selector;
    private final Consumer<SelectionKey> onReady = this::onSelected;
    private final ServerSocketChannel listener;
    private final int port;
    private final Thread thread;
    /** Connections READING their head, in accept order, which is request-deadline order. */
    private final SequencedSet<HttpConnection> requests = new LinkedHashSet<>();
    /** Connections WRITING or LINGERING, in response-start order, which is write-deadline order. */
    private final SequencedSet<HttpConnection> responses = new LinkedHashSet<>();
    private volatile boolean running = true;
    private volatile int openConnections;

    /**
     * A response to send.
     *
     * @param status the HTTP status.
     * @param contentType the Content-Type header.
     * @param body the body text (UTF-8).
     */
    public record Response(int status, String contentType, String body) {
    }

    /**
     * Binds and starts the server with the production limits (5 s request and write deadlines, 128 connections,
     * 8 KiB request heads).
     *
     * @param context the node's configuration: bind address, clock and log; concluded.
     * @param routes each served path (e.g. "/health/live") and what builds its responses on the serving thread; a
     *     throw is answered with 500.
     * @param port the port, 0 for ephemeral.
     * @param threadName the serving thread's name.
     * @throws IOException when the port cannot be bound.
     */
    public HttpEndpoint(
        final ServerContext context,
        final Map<String, Supplier<Response>> routes,
        final int port,
        final String threadName) throws IOException {
        this(context, routes, port, threadName, HttpLimits.DEFAULT);
    }

    HttpEndpoint(
        final ServerContext context,
        final Map<String, Supplier<Response>> routes,
        final int port,
        final String threadName,
        final HttpLimits limits) throws IOException {
        final String bindAddress = context.bindAddress();
        this.routes = Map.copyOf(routes);
        this.threadName = threadName;
        this.log = context.log();
        this.clock = context.nanoClock();
        this.limits = limits;
        this.requestTimeoutNs = TimeUnit.MILLISECONDS.toNanos(limits.requestTimeoutMs());
        this.writeTimeoutNs = TimeUnit.MILLISECONDS.toNanos(limits.writeTimeoutMs());
        this.selector = Selector.open();
        try {
            this.listener = bind(selector, new InetSocketAddress(bindAddress, port));
            this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        } catch (final IOException | RuntimeException ex) {
            selector.close();
            throw ex;
        }
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
        thread.start();
    }

    private static ServerSocketChannel bind(final Selector selector, final InetSocketAddress address)
        throws IOException {
        final ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, BACKLOG);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_ACCEPT);
            return channel;
        } catch (final IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
    }

    /**
     * The bound port.
     *
     * @return the port.
     */
    public int port() {
        return port;
    }

    /** Open connections, as last published by the serving thread; for tests. */
    int openConnections() {
        return openConnections;
    }

    /**
     * Stops the serving thread, waiting up to 10 s for it, and closes every connection, the listening channel
     * and the selector; idempotent.
     */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (Thread.currentThread() == thread) {
            return;
        }
        final long deadlineNs = clock.nanoTime() + JOIN_TIMEOUT.toNanos();
        boolean interrupted = false;
        while (thread.isAlive()) {
            final long leftNs = deadlineNs - clock.nanoTime();
            if (leftNs <= 0) {
                log.error(Component.HTTP, threadName + " close", new IllegalStateException("did not stop within " +
                    JOIN_TIMEOUT.toSeconds() + " s; closing its channels under it"));
                break;
            }
            try {
                thread.join(Duration.ofNanos(leftNs));
            } catch (final InterruptedException ex) {
                interrupted = true;
            }
        }
        closeQuietly(listener);
        closeQuietly(selector);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (running) {
                try {
                    doWork();
                } catch (final Throwable ex) {
                    log.error(Component.HTTP, threadName + " loop", ex);
                }
            }
        } finally {
            closeEverything();
        }
    }

    private void doWork() throws IOException {
        // the consumer form: no iterator of the selected-key set per cycle
        selector.select(onReady, selectTimeoutMs(clock.nanoTime()));
        expire(clock.nanoTime());
    }

    private void onSelected(final SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        final long nowNs = clock.nanoTime();
        if (key.isAcceptable()) {
            accept(nowNs);
        } else {
            onReady((HttpConnection) key.attachment(), nowNs);
        }
    }

    private long selectTimeoutMs(final long nowNs) {
        long untilNs = TimeUnit.MILLISECONDS.toNanos(MAX_SELECT_MS);
        if (!requests.isEmpty()) {
            untilNs = Math.min(untilNs, requests.getFirst().deadlineNs() - nowNs);
        }
        if (!responses.isEmpty()) {
            untilNs = Math.min(untilNs, responses.getFirst().deadlineNs() - nowNs);
        }
        return Math.max(1, Math.ceilDiv(untilNs, 1_000_000L));
    }

    private void accept(final long nowNs) {
        for (int i = 0; i < ACCEPTS_PER_CYCLE; i++) {
            final SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (final IOException ex) {
                log.error(Component.HTTP, threadName + " accept", ex);
                return;
            }
            if (channel == null) {
                return;
            }
            if (requests.size() + responses.size() >= limits.maxConnections()) {
                close(responses.isEmpty() ? requests.getFirst() : responses.getFirst());
            }
            final HttpConnection connection;
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                connection = new HttpConnection(channel, key, limits.maxHeadBytes(), nowNs + requestTimeoutNs);
                key.attach(connection);
            } catch (final IOException ex) {
                closeQuietly(channel);
                continue;
            }
            requests.add(connection);
            openConnections = requests.size() + responses.size();
            onReady(connection, nowNs);
        }
    }

    /** Advances one connection as far as its socket allows; any failure closes that connection only. */
    private void onReady(final HttpConnection connection, final long nowNs) {
        try {
            switch (connection.phase()) {
                case HttpConnection.READING -> readHead(connection, nowNs);
                case HttpConnection.WRITING -> write(connection);
                case HttpConnection.LINGERING -> discard(connection);
                default -> throw new IllegalStateException("phase " + connection.phase());
            }
        } catch (final IOException ex) {
            close(connection);
        } catch (final Throwable ex) {
            log.error(Component.HTTP, threadName + " connection", ex);
            close(connection);
        }
    }

    private void readHead(final HttpConnection connection, final long nowNs) throws IOException {
        if (connection.channel().read(connection.buffer()) < 0) {
            close(connection);
        } else if (connection.scanHead()) {
            respond(connection, connection.requestLine(), nowNs);
        } else if (!connection.buffer().hasRemaining()) {
            startResponse(connection, HttpResponses.plain(431, false), nowNs);
        }
    }

    private void respond(final HttpConnection connection, final String requestLine, final long nowNs)
        throws IOException {
        final int verdict = HttpRequestLine.classify(requestLine, routes.keySet());
        final boolean head = verdict != 400 && HttpRequestLine.isHead(requestLine);
        if (verdict != HttpRequestLine.SERVE) {
            startResponse(connection, HttpResponses.plain(verdict, head), nowNs);
            return;
        }
        final Response response = supply(routes.get(HttpRequestLine.requestPath(requestLine)));
        startResponse(connection, HttpResponses.encode(response.status(), response.contentType(),
            response.body(), head), nowNs);
    }

    private Response supply(final Supplier<Response> handler) {
        try {
            final Response response = handler.get();
            if (response == null || response.status() < 100 || response.status() > 599 ||
                response.body() == null || response.contentType() == null ||
                response.contentType().indexOf('\r') >= 0 || response.contentType().indexOf('\n') >= 0) {
                log.error(Component.HTTP, threadName + " handler",
                    new IllegalStateException("invalid response " + response));
                return INTERNAL_ERROR;
            }
            return response;
        } catch (final Throwable ex) {
            log.error(Component.HTTP, threadName + " handler", ex);
            return INTERNAL_ERROR;
        }
    }

    private void startResponse(final HttpConnection connection, final ByteBuffer encoded,
        final long nowNs) throws IOException {
        requests.remove(connection);
        connection.respond(encoded, nowNs + writeTimeoutNs);
        responses.add(connection);
        write(connection);
    }

    private void write(final HttpConnection connection) throws IOException {
        connection.channel().write(connection.response());
        if (connection.response().hasRemaining()) {
            connection.key().interestOps(SelectionKey.OP_WRITE);
            return;
        }
        connection.channel().shutdownOutput();
        connection.linger();
        connection.key().interestOps(SelectionKey.OP_READ);
        discard(connection);
    }

    private void discard(final HttpConnection connection) throws IOException {
        connection.buffer().clear();
        final int read = connection.channel().read(connection.buffer());
        if (read < 0 || !connection.discard(read, MAX_DISCARD_BYTES)) {
            close(connection);
        }
    }

    /** Closes connections past their deadline, visiting only the expired heads of the two deadline-ordered lists. */
    private void expire(final long nowNs) {
        while (!requests.isEmpty() && requests.getFirst().deadlineNs() - nowNs <= 0) {
            final HttpConnection late = requests.getFirst();
            try {
                late.channel().write(HttpResponses.plain(408, false));
            } catch (final IOException ex) {
                // Best effort: the connection is closed either way.
            }
            close(late);
        }
        while (!responses.isEmpty() && responses.getFirst().deadlineNs() - nowNs <= 0) {
            close(responses.getFirst());
        }
    }

    private void close(final HttpConnection connection) {
        if (requests.remove(connection) || responses.remove(connection)) {
            closeQuietly(connection.channel());
            openConnections = requests.size() + responses.size();
        }
    }

    private void closeEverything() {
        while (!requests.isEmpty()) {
            close(requests.getFirst());
        }
        while (!responses.isEmpty()) {
            close(responses.getFirst());
        }
        closeQuietly(listener);
        closeQuietly(selector);
    }

    private void closeQuietly(final AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (final Exception ex) {
            log.error(Component.HTTP, threadName + " close", ex);
        }
    }
}
