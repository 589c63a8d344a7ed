package io.loomcache.server;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.Await;

/**
 * A real cluster of node JVMs on loopback for tests: fixed ports picked free at construction (client and health),
 * members named n0, n1, ..., data under {@code workDir/node-i}. Nodes start, are killed with SIGKILL, stopped and
 * continued with SIGSTOP/SIGCONT, restarted on the same data or wiped. Closing kills every node still running.
 */
final class ClusterProcesses implements AutoCloseable {
    private final Path workDir;
    private final int[] ports;
    private final int[] healthPorts;
    private final NodeProcess[] nodes;
    private final String members;
    private final List<String> extraFlags;

    ClusterProcesses(final Path workDir, final int size, final String... extraFlags) throws IOException {
        this.workDir = workDir;
        this.ports = new int[size];
        this.healthPorts = new int[size];
        this.nodes = new NodeProcess[size];
        this.extraFlags = List.of(extraFlags);
        // Ports below the ephemeral range (32768-60999 on Linux): a port picked free here stays free until the
        // node binds it, since no other test is handed it as an ephemeral port meanwhile.
        final java.util.Set<Integer> taken = new java.util.HashSet<>();
        for (int i = 0; i < size; i++) {
            ports[i] = freePort(taken);
            healthPorts[i] = freePort(taken);
        }
        final StringBuilder list = new StringBuilder();
        for (int i = 0; i < size; i++) {
            list.append(i == 0 ? "" : ",").append(name(i)).append("@127.0.0.1:").append(ports[i]);
        }
        this.members = list.toString();
    }

