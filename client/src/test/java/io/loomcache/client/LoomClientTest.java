package io.loomcache.client;

import static io.loomcache.client.Bytes.text;
import static io.loomcache.client.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.ProtocolLimits;

class LoomClientTest {
    @RegisterExtension
    final TestServer server = new TestServer();

    private LoomClient client;
    private LoomBlockingClient blocking;

    @BeforeEach
    void start() throws IOException {
        client = LoomClient.connect(server.context());
        blocking = client.blocking();
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void shouldPutThenGetValue() {
        client.put(utf8("k"), utf8("v1")).join();

        assertEquals("v1", text(client.get(utf8("k")).join()));
        assertEquals(0, server.lastTtlMs());
    }

    @Test
    void shouldReturnNullForMissingKey() {
        assertNull(client.get(utf8("absent")).join());
    }

    @Test
    void shouldSendTtlWithPutAndPutIfAbsent() {
        client.put(utf8("k"), utf8("v"), 10_000).join();
        assertEquals(10_000, server.lastTtlMs());

        assertTrue(client.putIfAbsent(utf8("other"), utf8("v"), 2_500).join());
        assertEquals(2_500, server.lastTtlMs());
    }

    @Test
    void shouldStoreOnlyAbsentKeysWithPutIfAbsent() {
        assertTrue(client.putIfAbsent(utf8("k"), utf8("first")).join());
        assertFalse(client.putIfAbsent(utf8("k"), utf8("second")).join());

        assertEquals("first", blocking.getString("k"));
    }

    @Test
    void shouldReplaceOnlyWhenExpectedValueMatches() {
        blocking.putString("k", "old");

        assertFalse(client.replace(utf8("k"), utf8("wrong"), utf8("new")).join());
        assertEquals("old", blocking.getString("k"));
        assertTrue(client.replace(utf8("k"), utf8("old"), utf8("new")).join());
        assertEquals("new", blocking.getString("k"));
        assertFalse(client.replace(utf8("absent"), utf8("old"), utf8("new")).join());
    }

    @Test
    void shouldRemoveAndReportPresence() {
        blocking.putString("k", "v");

        assertTrue(client.containsKey(utf8("k")).join());
        assertTrue(client.remove(utf8("k")).join());
        assertFalse(client.remove(utf8("k")).join());
        assertFalse(client.containsKey(utf8("k")).join());
    }

    @Test
    void shouldCountAndClearEntries() {
        for (int i = 0; i < 5; i++) {
            blocking.putString("k" + i, "v");
        }

        assertEquals(5L, client.size().join());
        client.clear().join();
        assertEquals(0L, client.size().join());
    }

    @Test
    void shouldMeasurePingRoundTrip() {
        final long roundTripNs = client.ping().join();

        assertTrue(roundTripNs > 0);
        assertEquals(1, server.pings());
    }

    @Test
    void shouldUseBufferApiWithOffsets() {
        final UnsafeBuffer source = new UnsafeBuffer(utf8("..key..value.."));
        client.put(source, 2, 3, source, 7, 5, 0).join();
        assertEquals("value", text(server.stored("key")));

        final ExpandableArrayBuffer destination = new ExpandableArrayBuffer(1);
        assertEquals(5, client.get(source, 2, 3, destination, 4).join());
        assertEquals("value", destination.getStringWithoutLengthUtf8(4, 5));
        assertEquals(LoomClient.NOT_FOUND, client.get(source, 0, 2, destination, 0).join());

        assertTrue(client.putIfAbsent(source, 0, 2, source, 7, 5, 0).join());
        assertTrue(client.replace(source, 0, 2, source, 7, 5, source, 2, 3).join());
        assertEquals("key", text(server.stored("..")));
        assertTrue(client.containsKey(source, 0, 2).join());
        assertTrue(client.remove(source, 0, 2).join());
    }

    @Test
    void shouldFailGetIntoBufferTooSmallWithoutLosingConnection() {
        blocking.putString("k", "a-long-value");
        final UnsafeBuffer key = new UnsafeBuffer(utf8("k"));

        final LoomErrorException error = assertThrows(LoomErrorException.class,
            () -> blocking.get(key, 0, 1, new UnsafeBuffer(new byte[4]), 0));

        assertEquals(ErrorCode.VALUE_TOO_LONG, error.errorCode());
        assertEquals("a-long-value", blocking.getString("k"));
    }

    @Test
    void shouldRejectOutOfBoundsBufferArgumentsAtOnce() {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[4]);

        assertThrows(IndexOutOfBoundsException.class, () -> client.remove(key, 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> client.remove(key, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> client.put(utf8("k"), utf8("v"), -1));
        assertThrows(NullPointerException.class, () -> client.get((byte[])null));
    }

    @Test
    void shouldRefuseKeyLongerThanLimitWithoutSendingIt() {
        client.close();
        client = LoomClient.connect(server.context().limits(new ProtocolLimits(4096, 8, 1024)));

        final LoomErrorException error = assertThrows(LoomErrorException.class,
            () -> client.blocking().put(new byte[9], utf8("v")));

        assertEquals(ErrorCode.KEY_TOO_LONG, error.errorCode());
        assertEquals("KEY_TOO_LONG: key is longer than the maximum key length", error.getMessage());
        assertEquals(0, server.mapRequests());
    }

    @Test
    void shouldKeepFramesWithinTheServersMaxFrameLength() throws IOException {
        client.close();
        server.maxFrameLength(1024);
        client = LoomClient.connect(server.context());

        final LoomErrorException error = assertThrows(LoomErrorException.class,
            () -> client.blocking().put(utf8("k"), new byte[2000]));

        assertEquals(ErrorCode.FRAME_TOO_LONG, error.errorCode());
        assertEquals(1024, client.serverInfo().maxFrameLength());
        client.blocking().put(utf8("k"), new byte[900]);
        assertArrayEquals(new byte[900], server.stored("k"));
    }

    @Test
    void shouldReportServerInfoFromHello() {
        final ServerInfo info = client.serverInfo();

        assertEquals("127.0.0.1:" + server.port(), info.address());
        assertEquals(1, info.protocolVersion());
        assertEquals(7, info.nodeId());
        assertEquals(271, info.partitionCount());
        assertEquals(ProtocolLimits.DEFAULT_MAX_FRAME_LENGTH, info.maxFrameLength());
    }

    @Test
    void shouldFailRequestsAfterCloseWithConnectionException() {
        client.close();

        final LoomConnectionException error = assertThrows(LoomConnectionException.class, () -> blocking.ping());

        assertEquals("client closed", error.getMessage());
        assertFalse(client.isConnected());
    }
}
