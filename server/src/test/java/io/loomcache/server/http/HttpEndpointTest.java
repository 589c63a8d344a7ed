package io.loomcache.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.testkit.Await;
import io.loomcache.testkit.Cleanup;

import io.loomcache.server.config.ServerContext;

class HttpEndpointTest {
    private static final String BODY = "{\"status\":\"UP\"}\n";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    private HttpEndpoint endpoint;

    @Test
    void whenOneClientStallsMidRequestLine_thenAConcurrentProbeIsStillAnswered() throws Exception {
        endpoint = start(HttpLimits.DEFAULT, () -> new HttpEndpoint.Response(200, "application/json", BODY));
        stall("GET /hea");
        final HttpResponse<String> probe = probe("/health");
        assertEquals(200, probe.statusCode());
        assertEquals(BODY, probe.body());
    }

    @Test
    void whenMoreStalledSocketsThanTheConnectionBoundAreOpen_thenAProbeIsStillAnswered() throws Exception {
        endpoint = start(HttpLimits.DEFAULT, () -> new HttpEndpoint.Response(200, "application/json", BODY));
        for (int i = 0; i < 250; i++) {
            stall(i % 2 == 0 ? "GET /hea" : "");
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(200, probe("/health").statusCode());
        }
        assertTrue(endpoint.openConnections() <= HttpLimits.DEFAULT.maxConnections(),
            "open " + endpoint.openConnections());
    }

    @Test
    void whenAClientSendsNoCompleteHeadBeforeTheRequestDeadline_thenTheServerAnswers408AndCloses() throws Exception {
        endpoint = start(new HttpLimits(200, 5_000, 128, 8 * 1024),
            () -> new HttpEndpoint.Response(200, "application/json", BODY));
        final Socket partial = stall("GET /hea");
        final Socket silent = stall("");
        assertTrue(readToEnd(partial).startsWith("HTTP/1.1 408 "));
        assertTrue(readToEnd(silent).startsWith("HTTP/1.1 408 "));
        Await.until("both stalled connections closed", () -> endpoint.openConnections() == 0);
        assertEquals(200, probe("/health").statusCode());
    }

