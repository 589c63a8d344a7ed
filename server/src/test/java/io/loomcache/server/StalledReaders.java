package io.loomcache.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.loomcache.protocol.Opcodes;

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

    private final List<RawClient> clients = new ArrayList<>();

    StalledReaders(final int port, final int count, final String key) throws IOException {
        try {
            for (int c = 0; c < count; c++) {
                final RawClient client = new RawClient(port, null, "127.0.0.1", RECEIVE_BUFFER_BYTES);
                clients.add(client);
                final byte[] get = client.frame(Opcodes.MAP_GET, 1, 0, RawClient.bytes(key), null, null);
                final ByteArrayOutputStream flood = new ByteArrayOutputStream();
                for (int i = 0; i < 2_000; i++) {
                    flood.write(get);
                }
                client.send(flood.toByteArray());
            }
        } catch (final IOException | RuntimeException ex) {
            close();
            throw ex;
        }
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