    private static int freePort(final java.util.Set<Integer> taken) throws IOException {
        final java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            final int port = 20_000 + random.nextInt(10_000);
            if (taken.contains(port)) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(false);
                probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                taken.add(port);
                return port;
            } catch (final IOException inUse) {
                // try another
            }
        }
        throw new IOException("no free port in 20000-29999");
    }

    static String name(final int i) {
        return "n" + i;
    }

    /** Starts every node (each waits for its own serving line, not for the cluster). */
    ClusterProcesses startAll() throws Exception {
        for (int i = 0; i < nodes.length; i++) {
            start(i);
        }
        return this;
    }

    void start(final int i) throws Exception {
        final List<String> flags = new ArrayList<>(List.of("--node-id", name(i), "--nodes", members,
            "--port", Integer.toString(ports[i]), "--health-port", Integer.toString(healthPorts[i]),
            "--data-dir", workDir.resolve("node-" + i).toString(), "--raft-groups", "6"));
        flags.addAll(extraFlags);
        nodes[i] = NodeProcess.start(workDir, flags.toArray(String[]::new));
    }

    void kill(final int i) throws Exception {
        nodes[i].signal("KILL");
        nodes[i].awaitExit(30_000);
        nodes[i].close();
        nodes[i] = null;
    }

    /** SIGTERM: a graceful shutdown; returns the node's exit status and keeps its output readable. */
    int terminate(final int i) throws Exception {
        nodes[i].signal("TERM");
        return nodes[i].awaitExit(30_000);
    }

    void signal(final int i, final String signal) throws Exception {
        nodes[i].signal(signal);
    }

    void wipe(final int i) throws IOException {
        final Path directory = workDir.resolve("node-" + i);
        if (java.nio.file.Files.exists(directory)) {
            try (var paths = java.nio.file.Files.walk(directory)) {
                for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(path);
                }
            }
        }
    }

    boolean running(final int i) {
        return nodes[i] != null;
    }

    int port(final int i) {
        return ports[i];
    }

    /** @return node i's Redis port (ephemeral, read from its serving line). */
    int respPort(final int i) {
        return nodes[i].respPort();
    }

    int size() {
        return nodes.length;
    }

    String output(final int i) throws IOException {
        return nodes[i].output();
    }

    /** The /cluster page of a node, or null when it does not answer. */
    String clusterPage(final int i) {
        return http(healthPorts[i], "/cluster");
    }

    /** The /metrics page of a node, or null when it does not answer. */
    String metrics(final int i) {
        return nodes[i] == null ? null : http(nodes[i].metricsPort(), "/metrics");
    }

    /**
     * /health's status, -1 when the node does not answer. A connection per call (not the tests' shared {@code Http}
     * client): a pooled connection to a node that was killed and restarted on the same port would be stale.
     */
    int healthStatus(final int i) {
        try {
            final HttpURLConnection connection = connect(healthPorts[i], "/health");
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (final IOException ex) {
            return -1;
        }
    }

    /** Waits until every running node answers /health 200 (its groups know their leaders). */
    void awaitReady() throws Exception {
        Await.until("every running node to be ready", 60_000, () -> {
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i] != null && healthStatus(i) != 200) {
                    return false;
                }
            }
            return true;
        });
    }

    private static HttpURLConnection connect(final int port, final String path) throws IOException {
        final HttpURLConnection connection = (HttpURLConnection)URI.create("http://127.0.0.1:" + port + path).toURL()
            .openConnection();
        connection.setConnectTimeout(1_000);
        connection.setReadTimeout(2_000);
        return connection;
    }

    private static String http(final int port, final String path) {
        try {
            final HttpURLConnection connection = connect(port, path);
            try (var in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                connection.disconnect();
            }
        } catch (final IOException ex) {
            return null;
        }
    }

    /**
     * Sends one keyed request and follows redirects (and waits out elections) until a node answers it or the
     * deadline passes; a connection that fails before the request was written moves on to the next node.
     *
     * @return the answer; OUTCOME_UNKNOWN and a lost connection after the write are answers too (the caller
     *     decides).
     */
    RawClient.Response call(final int opcode, final long correlationId, final String key, final String value,
        final long timeoutMs) throws Exception {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        int target = 0;
        long backoffMs = 10;
        while (System.nanoTime() - deadline < 0) {
            if (nodes[target] == null && !portOpen(ports[target])) {
                target = (target + 1) % nodes.length;
                continue;
            }
            final RawClient.Response response;
            try (RawClient client = new RawClient(ports[target])) {
                client.send(client.frame(opcode, correlationId, 0, RawClient.bytes(key), null,
                    value == null ? null : RawClient.bytes(value)));
                try {
                    response = client.read();
                } catch (final IOException lost) {
                    return new RawClient.Response(Opcodes.RESPONSE_ERROR, correlationId, ErrorCode.OUTCOME_UNKNOWN,
                        "connection lost after the request was written: " + lost, false, 0, null);
                }
            } catch (final IOException notConnected) {
                target = (target + 1) % nodes.length;
                Thread.sleep(backoffMs);
                continue;
            }
            if (response.opcode() == Opcodes.RESPONSE_REDIRECT) {
                final int port = response.text() == null || response.text().isEmpty() ? -1 :
                    Integer.parseInt(response.text().substring(response.text().lastIndexOf(':') + 1));
                final int next = indexOfPort(port);
                if (next < 0) {
                    Thread.sleep(backoffMs);
                    backoffMs = Math.min(200, backoffMs * 2);
                    target = (target + 1) % nodes.length;
                } else {
                    target = next;
                }
                continue;
            }
            if (response.opcode() == Opcodes.RESPONSE_SERVER_BUSY) {
                Thread.sleep(backoffMs);
                continue;
            }
            return response;
        }
        throw new AssertionError("no answer within " + timeoutMs + " ms for " + key);
    }

    private int indexOfPort(final int port) {
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] == port) {
                return i;
            }
        }
        return -1;
    }

    private static boolean portOpen(final int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (final IOException ex) {
            return false;
        }
    }

    @Override
    public void close() {
        for (final NodeProcess node : nodes) {
            if (node != null) {
                node.close();
            }
        }
    }
}
