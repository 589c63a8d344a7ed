package io.loomcache.server.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.MapRequestDescriptor;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ResponseDecoder;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.connection.ConnectionRegistry;
import io.loomcache.server.metrics.ServerMetrics;
import io.loomcache.wal.FsyncPolicy;

/**
 * The Redis read-modify-write opcodes (INCRBY, APPEND, GETSET, GETDEL, SET XX, PERSIST, SETRANGE, SET KEEPTTL) run by
 * a real executor with its store and WAL: each answer and each edge case Redis defines, and each effect recovered
 * from the log after a restart, TTL deadlines included.
 */
class ReadModifyWriteTest {
    private static final long START_MS = 1_700_000_000_000L;
    private static final int MAX_FRAME_LENGTH = 64 * 1024;

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final ConnectionRegistry registry = new ConnectionRegistry(4);
    private final PartitionAgentTest.CapturingConnection connection =
        new PartitionAgentTest.CapturingConnection(1024 * 1024);
    private final FanOutTable fanOut = new FanOutTable(8);
    private final ResponseDelivery delivery = new ResponseDelivery(registry, fanOut, new ServerMetrics(),
        SystemNanoClock.INSTANCE);
    private ServerContext context;
    private PartitionAgent agent;
    private long correlationId;

    @BeforeEach
    void start() throws IOException {
        clock.update(START_MS);
        context = new ServerContext()
            .executors(1)
            .maxMemoryBytes(8L * 1024 * 1024)
            .maxFrameLength(MAX_FRAME_LENGTH)
            .persistenceEnabled(true)
            .dataDir(dir)
            .walSegmentLength(1024 * 1024)
            .walFsync(FsyncPolicy.BATCH)
            .snapshotEvery(0)
            .epochClock(clock)
            .conclude();
        assertTrue(registry.register(connection));
        agent = ExecutorGroup.createAgent(context, 0, delivery);
    }

    @AfterEach
    void close() {
        if (agent != null) {
            agent.onClose();
            agent = null;
        }
    }

    private void restart(final long downMs) throws IOException {
        agent.onClose();
        agent = null;
        clock.advance(downMs);
        agent = ExecutorGroup.createAgent(context, 0, delivery);
    }

