package io.loomcache.server.http;

/**
 * The bounds of one {@link HttpEndpoint}: how long a client may take to send its request head and to take its
 * response, how many connections may be open at once, and how large a request head may be.
 *
 * @param requestTimeoutMs a connection that has not sent a complete request head this long after it was accepted
 *     gets a best-effort 408 and is closed.
 * @param writeTimeoutMs a response not fully written, and its connection not closed by the client, this long after
 *     the response began is closed.
 * @param maxConnections open connections at most; a new one past it closes the oldest (see {@link HttpEndpoint}).
 * @param maxHeadBytes bytes of request head at most (request line and headers, blank line included), also the
 *     per-connection read buffer; a longer head gets 431 and a close.
 */
record HttpLimits(long requestTimeoutMs, long writeTimeoutMs, int maxConnections, int maxHeadBytes) {
    /** The production bounds: 5 s to send the head, 5 s to take the response, 128 connections, 8 KiB heads. */
    static final HttpLimits DEFAULT = new HttpLimits(5_000, 5_000, 128, 8 * 1024);

    HttpLimits {
        if (requestTimeoutMs <= 0 || writeTimeoutMs <= 0) {
            throw new IllegalArgumentException("timeouts must be positive: request " + requestTimeoutMs +
                " ms, write " + writeTimeoutMs + " ms");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        if (maxHeadBytes < 64) {
            throw new IllegalArgumentException("maxHeadBytes must be at least 64: " + maxHeadBytes);
        }
    }
}
