package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.Await;

/**
 * A client that reads every answer but keeps offering more than the executors serve within the queue-delay budget
 * (bounded: until the first SERVER_BUSY, 5 M requests or 20 s): the node sheds with SERVER_BUSY instead of letting
 * requests wait in its (large) rings, and serves again afterwards.
 */
class QueueDelayBackpressureTest {
    private static final int CHUNK = 5_000;
    private static final long MAX_REQUESTS = 5_000_000;

    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldShedWithServerBusyWhenRequestsWaitLongerThanTheBudgetThenRecover(final String transport)
        throws Exception {
        node = nodes.start(nodes.context(transport).queueDelayBudgetMs(1));
        try (RawClient flooder = new RawClient(node.port()); RawClient polite = new RawClient(node.port())) {
            final ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            for (int i = 1; i <= CHUNK; i++) {
                chunk.write(flooder.frame(Opcodes.MAP_PUT, i, 0, RawClient.bytes("key-" + (i % 1000)), null,
                    RawClient.bytes("value-" + i)));
            }
            final byte[] frames = chunk.toByteArray();
            final AtomicBoolean busySeen = new AtomicBoolean();
            final AtomicBoolean sending = new AtomicBoolean(true);
            final AtomicLong sent = new AtomicLong();
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            final Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    while (!busySeen.get() && sent.get() < MAX_REQUESTS && System.nanoTime() < deadlineNs) {
                        flooder.send(frames);
                        sent.addAndGet(CHUNK);
                    }
                } catch (final Exception ex) {
                    throw new IllegalStateException(ex);
                } finally {
                    sending.set(false);
                }
            });
            long busy = 0;
            long ok = 0;
            long answered = 0;
            while (sending.get() || answered < sent.get()) {
                final int opcode = flooder.read().opcode();
                answered++;
                if (opcode == Opcodes.RESPONSE_SERVER_BUSY) {
                    busy++;
                    busySeen.set(true);
                } else if (opcode == Opcodes.RESPONSE_OK) {
                    ok++;
                }
            }
            sender.join();
            assertEquals(sent.get(), busy + ok, "every request is answered, either served or refused as busy");
            assertTrue(busy > 0, "a sustained overload is shed once requests wait longer than the budget");
            assertTrue(ok > 0, "the node kept serving while shedding");
            Await.until("service to recover when the flood is over", 20_000,
                () -> polite.put(1, "after", "flood", 0).opcode() == Opcodes.RESPONSE_OK);
        }
    }
}
