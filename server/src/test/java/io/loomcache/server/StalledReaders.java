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
 */
final class StalledReaders implements AutoCloseable {
    private final List<RawClient> clients = new ArrayList<>();

    StalledReaders(final int port, final int count, final String key) throws IOException {
        try {
            for (int c = 0; c < count; c++) {
                final RawClient client = new RawClient(port);
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
