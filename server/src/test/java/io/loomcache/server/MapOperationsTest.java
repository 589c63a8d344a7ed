package io.loomcache.server;

import static io.loomcache.server.RawClient.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.MapRequestDescriptor;
import io.loomcache.protocol.Opcodes;

class MapOperationsTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    private LoomCacheNode node;
    private final CachedEpochClock clock = TestNodes.epochClockAt(1_000_000L);

    private RawClient start(final String transport) throws Exception {
        node = nodes.start(nodes.context(transport).epochClock(clock));
        return new RawClient(node.port());
    }

    /** A newer client's frame: an int64 field appended after the last field this server knows. */
    private static byte[] newer(final byte[] frame) {
        final byte[] grown = Arrays.copyOf(frame, frame.length + Long.BYTES);
        final UnsafeBuffer view = new UnsafeBuffer(grown);
        view.putLong(frame.length, 0x7E57_F1E1_D000_0002L, FrameHeaderDescriptor.BYTE_ORDER);
        view.putInt(FrameHeaderDescriptor.BODY_LENGTH_OFFSET, grown.length - FrameHeaderDescriptor.HEADER_LENGTH,
            FrameHeaderDescriptor.BYTE_ORDER);
        return grown;
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldAnswerANewerClientWhoseFramesCarryAnExtraTrailingField(final String transport) throws Exception {
        try (RawClient client = start(transport)) {
            final RawClient.Response hello = client.call(newer(client.hello(1)));
            assertEquals(Opcodes.HELLO_RESPONSE, hello.opcode());
            assertEquals(FrameHeaderDescriptor.MAX_VERSION, hello.number(), "the negotiated version");
            assertEquals(Opcodes.RESPONSE_OK,
                client.call(newer(client.frame(Opcodes.MAP_PUT, 2, 0, bytes("k"), null, bytes("v")))).opcode());
            final RawClient.Response value = client.call(newer(client.frame(Opcodes.MAP_GET, 3, 0, bytes("k"), null,
                null)));
            assertEquals(3, value.correlationId());
            assertEquals("v", value.valueAsString());
            assertEquals(1, client.call(newer(client.frame(Opcodes.MAP_SIZE, 4, 0, null, null, null))).number());
            assertEquals(Opcodes.RESPONSE_OK, client.call(newer(RawClient.header(0, 1, 0, Opcodes.PING, 5))).opcode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldPutGetRemoveAndCountOverTheWire(final String transport) throws Exception {
        try (RawClient client = start(transport)) {
            assertEquals(Opcodes.HELLO_RESPONSE, client.call(client.hello(1)).opcode());
            assertEquals(Opcodes.RESPONSE_OK, client.call(RawClient.header(0, 1, 0, Opcodes.PING, 2)).opcode());
            assertEquals(Opcodes.RESPONSE_NOT_FOUND, client.get(3, "k1").opcode());
            assertEquals(Opcodes.RESPONSE_OK, client.put(4, "k1", "v1", 0).opcode());
            final RawClient.Response value = client.get(5, "k1");
            assertEquals(Opcodes.RESPONSE_VALUE, value.opcode());
            assertEquals(5, value.correlationId());
            assertEquals("v1", value.valueAsString());
            assertEquals(Opcodes.RESPONSE_OK, client.put(6, "k1", "v2", 0).opcode());
            assertEquals("v2", client.get(7, "k1").valueAsString());
            for (int i = 0; i < 50; i++) {
                client.put(100 + i, "key-" + i, "value-" + i, 0);
            }
            assertEquals(51, client.call(client.frame(Opcodes.MAP_SIZE, 8, 0, null, null, null)).number());
            assertTrue(client.keyed(Opcodes.MAP_CONTAINS_KEY, 9, "key-7").bool());
            assertTrue(client.keyed(Opcodes.MAP_REMOVE, 10, "key-7").bool());
            assertFalse(client.keyed(Opcodes.MAP_REMOVE, 11, "key-7").bool());
            assertFalse(client.keyed(Opcodes.MAP_CONTAINS_KEY, 12, "key-7").bool());
            assertEquals(50, client.call(client.frame(Opcodes.MAP_SIZE, 13, 0, null, null, null)).number());
            assertEquals(Opcodes.RESPONSE_OK, client.call(client.frame(Opcodes.MAP_CLEAR, 14, 0, null, null, null))
                .opcode());
            assertEquals(0, client.call(client.frame(Opcodes.MAP_SIZE, 15, 0, null, null, null)).number());
            assertEquals(Opcodes.RESPONSE_NOT_FOUND, client.get(16, "k1").opcode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldApplyPutIfAbsentAndCompareAndSet(final String transport) throws Exception {
        try (RawClient client = start(transport)) {
            final byte[] key = bytes("cas");
            assertTrue(client.call(client.frame(Opcodes.MAP_PUT_IF_ABSENT, 1, 0, key, null, bytes("a"))).bool());
            assertFalse(client.call(client.frame(Opcodes.MAP_PUT_IF_ABSENT, 2, 0, key, null, bytes("b"))).bool());
            assertEquals("a", client.get(3, "cas").valueAsString());
            assertFalse(client.call(client.frame(Opcodes.MAP_REPLACE, 4, 0, key, bytes("x"), bytes("c"))).bool());
            assertTrue(client.call(client.frame(Opcodes.MAP_REPLACE, 5, 0, key, bytes("a"), bytes("c"))).bool());
            assertEquals("c", client.get(6, "cas").valueAsString());
            assertFalse(client.call(client.frame(Opcodes.MAP_REPLACE, 7, 0, bytes("absent"), bytes("a"),
                bytes("c"))).bool());
            final byte[] big = new byte[20_000];
            big[123] = 7;
            assertEquals(Opcodes.RESPONSE_OK, client.call(client.frame(Opcodes.MAP_PUT, 8, 0, key, null, big))
                .opcode());
            assertArrayEquals(big, client.get(9, "cas").value());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldExpireEntriesWhenTheirTtlRunsOut(final String transport) throws Exception {
        try (RawClient client = start(transport)) {
            assertEquals(Opcodes.RESPONSE_OK, client.put(1, "ttl", "v", 1_000).opcode());
            assertEquals(1_000, client.keyed(Opcodes.MAP_TTL, 2, "ttl").number());
            clock.advance(400);
            assertEquals(600, client.keyed(Opcodes.MAP_TTL, 3, "ttl").number());
            assertTrue(client.call(client.frame(Opcodes.MAP_REPLACE, 4, 0, bytes("ttl"), bytes("v"), bytes("w")))
                .bool());
            assertEquals(600, client.keyed(Opcodes.MAP_TTL, 5, "ttl").number(), "replace keeps the TTL");
            clock.advance(599);
            assertEquals("w", client.get(6, "ttl").valueAsString());
            clock.advance(1);
            assertEquals(Opcodes.RESPONSE_NOT_FOUND, client.get(7, "ttl").opcode());
            assertEquals(Opcodes.RESPONSE_NOT_FOUND, client.keyed(Opcodes.MAP_TTL, 8, "ttl").opcode());

            client.put(9, "forever", "v", 0);
            assertEquals(0, client.keyed(Opcodes.MAP_TTL, 10, "forever").number());
            assertTrue(client.call(client.frame(Opcodes.MAP_EXPIRE, 11, 50, bytes("forever"), null, null)).bool());
            assertEquals(50, client.keyed(Opcodes.MAP_TTL, 12, "forever").number());
            assertFalse(client.call(client.frame(Opcodes.MAP_EXPIRE, 13, 50, bytes("nothing"), null, null)).bool());
            clock.advance(50);
            assertFalse(client.keyed(Opcodes.MAP_CONTAINS_KEY, 14, "forever").bool());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldServeTheRedisReadModifyWritesOverTheWire(final String transport) throws Exception {
        try (RawClient client = start(transport)) {
            final byte[] counter = bytes("counter");
            assertEquals(-5, client.call(client.frame(Opcodes.MAP_INCREMENT, 1, -5, counter, null, null)).number());
            assertEquals(5, client.call(client.frame(Opcodes.MAP_INCREMENT, 2, 10, counter, null, null)).number());
            assertEquals("5", client.get(3, "counter").valueAsString());
            client.put(4, "text", "abc", 0);
            assertEquals(ErrorCode.NOT_AN_INTEGER,
                client.call(client.frame(Opcodes.MAP_INCREMENT, 5, 1, bytes("text"), null, null)).errorCode());
            assertEquals(6, client.call(client.frame(Opcodes.MAP_APPEND, 6, 0, bytes("text"), null, bytes("def")))
                .number());
            assertEquals("abcdef", client.call(client.frame(Opcodes.MAP_GET_AND_PUT, 7, 1_000, bytes("text"), null,
                bytes("new"))).valueAsString());
            assertEquals(1_000, client.keyed(Opcodes.MAP_TTL, 8, "text").number());
            assertTrue(client.call(client.frame(Opcodes.MAP_PUT_IF_PRESENT, 9, 2_000, bytes("text"), null,
                bytes("xx"))).bool());
            assertEquals(Opcodes.RESPONSE_OK, client.call(client.frame(Opcodes.MAP_PUT_KEEP_TTL, 10, 0, bytes("text"),
                null, bytes("kept"))).opcode());
            assertEquals(2_000, client.keyed(Opcodes.MAP_TTL, 11, "text").number());
            assertEquals(6, client.call(client.frame(Opcodes.MAP_SET_RANGE, 12, 4, bytes("text"), null, bytes("!!")))
                .number());
            assertTrue(client.keyed(Opcodes.MAP_PERSIST, 13, "text").bool());
            assertEquals(0, client.keyed(Opcodes.MAP_TTL, 14, "text").number());
            assertEquals("kept!!", client.keyed(Opcodes.MAP_GET_AND_REMOVE, 15, "text").valueAsString());
            assertEquals(Opcodes.RESPONSE_NOT_FOUND, client.get(16, "text").opcode());

            final byte[] negativeOffset = client.frame(Opcodes.MAP_SET_RANGE, 17, 0, counter, null, bytes("x"));
            new UnsafeBuffer(negativeOffset).putLong(FrameHeaderDescriptor.HEADER_LENGTH +
                MapRequestDescriptor.TTL_MS_OFFSET, -1L, FrameHeaderDescriptor.BYTE_ORDER);
            assertEquals(ErrorCode.INVALID_ARGUMENT, client.call(negativeOffset).errorCode());
            assertEquals("5", client.get(18, "counter").valueAsString(), "nothing changed, the connection stays");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void shouldAnswerRequestErrorsAndKeepTheConnection(final String transport) throws Exception {
        try (RawClient client = start(transport)) {
            final byte[] otherMap = client.frame(Opcodes.MAP_GET, 1, 0, bytes("k"), null, null);
            otherMap[16] = 5;
            final RawClient.Response wrongMap = client.call(otherMap);
            assertEquals(ErrorCode.INVALID_ARGUMENT, wrongMap.errorCode());
            assertEquals("only map 0 is served by this version", wrongMap.text());
            final byte[] queueSize = new byte[20];
            System.arraycopy(RawClient.header(4, 1, 0, Opcodes.QUEUE_SIZE, 2), 0, queueSize, 0, 16);
            assertEquals(ErrorCode.UNSUPPORTED_OPERATION, client.call(queueSize).errorCode());
            assertEquals(Opcodes.RESPONSE_OK, client.put(3, "still", "open", 0).opcode());
            final RawClient.Response unexpected = client.call(RawClient.header(0, 1, 0, Opcodes.RESPONSE_OK, 4));
            assertEquals(ErrorCode.UNEXPECTED_OPCODE, unexpected.errorCode());
            assertEquals(4, unexpected.correlationId());
            assertEquals("open", client.get(5, "still").valueAsString());
        }
    }
}