    @Test
    void shouldIncrementAMissingKeyFromZeroWithoutTtlAndAcceptANegativeDelta() {
        assertEquals(5, call(Opcodes.MAP_INCREMENT, 5, "counter", (byte[])null).longResult());
        assertEquals("5", get("counter"));
        assertEquals(0, ttl("counter"));
        assertEquals(-2, call(Opcodes.MAP_INCREMENT, -7, "counter", (byte[])null).longResult());
        assertEquals("-2", get("counter"));
        assertEquals(0, call(Opcodes.MAP_INCREMENT, 2, "counter", (byte[])null).longResult());
        assertEquals("0", get("counter"));
        assertEquals(0, call(Opcodes.MAP_INCREMENT, 0, "counter", (byte[])null).longResult());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", " 1", "1 ", "01", "-0", "+1", "", "-", "1.5", "0x10", "00",
        "123456789012345678901", "9223372036854775808", "18446744073709551615", "-9223372036854775809",
        "18446744073709551616", "-00000000000000000001"})
    void shouldRefuseToIncrementAValueRedisDoesNotReadAsAnInteger(final String value) {
        put("key", value, 0);
        final ResponseDecoder response = call(Opcodes.MAP_INCREMENT, 1, "key", (byte[])null);
        assertEquals(Opcodes.RESPONSE_ERROR, response.opcode());
        assertEquals(ErrorCode.NOT_AN_INTEGER, response.errorCode());
        assertEquals("value is not an integer or out of range", response.errorMessageAsString());
        assertEquals(value, get("key"), "nothing changed");
    }

    @Test
    void shouldRefuseAnIncrementThatOverflowsAndLeaveTheValue() {
        put("max", "9223372036854775807", 0);
        assertEquals(ErrorCode.INTEGER_OVERFLOW, call(Opcodes.MAP_INCREMENT, 1, "max", (byte[])null).errorCode());
        assertEquals("9223372036854775807", get("max"));
        put("min", "-9223372036854775808", 0);
        assertEquals(ErrorCode.INTEGER_OVERFLOW, call(Opcodes.MAP_INCREMENT, -1, "min", (byte[])null).errorCode());
        assertEquals(ErrorCode.INTEGER_OVERFLOW,
            call(Opcodes.MAP_INCREMENT, Long.MIN_VALUE, "min", (byte[])null).errorCode());
        assertEquals(Long.MIN_VALUE, call(Opcodes.MAP_INCREMENT, 0, "min", (byte[])null).longResult());
        assertEquals(-1, call(Opcodes.MAP_INCREMENT, Long.MAX_VALUE, "min", (byte[])null).longResult());
        assertEquals("-1", get("min"));
        assertEquals(Long.MIN_VALUE, call(Opcodes.MAP_INCREMENT, Long.MIN_VALUE + 1, "min", (byte[])null)
            .longResult());
        assertEquals("-9223372036854775808", get("min"));
    }

    @Test
    void shouldKeepTheTtlOfAnIncrementedKeyAndCountAnExpiredOneAsMissing() {
        put("counter", "10", 5_000);
        clock.advance(1_000);
        assertEquals(11, call(Opcodes.MAP_INCREMENT, 1, "counter", (byte[])null).longResult());
        assertEquals(4_000, ttl("counter"));
        clock.advance(4_000);
        assertEquals(1, call(Opcodes.MAP_INCREMENT, 1, "counter", (byte[])null).longResult());
        assertEquals(0, ttl("counter"), "created again, without TTL");
    }

    @Test
    void shouldAppendToAMissingOrPresentKeyKeepingTheTtlUpToTheMaxValueLength() {
        assertEquals(5, call(Opcodes.MAP_APPEND, 0, "log", "Hello").longResult());
        assertEquals(0, ttl("log"));
        assertEquals(11, call(Opcodes.MAP_APPEND, 0, "log", " World").longResult());
        assertEquals("Hello World", get("log"));
        assertEquals(0, call(Opcodes.MAP_APPEND, 0, "empty", "").longResult());
        assertEquals("", get("empty"), "APPEND of nothing creates the key, as in Redis");

        put("ttl", "a", 3_000);
        clock.advance(1_000);
        assertEquals(2, call(Opcodes.MAP_APPEND, 0, "ttl", "b").longResult());
        assertEquals(2_000, ttl("ttl"));

        final String half = "x".repeat(40_000);
        assertEquals(40_000, call(Opcodes.MAP_APPEND, 0, "big", half).longResult());
        assertEquals(ErrorCode.VALUE_TOO_LONG, call(Opcodes.MAP_APPEND, 0, "big", half).errorCode());
        assertEquals(half, get("big"), "nothing changed");
    }

    @Test
    void shouldGetAndPutWithTheRequestsTtl() {
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET_AND_PUT, 0, "key", "first").opcode());
        assertEquals("first", get("key"));
        final ResponseDecoder previous = call(Opcodes.MAP_GET_AND_PUT, 3_000, "key", "second");
        assertEquals(Opcodes.RESPONSE_VALUE, previous.opcode());
        assertEquals("first", previous.valueAsString());
        assertEquals("second", get("key"));
        assertEquals(3_000, ttl("key"));
        assertEquals("second", call(Opcodes.MAP_GET_AND_PUT, 0, "key", "third").valueAsString());
        assertEquals(0, ttl("key"), "TTL 0 puts without TTL, as MAP_PUT does");
    }

    @Test
    void shouldGetAndRemove() {
        put("key", "value", 0);
        assertEquals("value", call(Opcodes.MAP_GET_AND_REMOVE, 0, "key", (byte[])null).valueAsString());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "key", (byte[])null).opcode());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND,
            call(Opcodes.MAP_GET_AND_REMOVE, 0, "key", (byte[])null).opcode());
    }

    @Test
    void shouldPutIfPresentOnlyOverALiveKey() {
        assertFalse(call(Opcodes.MAP_PUT_IF_PRESENT, 0, "key", "value").booleanResult());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "key", (byte[])null).opcode());
        put("key", "old", 100);
        assertTrue(call(Opcodes.MAP_PUT_IF_PRESENT, 2_000, "key", "new").booleanResult());
        assertEquals("new", get("key"));
        assertEquals(2_000, ttl("key"));
        clock.advance(2_000);
        assertFalse(call(Opcodes.MAP_PUT_IF_PRESENT, 0, "key", "newer").booleanResult(), "expired is absent");
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "key", (byte[])null).opcode());
    }

    @Test
    void shouldPersistOnlyAKeyWithATtl() {
        assertFalse(call(Opcodes.MAP_PERSIST, 0, "missing", (byte[])null).booleanResult());
        put("plain", "value", 0);
        assertFalse(call(Opcodes.MAP_PERSIST, 0, "plain", (byte[])null).booleanResult(), "no TTL to remove");
        put("expiring", "value", 1_000);
        assertTrue(call(Opcodes.MAP_PERSIST, 0, "expiring", (byte[])null).booleanResult());
        assertEquals(0, ttl("expiring"));
        assertFalse(call(Opcodes.MAP_PERSIST, 0, "expiring", (byte[])null).booleanResult());
        clock.advance(5_000);
        assertEquals("value", get("expiring"));
    }

    @Test
    void shouldSetRangePaddingWithZeroBytesAndKeepTheTtl() {
        put("greeting", "Hello World", 4_000);
        clock.advance(1_000);
        assertEquals(11, call(Opcodes.MAP_SET_RANGE, 6, "greeting", "Redis").longResult());
        assertEquals("Hello Redis", get("greeting"));
        assertEquals(3_000, ttl("greeting"));

        assertEquals(5, call(Opcodes.MAP_SET_RANGE, 3, "missing", "ab").longResult());
        assertArrayEquals(new byte[] {0, 0, 0, 'a', 'b'}, getBytes("missing"));
        assertEquals(0, ttl("missing"));

        put("short", "ab", 0);
        assertEquals(5, call(Opcodes.MAP_SET_RANGE, 4, "short", "x").longResult());
        assertArrayEquals(new byte[] {'a', 'b', 0, 0, 'x'}, getBytes("short"));
        assertEquals(5, call(Opcodes.MAP_SET_RANGE, 0, "short", "AB").longResult());
        assertArrayEquals(new byte[] {'A', 'B', 0, 0, 'x'}, getBytes("short"));
    }

    @Test
    void shouldAnswerTheLengthAndChangeNothingForAnEmptyRange() {
        assertEquals(0, call(Opcodes.MAP_SET_RANGE, 5, "missing", "").longResult());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "missing", (byte[])null).opcode(),
            "an empty range creates nothing");
        put("key", "value", 0);
        assertEquals(5, call(Opcodes.MAP_SET_RANGE, 100, "key", "").longResult());
        assertEquals(5, call(Opcodes.MAP_SET_RANGE, Long.MAX_VALUE, "key", "").longResult(),
            "an empty range is answered before the offset is checked, as in Redis");
        assertEquals("value", get("key"));
    }

    @Test
    void shouldRefuseARangeBeyondTheMaxValueLength() {
        final int maxValueLength = context.protocolLimits().maxValueLength();
        put("key", "value", 0);
        assertEquals(ErrorCode.VALUE_TOO_LONG, call(Opcodes.MAP_SET_RANGE, maxValueLength, "key", "x").errorCode());
        assertEquals(ErrorCode.VALUE_TOO_LONG,
            call(Opcodes.MAP_SET_RANGE, Long.MAX_VALUE, "key", "x").errorCode(), "no overflow of offset + length");
        assertEquals(ErrorCode.VALUE_TOO_LONG, call(Opcodes.MAP_SET_RANGE, maxValueLength, "new", "x").errorCode());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "new", (byte[])null).opcode());
        assertEquals("value", get("key"));
    }

    @Test
    void shouldPutKeepingTheTtlOfAPresentKeyAndNoneForANewOne() {
        assertEquals(Opcodes.RESPONSE_OK, call(Opcodes.MAP_PUT_KEEP_TTL, 0, "new", "value").opcode());
        assertEquals(0, ttl("new"));
        put("key", "old", 5_000);
        clock.advance(1_000);
        assertEquals(Opcodes.RESPONSE_OK, call(Opcodes.MAP_PUT_KEEP_TTL, 0, "key", "new").opcode());
        assertEquals("new", get("key"));
        assertEquals(4_000, ttl("key"));
        clock.advance(4_000);
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "key", (byte[])null).opcode());
    }

    @Test
    void whenTheExecutorRestarts_thenEachOpcodesEffectIsRecoveredFromTheLogWithItsDeadline() throws IOException {
        put("counter", "41", 10_000);
        put("log", "Hello", 10_000);
        put("swapped", "old", 0);
        put("removed", "value", 0);
        put("present", "old", 0);
        put("persisted", "value", 2_000);
        put("ranged", "Hello World", 10_000);
        put("kept", "old", 10_000);
        clock.advance(1_000);
        assertEquals(42, call(Opcodes.MAP_INCREMENT, 1, "counter", (byte[])null).longResult());
        assertEquals(-3, call(Opcodes.MAP_INCREMENT, -3, "new-counter", (byte[])null).longResult());
        assertEquals(11, call(Opcodes.MAP_APPEND, 0, "log", " World").longResult());
        assertEquals("old", call(Opcodes.MAP_GET_AND_PUT, 20_000, "swapped", "new").valueAsString());
        assertEquals("value", call(Opcodes.MAP_GET_AND_REMOVE, 0, "removed", (byte[])null).valueAsString());
        assertTrue(call(Opcodes.MAP_PUT_IF_PRESENT, 30_000, "present", "new").booleanResult());
        assertFalse(call(Opcodes.MAP_PUT_IF_PRESENT, 0, "absent", "new").booleanResult());
        assertTrue(call(Opcodes.MAP_PERSIST, 0, "persisted", (byte[])null).booleanResult());
        assertEquals(11, call(Opcodes.MAP_SET_RANGE, 6, "ranged", "Redis").longResult());
        assertEquals(4, call(Opcodes.MAP_SET_RANGE, 2, "padded", "ab").longResult());
        assertEquals(Opcodes.RESPONSE_OK, call(Opcodes.MAP_PUT_KEEP_TTL, 0, "kept", "new").opcode());
        assertEquals(ErrorCode.NOT_AN_INTEGER, call(Opcodes.MAP_INCREMENT, 1, "log", (byte[])null).errorCode());

        restart(2_000);
        assertEquals("42", get("counter"));
        assertEquals(7_000, ttl("counter"));
        assertEquals("-3", get("new-counter"));
        assertEquals(0, ttl("new-counter"));
        assertEquals("Hello World", get("log"));
        assertEquals(7_000, ttl("log"));
        assertEquals("new", get("swapped"));
        assertEquals(18_000, ttl("swapped"));
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "removed", (byte[])null).opcode());
        assertEquals("new", get("present"));
        assertEquals(28_000, ttl("present"));
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "absent", (byte[])null).opcode());
        assertEquals("value", get("persisted"), "its old deadline passed while down, but PERSIST removed it");
        assertEquals(0, ttl("persisted"));
        assertEquals("Hello Redis", get("ranged"));
        assertEquals(7_000, ttl("ranged"));
        assertArrayEquals(new byte[] {0, 0, 'a', 'b'}, getBytes("padded"));
        assertEquals("new", get("kept"));
        assertEquals(7_000, ttl("kept"));

        restart(7_000);
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "counter", (byte[])null).opcode(),
            "the kept deadline still holds after a second restart");
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "kept", (byte[])null).opcode());
        assertEquals("-3", get("new-counter"));
        assertEquals("value", get("persisted"));
    }

    @Test
    void shouldRenameWithTheSourcesDeadlineAndRecoverTheMoveFromTheLog() throws IOException {
        put("{r}src", "value", 10_000);
        put("{r}dst", "old", 0);
        put("{r}expired", "stale", 1_000);
        put("{r}other", "x", 0);
        clock.advance(2_000);
        assertTrue(call(Opcodes.MAP_RENAME, 0, "{r}src", "{r}dst").booleanResult());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "{r}src", (byte[])null).opcode());
        assertEquals("value", get("{r}dst"));
        assertEquals(8_000, ttl("{r}dst"), "the source's deadline moves with the value");
        assertFalse(call(Opcodes.MAP_RENAME, MapRequestDescriptor.RENAME_NX, "{r}dst", "{r}other").booleanResult());
        assertEquals("x", get("{r}other"));
        assertTrue(call(Opcodes.MAP_RENAME, MapRequestDescriptor.RENAME_NX, "{r}other", "{r}expired")
            .booleanResult(), "an expired key counts as missing");
        assertTrue(call(Opcodes.MAP_RENAME, 0, "{r}dst", "{r}dst").booleanResult());
        assertFalse(call(Opcodes.MAP_RENAME, MapRequestDescriptor.RENAME_NX, "{r}dst", "{r}dst").booleanResult());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_RENAME, 0, "{r}src", "{r}new").opcode());
        final ResponseDecoder crossSlot = call(Opcodes.MAP_RENAME, 0, "{r}dst", "elsewhere");
        assertEquals(ErrorCode.WRONG_PARTITION, crossSlot.errorCode());
        assertTrue(crossSlot.errorMessageAsString().contains("hash tag"), crossSlot.errorMessageAsString());
        assertEquals("value", get("{r}dst"));

        restart(1_000);
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "{r}src", (byte[])null).opcode());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "{r}other", (byte[])null).opcode());
        assertEquals("value", get("{r}dst"));
        assertEquals(7_000, ttl("{r}dst"));
        assertEquals("x", get("{r}expired"), "the expired entry's drop is logged before the rename's PUT");
        assertEquals(0, ttl("{r}expired"));
    }

    @Test
    void shouldPutAllPairsOrNoneAndRecoverThemFromTheLog() throws IOException {
        put("{m}taken", "old", 0);
        assertFalse(call(Opcodes.MAP_PUT_ALL_IF_ABSENT, 0, "{m}a", pairs("{m}a", "1", "{m}taken", "2"))
            .booleanResult());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "{m}a", (byte[])null).opcode());
        assertTrue(call(Opcodes.MAP_PUT_ALL_IF_ABSENT, 0, "{m}a", pairs("{m}a", "1", "{m}b", "2", "{m}a", "3"))
            .booleanResult());
        assertEquals("3", get("{m}a"), "a key given twice ends with its last value");
        assertEquals("2", get("{m}b"));
        assertEquals(ErrorCode.WRONG_PARTITION,
            call(Opcodes.MAP_PUT_ALL_IF_ABSENT, 0, "{m}c", pairs("{m}c", "1", "d", "2")).errorCode());
        final byte[] torn = pairs("{m}c", "1");
        assertEquals(ErrorCode.MALFORMED_FRAME, call(Opcodes.MAP_PUT_ALL_IF_ABSENT, 0, "{m}c",
            Arrays.copyOf(torn, torn.length - 1)).errorCode());
        // the second key is longer than the store takes: the first one's PUT is undone
        final ResponseDecoder refused = call(Opcodes.MAP_PUT_ALL_IF_ABSENT, 0, "{m}c",
            pairs("{m}c", "1", "{m}" + "k".repeat(20_000), "2"));
        assertEquals(ErrorCode.STORE_FULL, refused.errorCode());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "{m}c", (byte[])null).opcode());

        restart(1_000);
        assertEquals("3", get("{m}a"));
        assertEquals("2", get("{m}b"));
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "{m}c", (byte[])null).opcode());
    }

    @Test
    void shouldAnswerTheValueAndChangeItsDeadlineInOneStepAndRecoverTheChange() throws IOException {
        put("slide", "a", 5_000);
        put("fixed", "b", 5_000);
        put("drop", "c", 0);
        assertEquals("a", call(Opcodes.MAP_GET_AND_EXPIRE, START_MS + 60_000, "slide", (byte[])null).valueAsString());
        assertEquals(60_000, ttl("slide"));
        assertEquals("b", call(Opcodes.MAP_GET_AND_EXPIRE, 0, "fixed", (byte[])null).valueAsString());
        assertEquals(0, ttl("fixed"), "0 removes the TTL, as PERSIST");
        assertEquals("c", call(Opcodes.MAP_GET_AND_EXPIRE, START_MS - 1, "drop", (byte[])null).valueAsString());
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "drop", (byte[])null).opcode(),
            "a deadline already past removes the key once its value is answered");
        assertEquals(Opcodes.RESPONSE_NOT_FOUND,
            call(Opcodes.MAP_GET_AND_EXPIRE, START_MS + 1_000, "missing", (byte[])null).opcode());

        restart(10_000);
        assertEquals("a", get("slide"));
        assertEquals(50_000, ttl("slide"));
        assertEquals("b", get("fixed"), "its old deadline passed while down, but GETEX PERSIST removed it");
        assertEquals(Opcodes.RESPONSE_NOT_FOUND, call(Opcodes.MAP_GET, 0, "drop", (byte[])null).opcode());
    }

    /** MAP_PUT_ALL_IF_ABSENT's value: each key and value after its int32 little-endian length. */
    private static byte[] pairs(final String... keysAndValues) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final String field : keysAndValues) {
            final byte[] bytes = bytes(field);
            out.writeBytes(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private void put(final String key, final String value, final long ttlMs) {
        assertEquals(Opcodes.RESPONSE_OK, call(Opcodes.MAP_PUT, ttlMs, key, value).opcode());
    }

    private String get(final String key) {
        final ResponseDecoder response = call(Opcodes.MAP_GET, 0, key, (byte[])null);
        assertEquals(Opcodes.RESPONSE_VALUE, response.opcode(), key);
        return response.valueAsString();
    }

    private byte[] getBytes(final String key) {
        final ResponseDecoder response = call(Opcodes.MAP_GET, 0, key, (byte[])null);
        assertEquals(Opcodes.RESPONSE_VALUE, response.opcode(), key);
        final byte[] value = new byte[response.valueLength()];
        response.buffer().getBytes(response.valueOffset(), value);
        return value;
    }

    private long ttl(final String key) {
        final ResponseDecoder response = call(Opcodes.MAP_TTL, 0, key, (byte[])null);
        assertEquals(Opcodes.RESPONSE_LONG, response.opcode(), key);
        return response.longResult();
    }

    private ResponseDecoder call(final int opcode, final long argument, final String key, final String value) {
        return call(opcode, argument, key, bytes(value));
    }

    private ResponseDecoder call(final int opcode, final long argument, final String key, final byte[] value) {
        ExecutorRequests.keyed(agent.requests(), connection, opcode, ++correlationId, argument, bytes(key), null,
            value);
        return response();
    }

    private ResponseDecoder response() {
        for (int cycle = 0; cycle < 100; cycle++) {
            agent.doWork();
            final List<ResponseDecoder> responses = connection.responses();
            if (!responses.isEmpty()) {
                assertEquals(1, responses.size());
                assertEquals(correlationId, responses.getFirst().correlationId());
                return responses.getFirst();
            }
        }
        return fail("no response to request " + correlationId);
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
