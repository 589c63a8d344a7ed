package io.loomcache.server.http;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One accepted HTTP connection of an {@link HttpEndpoint}: its channel and key, its bounded head buffer with the
 * incremental scan for the blank line ending the head, and its phase and deadline. Phases: READING the request
 * head, WRITING the response, LINGERING after the response (output shut down, input read and discarded until the
 * client closes, so that unread request bytes never turn the close into a reset that loses the response).
 * Owned by the endpoint's thread.
 */
final class HttpConnection {
    /** Reading the request head; the deadline is the request deadline. */
    static final int READING = 0;
    /** Writing the response; the deadline is the write deadline. */
    static final int WRITING = 1;
    /** Response written and output shut down; discarding input until end of stream or the write deadline. */
    static final int LINGERING = 2;

    private final SocketChannel channel;
    private final SelectionKey key;
    private final ByteBuffer buffer;
    private int phase = READING;
    private long deadlineNs;
    private ByteBuffer response;
    private long discardedBytes;
    private int scanned;
    private int lineStart;
    private int requestLineStart = -1;
    private int requestLineEnd = -1;
    private boolean headComplete;

    HttpConnection(final SocketChannel channel, final SelectionKey key, final int maxHeadBytes,
        final long requestDeadlineNs) {
        this.channel = channel;
        this.key = key;
        this.buffer = ByteBuffer.allocate(maxHeadBytes);
        this.deadlineNs = requestDeadlineNs;
    }

    SocketChannel channel() {
        return channel;
    }

    SelectionKey key() {
        return key;
    }

    /** The read buffer: the request head while READING, scratch space while LINGERING. */
    ByteBuffer buffer() {
        return buffer;
    }

    int phase() {
        return phase;
    }

    /** When the current phase must be over, in the node NanoClock's time. */
    long deadlineNs() {
        return deadlineNs;
    }

    ByteBuffer response() {
        return response;
    }

    /**
     * Scans the bytes read since the last call for the end of the head: a line break after an empty line, CR
     * optional (RFC 9112 §2.2); empty lines before the request line are skipped (§2.2).
     *
     * @return true once the head is complete (and on every later call); {@link #requestLine()} is then valid.
     */
    boolean scanHead() {
        if (headComplete) {
            return true;
        }
        final byte[] bytes = buffer.array();
        final int end = buffer.position();
        while (scanned < end) {
            final int lf = scanned++;
            if (bytes[lf] != '\n') {
                continue;
            }
            final int start = lineStart;
            final int lineEnd = lf > start && bytes[lf - 1] == '\r' ? lf - 1 : lf;
            lineStart = scanned;
            if (lineEnd == start) {
                if (requestLineEnd >= 0) {
                    headComplete = true;
                    return true;
                }
            } else if (requestLineEnd < 0) {
                requestLineStart = start;
                requestLineEnd = lineEnd;
            }
        }
        return false;
    }

    /** The request line without its line ending; valid once {@link #scanHead()} returned true. */
    String requestLine() {
        return new String(buffer.array(), requestLineStart, requestLineEnd - requestLineStart,
            StandardCharsets.ISO_8859_1);
    }

    /** Enters WRITING with the whole encoded response and the write deadline. */
    void respond(final ByteBuffer encoded, final long writeDeadlineNs) {
        phase = WRITING;
        response = encoded;
        deadlineNs = writeDeadlineNs;
    }

    /** Enters LINGERING, keeping the write deadline. */
    void linger() {
        phase = LINGERING;
        response = null;
    }

    /**
     * Counts bytes read and thrown away while LINGERING.
     *
     * @param bytes bytes just read.
     * @param maxBytes the most to discard.
     * @return true while the total is within maxBytes.
     */
    boolean discard(final int bytes, final long maxBytes) {
        discardedBytes += bytes;
        return discardedBytes <= maxBytes;
    }
}
