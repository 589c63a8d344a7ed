package io.loomcache.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.loomcache.protocol.Opcodes;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.connection.ConnectionRegistry;
import io.loomcache.testkit.Await;

/**
 * Clients that pipeline many GETs of a large value and never read an answer: together they fill the node's unsent
 * bytes past a small outbound budget. One is not enough, since executors hold a connection's requests back once a
 * ring's worth of its answers is unsent; each adds about that much. Closed together.
 *
 * <p>Each has a small fixed receive buffer: with the kernel's autotuning a loopback socket's receive buffer grows to
 * {@code net.ipv4.tcp_rmem}'s maximum (32 MiB on the CI machine), so the kernel absorbed most of the flood's 60 MB
 * per client, most clients never stalled within the test's window and the node's unsent bytes stayed below the
 * watermark (the test then failed on that machine only).
 */
final class StalledReaders implements AutoCloseable {
    private static final int RECEIVE_BUFFER_BYTES = 16 * 1024;
    private static final long STILL_MS = 100;

    private final List<RawClient> clients = new ArrayList<>();
    private final int port;
    private final String key;

    StalledReaders(final int port, final int count, final String key) throws IOException {
        this.port = port;
        this.key = key;
        try {
            for (int c = 0; c < count; c++) {
                add();
            }
        } catch (final IOException | RuntimeException ex) {
            close();
            throw ex;
        }
    }

    /**
     * Opens one more client and sends its flood.
     *
     * @throws IOException if the connection fails.
     */
    void add() throws IOException {
        final RawClient client = new RawClient(port, null, "127.0.0.1", RECEIVE_BUFFER_BYTES);
        clients.add(client);
        final byte[] get = client.frame(Opcodes.MAP_GET, 1, 0, RawClient.bytes(key), null, null);
        final ByteArrayOutputStream flood = new ByteArrayOutputStream();
        for (int i = 0; i < 2_000; i++) {
            flood.write(get);
        }
        client.send(flood.toByteArray());
    }

    /**
     * The node's connections that are stalled now (as {@link #awaitStalled} means it); takes {@link #STILL_MS}.
     *
     * @param connections the node's connections.
     * @return how many.
     * @throws InterruptedException if interrupted while it waits.
     */
    static long stalled(final ConnectionRegistry connections) throws InterruptedException {
        final Map<Connection, Long> before = backlogged(connections);
        if (before.isEmpty()) {
            return 0;
        }
        Thread.sleep(STILL_MS);
        final Map<Connection, Long> after = backlogged(connections);
        return before.entrySet().stream().filter(e -> e.getValue().equals(after.get(e.getKey()))).count();
    }

    /**
     * Waits until {@code count} of the node's connections are stalled: more unsent than their outbound ring holds
     * (executors hold their requests back) and not one byte of it written in {@link #STILL_MS} ms, so the kernel's
     * socket buffers are full too. Seeing a response pending is not enough: the writer may not have run yet, and a
     * drain that starts then refuses the rest of the flood, whose few answers fit in the kernel's buffers, and ends at
     * once (CommandRulesTest and HealthAndMetricsTest raced that way).
     *
     * @param connections the node's connections.
     * @param count how many must be stalled.
     * @throws InterruptedException if interrupted while it waits.
     */
    static void awaitStalled(final ConnectionRegistry connections, final int count) throws InterruptedException {
        Await.until(count + " connection(s) to stall", 20_000, () -> stalled(connections) >= count);
    }

    private static Map<Connection, Long> backlogged(final ConnectionRegistry connections) {
        final Map<Connection, Long> pending = new HashMap<>();
        for (int slot = 0; slot < connections.slotBound(); slot++) {
            final Connection connection = connections.at(slot);
            if (connection != null && connection.isBacklogged()) {
                pending.put(connection, connection.pendingOutboundBytes());
            }
        }
        return pending;
    }

    @Override
    public void close() {
        for (final RawClient client : clients) {
            try {
                client.close();
            } catch (final IOException ignored) {
                // Closing a test socket; nothing to recover.
            }
        }
    }
}
