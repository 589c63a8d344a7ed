package io.loomcache.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Encodes whole HTTP/1.1 responses: status line, Date, Content-Type, Content-Length, Allow on a 405,
 * {@code Connection: close}, then the body unless the request was a HEAD. Allocates one buffer per response.
 * Stateless.
 */
final class HttpResponses {
    private static final DateTimeFormatter IMF_FIXDATE =
        DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    private static final String PLAIN = "text/plain; charset=utf-8";

    private HttpResponses() {
    }

    /**
     * A response with the given parts.
     *
     * @param status the status, 100 to 599.
     * @param contentType the Content-Type value, without line breaks.
     * @param body the body text, UTF-8 encoded here.
     * @param head true for a HEAD request: headers only, Content-Length still that of the body.
     * @return the encoded response, ready to write.
     */
    static ByteBuffer encode(final int status, final String contentType, final String body, final boolean head) {
        final byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        final StringBuilder text = new StringBuilder(160)
            .append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
            .append("Date: ").append(IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n")
            .append("Content-Type: ").append(contentType).append("\r\n")
            .append("Content-Length: ").append(bodyBytes.length).append("\r\n");
        if (status == 405) {
            text.append("Allow: GET, HEAD\r\n");
        }
        text.append("Connection: close\r\n\r\n");
        final byte[] headBytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        final ByteBuffer response = ByteBuffer.allocate(headBytes.length + (head ? 0 : bodyBytes.length));
        response.put(headBytes);
        if (!head) {
            response.put(bodyBytes);
        }
        return response.flip();
    }

    /**
     * A plain-text response whose body is the reason phrase, for statuses the endpoint answers itself.
     *
     * @param status the status.
     * @param head true for a HEAD request.
     * @return the encoded response.
     */
    static ByteBuffer plain(final int status, final boolean head) {
        return encode(status, PLAIN, reason(status).toLowerCase(Locale.ROOT) + "\n", head);
    }

    /**
     * The reason phrase of a status, empty for one not listed (RFC 9112 §4 allows that).
     *
     * @param status the status.
     * @return the phrase.
     */
    static String reason(final int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }
}
