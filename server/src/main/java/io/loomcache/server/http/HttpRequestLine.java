package io.loomcache.server.http;

import java.util.Set;

/**
 * Decides what a request line ({@code METHOD SP request-target SP HTTP-version}, RFC 9112 §3) asks of an
 * endpoint serving one path: serve it, or answer with an error status. Only the method, the path (the query is
 * ignored; absolute-form targets are reduced to their path) and the major version are looked at; headers are
 * not. Stateless.
 */
final class HttpRequestLine {
    /** The request is a GET or HEAD of the served path: answer it from the endpoint's supplier. */
    static final int SERVE = 0;

    private HttpRequestLine() {
    }

    /**
     * Classifies a request line.
     *
     * @param line the request line without its line ending, ISO-8859-1 decoded.
     * @param servedPath the one path served, e.g. "/health".
     * @return {@link #SERVE}, or the status to answer: 400 malformed, 505 not HTTP/1.x, 404 another path,
     *     405 another method.
     */
    static int classify(final String line, final String servedPath) {
        return classify(line, Set.of(servedPath));
    }

    /**
     * Classifies a request line for an endpoint serving several paths.
     *
     * @param line the request line without its line ending, ISO-8859-1 decoded.
     * @param servedPaths the paths served.
     * @return {@link #SERVE}, or the status to answer: 400 malformed, 505 not HTTP/1.x, 404 another path,
     *     405 another method.
     */
    static int classify(final String line, final Set<String> servedPaths) {
        final int methodEnd = line.indexOf(' ');
        final int targetEnd = methodEnd < 0 ? -1 : line.indexOf(' ', methodEnd + 1);
        if (methodEnd <= 0 || targetEnd <= methodEnd + 1 || targetEnd == line.length() - 1 ||
            line.indexOf(' ', targetEnd + 1) >= 0) {
            return 400;
        }
        final String version = line.substring(targetEnd + 1);
        if (!version.startsWith("HTTP/")) {
            return 400;
        }
        if (!"HTTP/1.1".equals(version) && !"HTTP/1.0".equals(version)) {
            return 505;
        }
        if (!servedPaths.contains(path(line.substring(methodEnd + 1, targetEnd)))) {
            return 404;
        }
        final String method = line.substring(0, methodEnd);
        return "GET".equals(method) || "HEAD".equals(method) ? SERVE : 405;
    }

    /**
     * Whether the request is a HEAD, whose answer carries no body.
     *
     * @param line the request line.
     * @return true for a HEAD request.
     */
    static boolean isHead(final String line) {
        return line.startsWith("HEAD ");
    }

    /**
     * The path a well-formed request line asks for (call after {@link #classify} answered {@link #SERVE}).
     *
     * @param line the request line.
     * @return the path without query.
     */
    static String requestPath(final String line) {
        final int methodEnd = line.indexOf(' ');
        return path(line.substring(methodEnd + 1, line.indexOf(' ', methodEnd + 1)));
    }

    private static String path(final String target) {
        final int query = target.indexOf('?');
        final String noQuery = query < 0 ? target : target.substring(0, query);
        final int scheme = noQuery.indexOf("://");
        if (noQuery.startsWith("/") || scheme < 0) {
            return noQuery;
        }
        final int slash = noQuery.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : noQuery.substring(slash);
    }
}