    @Test
    void whenAClientTricklesItsHeadPastTheRequestDeadline_thenTheServerClosesIt() throws Exception {
        endpoint = start(new HttpLimits(300, 5_000, 128, 8 * 1024),
            () -> new HttpEndpoint.Response(200, "application/json", BODY));
        final Socket trickler = stall("GET /health HTTP/1.1\r\nX-Slow: ");
        Await.until("the trickler accepted", () -> endpoint.openConnections() == 1);
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try {
            while (endpoint.openConnections() != 0) {
                assertTrue(System.nanoTime() - deadline < 0, "still open after 10 s of trickling");
                trickler.getOutputStream().write('a');
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        } catch (final SocketException closedByServer) {
            assertEquals(0, endpoint.openConnections());
        }
        assertEquals(200, probe("/health").statusCode());
    }

    @Test
    void whenOneClientDoesNotReadItsResponse_thenAConcurrentProbeIsStillAnswered() throws Exception {
        final String big = "x".repeat(16 * 1024 * 1024);
        final AtomicInteger calls = new AtomicInteger();
        endpoint = start(HttpLimits.DEFAULT, () -> new HttpEndpoint.Response(200, "text/plain",
            calls.incrementAndGet() == 1 ? big : BODY));
        final Socket reader = cleanup.add(new Socket());
        reader.setReceiveBufferSize(64 * 1024);
        reader.connect(new InetSocketAddress("127.0.0.1", endpoint.port()), 10_000);
        reader.getOutputStream().write(ascii("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
        Await.until("the big response started", () -> calls.get() == 1);
        final HttpResponse<String> probe = probe("/health");
        assertEquals(200, probe.statusCode());
        assertEquals(BODY, probe.body());
    }

    @Test
    void whenAClientDoesNotReadItsResponseBeforeTheWriteDeadline_thenTheServerClosesIt() throws Exception {
        final String big = "x".repeat(16 * 1024 * 1024);
        endpoint = start(new HttpLimits(5_000, 300, 128, 8 * 1024),
            () -> new HttpEndpoint.Response(200, "text/plain", big));
        final Socket reader = cleanup.add(new Socket());
        reader.setReceiveBufferSize(64 * 1024);
        reader.connect(new InetSocketAddress("127.0.0.1", endpoint.port()), 10_000);
        reader.getOutputStream().write(ascii("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
        Await.until("the request accepted and its response pending", () -> endpoint.openConnections() == 1);
        Await.until("the unread response's connection closed", () -> endpoint.openConnections() == 0);
        final long received = countToEnd(reader);
        assertTrue(received < big.length(), "received " + received);
    }

    @Test
    void shouldAnswerGetWithContentTypeLengthAndConnectionCloseThenClose() throws Exception {
        endpoint = start(HttpLimits.DEFAULT, () -> new HttpEndpoint.Response(200, "application/json", BODY));
        final Raw response = Raw.parse(exchange("GET /health HTTP/1.0\r\n\r\n"));
        assertEquals("HTTP/1.1 200 OK", response.statusLine());
        assertEquals("application/json", response.header("content-type"));
        assertEquals(Integer.toString(BODY.length()), response.header("content-length"));
        assertEquals("close", response.header("connection"));
        assertEquals(BODY, response.body());
    }

    @Test
    void shouldAnswerHeadWithTheStatusAndHeadersOfGetAndNoBody() throws Exception {
        endpoint = start(HttpLimits.DEFAULT, () -> new HttpEndpoint.Response(503, "application/json", BODY));
        final Raw response = Raw.parse(exchange("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertTrue(response.statusLine().startsWith("HTTP/1.1 503 "), response.statusLine());
        assertEquals(Integer.toString(BODY.length()), response.header("content-length"));
        assertEquals("", response.body());
        final HttpResponse<Void> viaClient = CLIENT.send(request("/health").method("HEAD",
            HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(503, viaClient.statusCode());
    }

    @Test
    void shouldAnswer405WithAllowToOtherMethods() throws Exception {
        endpoint = start(HttpLimits.DEFAULT, () -> new HttpEndpoint.Response(200, "application/json", BODY));
        final Raw response = Raw.parse(exchange(
            "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"));
        assertTrue(response.statusLine().startsWith("HTTP/1.1 405 "), response.statusLine());
        assertEquals("GET, HEAD", response.header("allow"));
        final HttpResponse<String> viaClient = CLIENT.send(request("/health").DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(405, viaClient.statusCode());
        assertEquals("GET, HEAD", viaClient.headers().firstValue("Allow").orElse(null));
    }

    @Test
    void shouldAnswer404ToOtherPathsAndMatchThePathWithoutItsQuery() throws Exception {
        endpoint = start(HttpLimits.DEFAULT, () -> new HttpEndpoint.Response(200, "application/json", BODY));
        assertEquals(404, probe("/nope").statusCode());
        assertEquals(404, probe("/healthz").statusCode());
        assertEquals(404, probe("/health/deep").statusCode());
        assertEquals(200, probe("/health?verbose=1").statusCode());
        assertTrue(Raw.parse(exchange("GET http://127.0.0.1/health HTTP/1.1\r\nHost: x\r\n\r\n"))
            .statusLine().startsWith("HTTP/1.1 200 "));
    }

    @Test
    void shouldAnswer431AndCloseWhenTheRequestHeadExceedsItsBound() throws Exception {
        endpoint = start(HttpLimits.DEFAULT, () -> new HttpEndpoint.Response(200, "application/json", BODY));
        final Raw response = Raw.parse(exchange("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9_000) +
            "\r\n\r\n"));
        assertTrue(response.statusLine().startsWith("HTTP/1.1 431 "), response.statusLine());
        assertEquals(200, probe("/health").statusCode());
    }

    @Test
    void shouldAnswer400ToAMalformedRequestLineAnd505ToAnotherVersion() throws Exception {
        endpoint = start(HttpLimits.DEFAULT, () -> new HttpEndpoint.Response(200, "application/json", BODY));
        assertTrue(Raw.parse(exchange("GARBAGE\r\n\r\n")).statusLine().startsWith("HTTP/1.1 400 "));
        assertTrue(Raw.parse(exchange("GET /health HTTP/1.1 extra\r\n\r\n")).statusLine().startsWith("HTTP/1.1 400 "));
        assertTrue(Raw.parse(exchange("GET /health HTTP/2.0\r\n\r\n")).statusLine().startsWith("HTTP/1.1 505 "));
    }

    @Test
    void whenTheSupplierThrows_thenTheClientGets500AndTheNextRequestIsAnswered() throws Exception {
        final AtomicInteger calls = new AtomicInteger();
        endpoint = start(HttpLimits.DEFAULT, () -> {
            final int call = calls.incrementAndGet();
            if (call == 1) {
                throw new IllegalStateException("supplier failed on purpose");
            }
            if (call == 2) {
                throw new StackOverflowError("supplier failed on purpose");
            }
            return new HttpEndpoint.Response(200, "application/json", BODY);
        });
        assertEquals(500, probe("/health").statusCode());
        assertTrue(Raw.parse(exchange("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")).statusLine()
            .startsWith("HTTP/1.1 500 "));
        final HttpResponse<String> next = probe("/health");
        assertEquals(200, next.statusCode());
        assertEquals(BODY, next.body());
    }

    @Test
    void shouldReleaseItsPortWhenClosed() throws Exception {
        endpoint = start(HttpLimits.DEFAULT, () -> new HttpEndpoint.Response(200, "application/json", BODY));
        final int port = endpoint.port();
        stall("GET /hea");
        assertEquals(200, probe("/health").statusCode());
        endpoint.close();
        try (ServerSocket rebound = new ServerSocket()) {
            rebound.setReuseAddress(true);
            rebound.bind(new InetSocketAddress("127.0.0.1", port));
        }
    }

    private HttpEndpoint start(final HttpLimits limits, final Supplier<HttpEndpoint.Response> handler)
        throws IOException {
        return cleanup.add(new HttpEndpoint(new ServerContext().bindAddress("127.0.0.1").conclude(),
            Map.of("/health", handler), 0, "test-http", limits));
    }

    private HttpRequest.Builder request(final String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
            .timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> probe(final String path) throws Exception {
        return CLIENT.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a socket, sends the given bytes and keeps it open without sending more. */
    private Socket stall(final String sent) throws IOException {
        final Socket socket = cleanup.add(new Socket());
        socket.connect(new InetSocketAddress("127.0.0.1", endpoint.port()), 10_000);
        socket.getOutputStream().write(ascii(sent));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Sends one request on a new socket and reads until the server closes. */
    private String exchange(final String request) throws IOException {
        return readToEnd(stall(request));
    }

    private static String readToEnd(final Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final InputStream in = socket.getInputStream();
        final byte[] chunk = new byte[8192];
        for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
            out.write(chunk, 0, read);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Counts bytes until end of stream or a reset; a read timeout (the server never closed) fails the test. */
    private static long countToEnd(final Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        final InputStream in = socket.getInputStream();
        final byte[] chunk = new byte[64 * 1024];
        long total = 0;
        try {
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                total += read;
            }
        } catch (final SocketException reset) {
            return total;
        }
        return total;
    }

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A raw HTTP/1.1 response read to the end of the stream. */
    private record Raw(String statusLine, List<String> headers, String body) {
        static Raw parse(final String text) {
            final int end = text.indexOf("\r\n\r\n");
            assertTrue(end >= 0, "no complete head in: " + text);
            final String[] lines = text.substring(0, end).split("\r\n");
            return new Raw(lines[0], List.of(lines).subList(1, lines.length), text.substring(end + 4));
        }

        String header(final String name) {
            for (final String line : headers) {
                final int colon = line.indexOf(':');
                if (line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }
}
