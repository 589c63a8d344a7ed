package io.loomcache.loadgen.wire;

import static io.loomcache.loadgen.wire.RespReplyParserTest.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.loomcache.loadgen.workload.OpMix;
import io.loomcache.protocol.ErrorCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RespWireCodecTest {
    private static final long U = ResponseListener.UNCORRELATED;

    @Test
    void shouldEncodeGetAsARespArrayOfBulkStrings() {
        final RespWireCodec codec = new RespWireCodec(5, 1024);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = codec.encode(OpMix.GET, buffer, 3, 42, 99, codec.maxValueLength());
        assertEquals("*2\r\n$3\r\nGET\r\n$16\r\nkey:000000000042\r\n", buffer.getStringWithoutLengthAscii(3, length));
        assertTrue(length <= codec.maxRequestLength());
    }

    @Test
    void shouldEncodeSetWithTheValuePattern() {
        final RespWireCodec codec = new RespWireCodec(5, 1024);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = codec.encode(OpMix.SET, buffer, 0, 7, 99, codec.maxValueLength());
        assertEquals("*3\r\n$3\r\nSET\r\n$16\r\nkey:000000000007\r\n$5\r\nabcde\r\n",
            buffer.getStringWithoutLengthAscii(0, length));
        assertTrue(length <= codec.maxRequestLength());
    }

    /** A value shorter than the templates': its bulk header and bytes, the command's other arguments after it. */
    @Test
    void shouldEncodeAShorterValue() {
        final RespWireCodec codec = new RespWireCodec(120, 2_500, null, 1024);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final String key = "$16\r\nkey:000000000004\r\n";
        int length = codec.encode(OpMix.SETEX, buffer, 2, 4, 0, 11);
        assertEquals("*5\r\n$3\r\nSET\r\n" + key + "$11\r\nabcdefghijk\r\n$2\r\nPX\r\n$4\r\n2500\r\n",
            buffer.getStringWithoutLengthAscii(2, length));
        length = codec.encode(OpMix.SET, buffer, 0, 4, 0, 0);
        assertEquals("*3\r\n$3\r\nSET\r\n" + key + "$0\r\n\r\n", buffer.getStringWithoutLengthAscii(0, length));
        length = codec.encode(OpMix.GET, buffer, 0, 4, 0, 3);
        assertEquals("*2\r\n$3\r\nGET\r\n" + key, buffer.getStringWithoutLengthAscii(0, length));
    }

    /** The Redis command of each operation Redis has; no compare-and-set. */
    @Test
    void shouldEncodeEveryRedisOperation() {
        final RespWireCodec codec = new RespWireCodec(3, 2_500, null, 1024);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final String key = "$16\r\nkey:000000000009\r\n";
        final String[] expected = {"*2\r\n$3\r\nGET\r\n" + key, "*3\r\n$3\r\nSET\r\n" + key + "$3\r\nabc\r\n",
            "*2\r\n$3\r\nDEL\r\n" + key, "*4\r\n$3\r\nSET\r\n" + key + "$3\r\nabc\r\n$2\r\nNX\r\n",
            "*5\r\n$3\r\nSET\r\n" + key + "$3\r\nabc\r\n$2\r\nPX\r\n$4\r\n2500\r\n", null,
            "*3\r\n$6\r\nGETSET\r\n" + key + "$3\r\nabc\r\n"};
        for (int op = 0; op < OpMix.COUNT; op++) {
            assertEquals(expected[op] != null, codec.supports(op), OpMix.name(op));
            if (expected[op] != null) {
                final int length = codec.encode(op, buffer, 0, 9, 0, codec.maxValueLength());
                assertEquals(expected[op], buffer.getStringWithoutLengthAscii(0, length), OpMix.name(op));
                assertTrue(length <= codec.maxRequestLength());
            }
        }
    }

    @Test
    void shouldRewriteOnlyTheKeyBetweenRequests() {
        final RespWireCodec codec = new RespWireCodec(0, 1024);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int first = codec.encode(OpMix.SET, buffer, 0, 1, 0, codec.maxValueLength());
        final int second = codec.encode(OpMix.SET, buffer, first, 123_456_789_012L, 0, codec.maxValueLength());
        assertEquals("*3\r\n$3\r\nSET\r\n$16\r\nkey:000000000001\r\n$0\r\n\r\n" +
            "*3\r\n$3\r\nSET\r\n$16\r\nkey:123456789012\r\n$0\r\n\r\n",
            buffer.getStringWithoutLengthAscii(0, first + second));
    }

    @Test
    void shouldNeedNoHandshakeAndMatchRepliesInOrder() {
        final RespWireCodec codec = new RespWireCodec(5, 1024);
        assertEquals(0, codec.encodeHandshake(new UnsafeBuffer(new byte[64]), 0, 0));
        assertTrue(codec.ordered());
    }

    @Test
    void shouldReportOkHitMissAndErrorOutcomes() {
        final RespWireCodec codec = new RespWireCodec(5, 1024);
        final RecordingListener listener = new RecordingListener();
        final String replies = "+OK\r\n$5\r\nabcde\r\n$-1\r\n-ERR out of memory\r\n:1\r\n-WRONGTYPE no\r\n";
        assertEquals(replies.length(), codec.onBytes(ascii(replies), 0, replies.length(), listener));
        assertEquals(List.of(U + ":" + Outcome.OK + ":0", U + ":" + Outcome.OK + ":0", U + ":" + Outcome.MISS + ":0",
            U + ":" + Outcome.ERROR + ":" + Outcome.REDIS_ERROR, U + ":" + Outcome.OK + ":0",
            U + ":" + Outcome.ERROR + ":" + Outcome.REDIS_ERROR), listener.responses);
        assertEquals("ERR out of memory", codec.firstErrorMessage());
    }

    @Test
    void shouldKeepAPartialReplyForTheNextRead() {
        final RespWireCodec codec = new RespWireCodec(5, 1024);
        final RecordingListener listener = new RecordingListener();
        assertEquals(5, codec.onBytes(ascii("+OK\r\n$5\r\nab"), 0, 11, listener));
        assertEquals(1, listener.responses.size());
        assertNull(codec.firstErrorMessage());
    }

    @Test
    void shouldFailTheStreamOnGarbage() {
        final RespWireCodec codec = new RespWireCodec(5, 1024);
        assertEquals(-ErrorCode.MALFORMED_FRAME, codec.onBytes(ascii("HTTP/1.1 400\r\n"), 0, 14,
            new RecordingListener()));
    }
}
