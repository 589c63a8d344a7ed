package io.loomcache.server;

import java.util.List;

import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.server.http.HttpEndpoint;

/**
 * Builds the /health answer: 200 {@code {"status":"UP",...}} while serving with no problem; 503 with status
 * STARTING, DRAINING or STOPPED, or, while serving, WAL_FAILED (the WAL failed) or DOWN (a thread the node needs
 * ended, the transport cannot accept, or the partial-frame budget is spent), with every problem in
 * {@code "problems"}. Called on the health HTTP thread; reads only volatile or atomic state.
 */
final class HealthReport {
    private HealthReport() {
    }

    static HttpEndpoint.Response report(final LoomCacheNode node) {
        final int status = node.status();
        final List<String> problems = node.problems();
        final String name = switch (status) {
            case LoomCacheNode.SERVING -> problems.isEmpty() ? "UP" : node.walFailed() && problems.size() == 1 ?
                "WAL_FAILED" : "DOWN";
            case LoomCacheNode.STARTING -> "STARTING";
            case LoomCacheNode.DRAINING -> "DRAINING";
            default -> "STOPPED";
        };
        final StringBuilder body = new StringBuilder(256).append("{\"status\":\"").append(name)
            .append("\",\"nodeId\":").append(node.context().nodeId())
            .append(",\"transport\":\"").append(node.transportName())
            .append("\",\"connections\":").append(node.connections().count())
            .append(",\"backpressure\":\"").append(BackpressureController.name(node.backpressure().level()))
            .append("\",\"problems\":[");
        for (int i = 0; i < problems.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"");
            appendEscaped(body, problems.get(i));
            body.append('"');
        }
        body.append("]}\n");
        return new HttpEndpoint.Response("UP".equals(name) ? 200 : 503, "application/json", body.toString());
    }

    private static void appendEscaped(final StringBuilder out, final String text) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int)c));
            } else {
                out.append(c);
            }
        }
    }
}
