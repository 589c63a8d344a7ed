package io.loomcache.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * One small HTTP server on its own port serving one GET path from a supplier of (status, content type, body),
 * on a single platform thread. Not a hot path: allocates per request. Thread-safe.
 */
public final class HttpEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

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
     * Binds and starts the server.
     *
     * @param bindAddress the address to bind.
     * @param port the port, 0 for ephemeral.
     * @param path the served path, e.g. "/health".
     * @param threadName the serving thread's name.
     * @param handler builds each response; must be thread-safe.
     * @throws IOException when the port cannot be bound.
     */
    public HttpEndpoint(
        final String bindAddress,
        final int port,
        final String path,
        final String threadName,
        final Supplier<Response> handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
        executor = Executors.newSingleThreadExecutor(task -> {
            final Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(path, exchange -> handle(exchange, handler));
        server.start();
    }

    private static void handle(final HttpExchange exchange, final Supplier<Response> handler) throws IOException {
        try (exchange) {
            final Response response = "GET".equals(exchange.getRequestMethod()) ?
                handler.get() : new Response(405, "text/plain", "method not allowed\n");
            final byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.sendResponseHeaders(response.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * The bound port.
     *
     * @return the port.
     */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
