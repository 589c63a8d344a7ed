package io.loomcache.protocol.resp;

import static io.loomcache.protocol.resp.RespConnection.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The exact bytes of every reply in RESP2 and RESP3. */
class RespReplyEncoderTest {
    private static final int START = 5;

    private static String encode(final boolean resp3, final Consumer<RespReplyEncoder> replies) {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(8);
        final RespReplyEncoder encoder = new RespReplyEncoder().wrap(buffer, START).resp3(resp3);
        replies.accept(encoder);
        return buffer.getStringWithoutLengthAscii(START, encoder.position() - START);
    }

    private static void assertBoth(final String expected, final Consumer<RespReplyEncoder> replies) {
        assertEquals(expected, encode(false, replies), "RESP2");
        assertEquals(expected, encode(true, replies), "RESP3");
    }

    @Test
    void shouldEncodeSimpleStringsAndErrorsTheSameInBothVersions() {
        assertBoth("+OK\r\n", e -> e.simple(ascii("OK")));
        assertBoth("-ERR unknown command\r\n", e -> e.error(ascii("ERR unknown command")));
        assertBoth("-ERR unknown command 'a b c'\r\n", e -> e.error(ascii("ERR unknown command "),
            new UnsafeBuffer(ascii("x'a\rb\nc'x")), 1, 7));
    }

    @Test
    void shouldEncodeIntegersIncludingTheExtremes() {
        assertBoth(":0\r\n", e -> e.integer(0));
        assertBoth(":-1\r\n", e -> e.integer(-1));
        assertBoth(":9223372036854775807\r\n", e -> e.integer(Long.MAX_VALUE));
        assertBoth(":-9223372036854775808\r\n", e -> e.integer(Long.MIN_VALUE));
    }

    @Test
    void shouldEncodeBulkStringsOfBytesBuffersAndNumbers() {
        assertBoth("$3\r\nfoo\r\n", e -> e.bulk(ascii("foo")));
        assertBoth("$0\r\n\r\n", e -> e.bulk(new byte[0]));
        assertBoth("$4\r\n\r\n\r\n\r\n", e -> e.bulk(ascii("\r\n\r\n")));
        assertBoth("$2\r\nbc\r\n", e -> e.bulk(new UnsafeBuffer(ascii("abcd")), 1, 2));
        assertBoth("$20\r\n-9223372036854775808\r\n", e -> e.bulk(Long.MIN_VALUE));
        assertBoth("$19\r\n9223372036854775807\r\n", e -> e.bulk(Long.MAX_VALUE));
        assertBoth("$1\r\n0\r\n", e -> e.bulk(0));
        assertBoth("$2\r\n-5\r\n", e -> e.bulk(-5));
        assertBoth("$3\r\nxyz\r\n", e -> e.bulkHeader(3).raw(ascii("xyz")).crlf());
    }

    @Test
    void shouldEncodeNullsAsDollarOrStarMinusOneInResp2AndUnderscoreInResp3() {
        assertEquals("$-1\r\n", encode(false, RespReplyEncoder::nullBulk));
        assertEquals("*-1\r\n", encode(false, RespReplyEncoder::nullArray));
        assertEquals("_\r\n", encode(true, RespReplyEncoder::nullBulk));
        assertEquals("_\r\n", encode(true, RespReplyEncoder::nullArray));
    }

    @Test
    void shouldEncodeMapsAndSetsAsFlatArraysInResp2AndTheirOwnTypesInResp3() {
        final Consumer<RespReplyEncoder> map = e -> e.map(2).bulk(ascii("a")).integer(1).bulk(ascii("b")).nullBulk();
        assertEquals("*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n$-1\r\n", encode(false, map));
        assertEquals("%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n_\r\n", encode(true, map));
        final Consumer<RespReplyEncoder> set = e -> e.set(2).bulk(ascii("x")).bulk(ascii("y"));
        assertEquals("*2\r\n$1\r\nx\r\n$1\r\ny\r\n", encode(false, set));
        assertEquals("~2\r\n$1\r\nx\r\n$1\r\ny\r\n", encode(true, set));
        assertBoth("*0\r\n", e -> e.array(0));
        assertBoth("*3\r\n:1\r\n+OK\r\n*0\r\n", e -> e.array(3).integer(1).simple(ascii("OK")).array(0));
        assertEquals("*0\r\n", encode(false, e -> e.map(0)));
        assertEquals("%0\r\n", encode(true, e -> e.map(0)));
    }

    @Test
    void shouldCopyRawBytesAsTheyAre() {
        assertBoth("+PONG\r\n:7\r\n", e -> e.raw(ascii("+PONG\r\n")).raw(new UnsafeBuffer(ascii("x:7\r\ny")), 1, 4));
    }

    @Test
    void shouldStartAtTheWrappedPositionAndReportTheVersion() {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
        buffer.putStringWithoutLengthAscii(0, "keep");
        final RespReplyEncoder encoder = new RespReplyEncoder().wrap(buffer, 4);
        assertFalse(encoder.isResp3());
        assertEquals(4, encoder.position());
        encoder.simple(ascii("OK"));
        assertEquals(9, encoder.position());
        assertEquals("keep+OK\r\n", new String(buffer.byteArray(), 0, 9, StandardCharsets.US_ASCII));
        assertTrue(encoder.resp3(true).isResp3());
    }
}
