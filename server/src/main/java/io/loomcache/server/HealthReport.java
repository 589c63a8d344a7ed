package io.loomcache.server;

import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.server.http.HttpEndpoint;

/**
 * Builds the /health answer: 200 {@code {"status":"UP",...}} while serving, 503 with status STARTING, DRAINING,
 * STOPPED or WAL_FAILED otherwise. Called on the health HTTP thread; reads only volatile or atomic state.
 */
final class HealthReport {
    private HealthReport() {
    }

    static HttpEndpoint.Response report(final LoomCacheNode node) {
        final int status = node.status();
        final boolean walFailed = node.walFailed();
        final String name = switch (status) {
            case LoomCacheNode.SERVING -> walFailed ? "WAL_FAILED" : "UP";
            case LoomCacheNode.STARTING -> "STARTING";
            case LoomCacheNode.DRAINING -> "DRAINING";
            default -> "STOPPED";
        };
        final String body = "{\"status\":\"" + name + "\",\"nodeId\":" + node.context().nodeId() +
            ",\"transport\":\"" + node.transportName() + "\",\"connections\":" + node.connections().count() +
            ",\"backpressure\":\"" + BackpressureController.name(node.backpressure().level()) + "\"}\n";
        return new HttpEndpoint.Response("UP".equals(name) ? 200 : 503, "application/json", body);
    }
}
