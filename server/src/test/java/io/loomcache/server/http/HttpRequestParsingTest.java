package io.loomcache.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class HttpRequestParsingTest {
    @Test
    void shouldFindTheEndOfTheHeadWhereverTheBytesAreSplit() {
        final String[] heads = {
            "GET /health HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n",
            "GET /health HTTP/1.1\nHost: x\n\n",
            "\r\n\r\nHEAD /health?x=1 HTTP/1.0\r\n\r\n",
        };
        final String[] lines = {"GET /health HTTP/1.1", "GET /health HTTP/1.1", "HEAD /health?x=1 HTTP/1.0"};
        for (int h = 0; h < heads.length; h++) {
            final byte[] bytes = heads[h].getBytes(StandardCharsets.ISO_8859_1);
            for (int split = 0; split <= bytes.length; split++) {
                final HttpConnection connection = new HttpConnection(null, null, 8 * 1024, 0);
                connection.buffer().put(bytes, 0, split);
                assertEquals(split == bytes.length, connection.scanHead(), "head " + h + " split " + split);
                connection.buffer().put(bytes, split, bytes.length - split);
                assertTrue(connection.scanHead(), "head " + h + " split " + split);
                assertEquals(lines[h], connection.requestLine(), "head " + h + " split " + split);
            }
        }
    }

    @Test
    void shouldNotEndTheHeadBeforeItsBlankLine() {
        final HttpConnection connection = new HttpConnection(null, null, 8 * 1024, 0);
        connection.buffer().put("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertFalse(connection.scanHead());
    }

    @Test
    void shouldClassifyRequestLines() {
        assertEquals(HttpRequestLine.SERVE, HttpRequestLine.classify("GET /health HTTP/1.1", "/health"));
        assertEquals(HttpRequestLine.SERVE, HttpRequestLine.classify("HEAD /health HTTP/1.0", "/health"));
        assertEquals(HttpRequestLine.SERVE, HttpRequestLine.classify("GET /health?a=/b HTTP/1.1", "/health"));
        assertEquals(HttpRequestLine.SERVE, HttpRequestLine.classify("GET http://h:1/health?q HTTP/1.1", "/health"));
        assertEquals(404, HttpRequestLine.classify("GET http://h:1?q=/health HTTP/1.1", "/health"));
        assertEquals(404, HttpRequestLine.classify("GET /health/ HTTP/1.1", "/health"));
        assertEquals(404, HttpRequestLine.classify("POST /other HTTP/1.1", "/health"));
        assertEquals(405, HttpRequestLine.classify("POST /health HTTP/1.1", "/health"));
        assertEquals(405, HttpRequestLine.classify("get /health HTTP/1.1", "/health"));
        assertEquals(505, HttpRequestLine.classify("GET /health HTTP/2.0", "/health"));
        assertEquals(400, HttpRequestLine.classify("GET /health", "/health"));
        assertEquals(400, HttpRequestLine.classify("GET  /health HTTP/1.1", "/health"));
        assertEquals(400, HttpRequestLine.classify("GET /health HTTP/1.1 ", "/health"));
        assertEquals(400, HttpRequestLine.classify(" GET /health HTTP/1.1", "/health"));
        assertEquals(400, HttpRequestLine.classify("GET /health FTP/1.1", "/health"));
        assertTrue(HttpRequestLine.isHead("HEAD /health HTTP/1.1"));
        assertFalse(HttpRequestLine.isHead("GET /health HTTP/1.1"));
    }
}
