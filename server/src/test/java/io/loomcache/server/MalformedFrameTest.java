package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.server.connection.Connection;
import io.loomcache.server.log.NodeLog;
import io.loomcache.testkit.Await;

class MalformedFrameTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;

    private void start(final String transport) throws Exception {
        node = nodes.start(nodes.context(transport).readTimeoutMs(300));
    }

    private void assertErrorThenClose(final byte[] bytes, final int errorCode, final long correlationId)
        throws Exception {
        try (RawClient bystander = new RawClient(node.port()); RawClient client = new RawClient(node.port())) {
            assertEquals(Opcodes.RESPONSE_OK, bystander.put(1, "k", "v", 0).opcode());
            client.send(bytes);
            final RawClient.Response error = client.read();
            assertEquals(Opcodes.RESPONSE_ERROR, error.opcode());
            assertEquals(errorCode, error.errorCode(), "error " + error.text());
            assertEquals(correlationId, error.correlationId());
            assertTrue(client.awaitClosedByServer(), "the server must close the connection");
            assertEquals("v", bystander.get(2, "k").valueAsString(), "other clients are unaffected");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldRejectFrameLongerThanMaxFrameLengthWithItsCorrelationId(final String transport) throws Exception {
        start(transport);
        assertErrorThenClose(RawClient.header(10_000_000, 1, 0, Opcodes.MAP_GET, 77), ErrorCode.FRAME_TOO_LONG, 77);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldRejectNegativeBodyLength(final String transport) throws Exception {
        start(transport);
        assertErrorThenClose(RawClient.header(-5, 1, 0, Opcodes.MAP_GET, 78), ErrorCode.MALFORMED_FRAME, 78);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldRejectGarbageBytes(final String transport) throws Exception {
        start(transport);
        final byte[] garbage = new byte[64];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte)(i * 37 + 11);
        }
        assertErrorThenClose(garbage, ErrorCode.UNSUPPORTED_VERSION, correlation(garbage));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldRejectUnknownOpcodeAfterAValidFrameSplitAcrossWrites(final String transport) throws Exception {
        start(transport);
        try (RawClient client = new RawClient(node.port())) {
            final byte[] put = client.frame(Opcodes.MAP_PUT, 5, 0, RawClient.bytes("a"), null, RawClient.bytes("b"));
            final byte[] unknown = RawClient.header(0, 1, 0, 0x0999, 6);
            final byte[] both = new byte[put.length + unknown.length];
            System.arraycopy(put, 0, both, 0, put.length);
            System.arraycopy(unknown, 0, both, put.length, unknown.length);
            final int split = put.length + 10;
            client.send(Arrays.copyOfRange(both, 0, split));
            assertEquals(Opcodes.RESPONSE_OK, client.read().opcode());
            client.send(Arrays.copyOfRange(both, split, both.length));
            final RawClient.Response error = client.read();
            assertEquals(ErrorCode.UNKNOWN_OPCODE, error.errorCode());
            assertEquals(6, error.correlationId(), "correlation id read across the two writes");
            assertTrue(client.awaitClosedByServer());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldCloseATruncatedFrameThatStaysIdlePastTheReadTimeout(final String transport) throws Exception {
        start(transport);
        try (RawClient client = new RawClient(node.port())) {
            final byte[] put = client.frame(Opcodes.MAP_PUT, 9, 0, RawClient.bytes("a"), null, RawClient.bytes("b"));
            client.send(Arrays.copyOf(put, put.length - 3));
            final RawClient.Response error = client.read();
            assertEquals(ErrorCode.TIMEOUT, error.errorCode());
            assertEquals(0, error.correlationId());
            assertTrue(client.awaitClosedByServer());
        }
    }

    /** The clocks and the log come from the context: the read deadline fires when the injected clock says so. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldTimeOutATruncatedFrameByTheContextsClockAndLogToTheContextsLog(final String transport)
        throws Exception {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        final ByteArrayOutputStream logged = new ByteArrayOutputStream();
        node = nodes.start(nodes.context(transport).readTimeoutMs(60_000).nanoClock(clock)
            .log(new NodeLog(new PrintStream(logged, true, StandardCharsets.UTF_8), SystemEpochClock.INSTANCE,
                clock)));
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains(" INFO node serving on 127.0.0.1:"),
            logged.toString(StandardCharsets.UTF_8));
        try (RawClient client = new RawClient(node.port())) {
            final byte[] put = client.frame(Opcodes.MAP_PUT, 9, 0, RawClient.bytes("a"), null, RawClient.bytes("b"));
            client.send(Arrays.copyOf(put, put.length - 3));
            Await.until("the reader to see the partial frame", 10_000, () -> {
                for (int slot = 0; slot < node.connections().slotBound(); slot++) {
                    final Connection connection = node.connections().at(slot);
                    if (connection != null && connection.partialFrameSinceMs() != 0) {
                        return true;
                    }
                }
                return false;
            });
            clock.advance(60_001_000_000L);
            final RawClient.Response error = client.read();
            assertEquals(ErrorCode.TIMEOUT, error.errorCode());
            assertTrue(client.awaitClosedByServer());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldRejectAMalformedMapBody(final String transport) throws Exception {
        start(transport);
        final byte[] frame = new byte[FrameHeaderDescriptor.HEADER_LENGTH + 8];
        System.arraycopy(RawClient.header(8, 1, 0, Opcodes.MAP_GET, 31), 0, frame, 0, 16);
        frame[20] = 100;
        assertErrorThenClose(frame, ErrorCode.MALFORMED_FRAME, 31);
    }

    private static long correlation(final byte[] frame) {
        long value = 0;
        for (int i = FrameHeaderDescriptor.CORRELATION_ID_OFFSET + 7; i >= FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
            i--) {
            value = (value << 8) | (frame[i] & 0xFF);
        }
        return value;
    }
}
