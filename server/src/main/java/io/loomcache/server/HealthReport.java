package io.loomcache.server;

import java.util.List;

import io.loomcache.server.backpressure.BackpressureController;
import io.loomcache.server.cluster.ClusterMembers;
import io.loomcache.server.executor.ReplicatedPartitions;
import io.loomcache.server.http.HttpEndpoint;

/**
 * Builds the health answers. Readiness ({@code /health}, {@code /health/ready}: should traffic come here?): 200
 * {@code {"status":"UP",...}} while serving with no problem; 503 with status STARTING, DRAINING or STOPPED, or, while
 * serving, WAL_FAILED (the WAL failed) or DOWN (a thread the node needs ended, the transport cannot accept, or the
 * partial-frame budget is spent), with every problem in {@code "problems"}. Liveness ({@code /health/live}: should
 * the node be restarted?): 503 DOWN only for what a restart cures (a dead thread, a transport that cannot accept, a
 * failed WAL), 200 LIVE otherwise, also while starting, draining or shedding load, so that an orchestrator never
 * restarts a node for being busy or under attack. Called on the health HTTP thread; reads only volatile or atomic
 * state.
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
            .append(",\"nodeName\":\"").append(node.context().nodeName()).append('"')
            .append(",\"transport\":\"").append(node.transportName())
            .append("\",\"connections\":").append(node.connections().count())
            .append(",\"backpressure\":\"").append(BackpressureController.name(node.backpressure().level()))
            .append("\",");
        appendProblems(body, problems);
        return new HttpEndpoint.Response("UP".equals(name) ? 200 : 503, "application/json", body.toString());
    }

    static HttpEndpoint.Response liveness(final LoomCacheNode node) {
        final List<String> fatal = node.fatalProblems();
        final boolean live = fatal.isEmpty() && node.status() != LoomCacheNode.STOPPED;
        final StringBuilder body = new StringBuilder(128).append("{\"status\":\"").append(live ? "LIVE" : "DOWN")
            .append("\",");
        appendProblems(body, fatal);
        return new HttpEndpoint.Response(live ? 200 : 503, "application/json", body.toString());
    }

    private static void appendProblems(final StringBuilder body, final List<String> problems) {
        body.append("\"problems\":[");
        for (int i = 0; i < problems.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"");
            appendEscaped(body, problems.get(i));
            body.append('"');
        }
        body.append("]}\n");
    }

    /**
     * The cluster page ({@code /cluster} on the health port): this node, the members, and for every Raft group this
     * node hosts its role, term, leader, commit/applied/last index and, on the leader, each follower's lag in
     * entries. 404 on a single node.
     */
    static HttpEndpoint.Response cluster(final LoomCacheNode node) {
        final ClusterMembers members = node.context().members();
        if (members == null) {
            return new HttpEndpoint.Response(404, "application/json",
                "{\"error\":\"not a cluster member (no LOOMCACHE_NODES)\"}\n");
        }
        final StringBuilder body = new StringBuilder(1024).append("{\"node\":\"").append(members.self().name())
            .append("\",\"nodeId\":").append(members.self().id())
            .append(",\"ready\":").append(node.clusterProblem() == null)
            .append(",\"members\":[");
        for (int i = 0; i < members.size(); i++) {
            final ClusterMembers.Member member = members.members().get(i);
            body.append(i == 0 ? "" : ",").append("{\"name\":\"").append(member.name()).append("\",\"id\":")
                .append(member.id()).append(",\"address\":\"").append(member.address()).append("\",\"self\":")
                .append(i == members.selfIndex()).append(",\"linked\":")
                .append(i == members.selfIndex() || node.peerLinked(member.id())).append('}');
        }
        body.append("],\"groups\":[");
        boolean first = true;
        for (final ReplicatedPartitions.Group group : node.raftGroups()) {
            final ClusterMembers.Member leader = members.byId(group.leaderId());
            body.append(first ? "" : ",").append("{\"group\":").append(group.id()).append(",\"role\":\"")
                .append(ReplicatedPartitions.roleName(group.role())).append("\",\"term\":").append(group.term())
                .append(",\"leader\":").append(leader == null ? "null" : "\"" + leader.name() + "\"")
                .append(",\"commitIndex\":").append(group.commitIndex())
                .append(",\"appliedIndex\":").append(group.appliedIndex())
                .append(",\"lastIndex\":").append(group.lastIndex()).append(",\"lag\":{");
            final long[] lag = group.lag();
            boolean firstLag = true;
            for (int i = 0; i < lag.length; i++) {
                if (lag[i] >= 0) {
                    body.append(firstLag ? "" : ",").append('"').append(members.members().get(i).name())
                        .append("\":").append(lag[i]);
                    firstLag = false;
                }
            }
            body.append("}}");
            first = false;
        }
        body.append("]}\n");
        return new HttpEndpoint.Response(200, "application/json", body.toString());
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
