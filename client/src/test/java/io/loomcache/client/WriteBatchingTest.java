package io.loomcache.client;

import static io.loomcache.client.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.MapRequestDescriptor;
import io.loomcache.protocol.Opcodes;

class WriteBatchingTest {
    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void shouldWriteEveryRequestQueuedDuringAWriteWithOneWriteCall() throws IOException, InterruptedException {
        final int requests = 100;
        final ClientContext context = server.context().conclude();
        try (SocketChannel socket = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
            final GatedChannel channel = new GatedChannel(socket);
            final Connection connection = Connection.establish(context, "test", channel);
            try {
                channel.closeGate();
                final PendingRequest<Long> ping = request(Opcodes.PING, ResponseMappers.ROUND_TRIP_NS);
                connection.send(ping);
                assertTrue(channel.awaitWriterBlocked());

                final List<CompletableFuture<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    final PendingRequest<Boolean> contains = request(Opcodes.MAP_CONTAINS_KEY, ResponseMappers.BOOLEAN)
                        .key(new UnsafeBuffer(utf8(String.format("k%02d", i))), 0, 3);
                    connection.send(contains);
                    results.add(contains.future());
                }
                channel.openGate();
                ping.future().join();
                CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();

                final int frameLength = (int)MapRequestDescriptor.frameLength(Opcodes.MAP_CONTAINS_KEY, 3, 0, 0);
                final List<Integer> writes = channel.writeLengths();
                assertEquals(3, writes.size(), writes::toString);
                assertEquals(FrameHeaderDescriptor.HEADER_LENGTH, writes.get(1));
                assertEquals(requests * frameLength, writes.get(2));
                assertEquals(requests, server.mapRequests());
            } finally {
                connection.closeAndJoin(new LoomConnectionException("test over"));
            }
        }
    }

    private static <T> PendingRequest<T> request(final int opcode, final ResponseMapper<T> mapper) {
        return new PendingRequest<>(opcode, mapper, System.nanoTime() + 10_000_000_000L);
    }
}
