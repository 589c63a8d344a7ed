package io.loomcache.loadgen.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.testkit.gen.Property;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RespReplyParserTest {
    private static final String STREAM = "+OK\r\n$5\r\nhello\r\n$-1\r\n-ERR wrong number of arguments\r\n:42\r\n" +
        "*2\r\n$1\r\na\r\n*2\r\n:1\r\n$0\r\n\r\n*-1\r\n*0\r\n$4\r\na\r\nb\r\n";
    private static final List<String> EXPECTED = List.of("1:OK", "4:hello", "5:", "2:ERR wrong number of arguments",
        "3:42", "6:#2", "5:", "6:#0", "4:a\r\nb");

    @Test
    void shouldParseEveryReplyKindInOneChunk() {
        final Collector collector = new Collector();
        final RespReplyParser parser = new RespReplyParser(1024, 1024);
        final UnsafeBuffer buffer = ascii(STREAM);
        assertEquals(STREAM.length(), parser.parse(buffer, 0, STREAM.length(), collector));
        assertEquals(EXPECTED, collector.replies);
    }

    @Test
    void shouldParseTheSameRepliesWhateverTheReadBoundaries() {
        Property.forAll(1000, g -> anyReadBoundaries(g.ints(1, 200), g.ints(1, 200)));
    }

    private static void anyReadBoundaries(final int split1, final int split2) {
        final Collector collector = new Collector();
        final RespReplyParser parser = new RespReplyParser(1024, 1024);
        feed(parser, collector, STREAM, split1 % STREAM.length(), split2 % STREAM.length());
        assertEquals(EXPECTED, collector.replies);
    }

    @Test
    void shouldParseWhenEveryByteArrivesAlone() {
        final Collector collector = new Collector();
        final RespReplyParser parser = new RespReplyParser(1024, 1024);
        final byte[] pending = new byte[STREAM.length()];
        int held = 0;
        for (int i = 0; i < STREAM.length(); i++) {
            pending[held++] = (byte)STREAM.charAt(i);
            final int consumed = parser.parse(new UnsafeBuffer(pending), 0, held, collector);
            System.arraycopy(pending, consumed, pending, 0, held - consumed);
            held -= consumed;
        }
        assertEquals(0, held);
        assertEquals(EXPECTED, collector.replies);
    }

    @Test
    void shouldHoldAnIncompleteBulkStringUntilItsEnd() {
        final Collector collector = new Collector();
        final RespReplyParser parser = new RespReplyParser(1024, 1024);
        assertEquals(0, parser.parse(ascii("$5\r\nhel"), 0, 7, collector));
        assertEquals(0, parser.parse(ascii("$5\r\nhello\r"), 0, 10, collector));
        assertEquals(11, parser.parse(ascii("$5\r\nhello\r\n"), 0, 11, collector));
        assertEquals(List.of("4:hello"), collector.replies);
    }

    @Test
    void shouldResumeAnArraySplitBetweenElements() {
        final Collector collector = new Collector();
        final RespReplyParser parser = new RespReplyParser(1024, 1024);
        assertEquals(12, parser.parse(ascii("*3\r\n:1\r\n:2\r\n:"), 0, 13, collector));
        assertTrue(parser.inReply());
        assertTrue(collector.replies.isEmpty());
        assertEquals(4, parser.parse(ascii(":3\r\n"), 0, 4, collector));
        assertEquals(List.of("6:#3"), collector.replies);
    }

    @Test
    void shouldFailOnUnknownTypeBadLengthsAndMissingTerminator() {
        assertFails(ErrorCode.MALFORMED_FRAME, "!oops\r\n");
        assertFails(ErrorCode.MALFORMED_FRAME, "$abc\r\n");
        assertFails(ErrorCode.MALFORMED_FRAME, "$-2\r\n");
        assertFails(ErrorCode.MALFORMED_FRAME, "*-5\r\n");
        assertFails(ErrorCode.MALFORMED_FRAME, "$\r\n");
        assertFails(ErrorCode.MALFORMED_FRAME, "$3\r\nabcXY");
    }

    @Test
    void shouldFailOnBulkOrLineLongerThanTheLimits() {
        final Collector collector = new Collector();
        final RespReplyParser bulk = new RespReplyParser(64, 10);
        assertEquals(-ErrorCode.VALUE_TOO_LONG, bulk.parse(ascii("$11\r\n"), 0, 5, collector));
        assertEquals(-ErrorCode.VALUE_TOO_LONG, bulk.parse(ascii("+OK\r\n"), 0, 5, collector));
        final RespReplyParser line = new RespReplyParser(8, 10);
        final String longLine = "-ERR 0123456789\r\n";
        assertEquals(-ErrorCode.VALUE_TOO_LONG, line.parse(ascii(longLine), 0, longLine.length(), collector));
        assertTrue(collector.replies.isEmpty());
    }

    private static void assertFails(final int errorCode, final String stream) {
        final RespReplyParser parser = new RespReplyParser(1024, 1024);
        assertEquals(-errorCode, parser.parse(ascii(stream), 0, stream.length(), new Collector()));
        assertEquals(errorCode, parser.errorCode());
    }

    static void feed(final RespReplyParser parser, final RespReplyHandler handler, final String stream,
        final int split1, final int split2) {
        final int first = Math.min(split1, split2);
        final int second = Math.max(split1, split2);
        final byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1);
        final byte[] pending = new byte[bytes.length];
        int held = 0;
        final int[] cuts = {first, second, bytes.length};
        int from = 0;
        for (final int cut : cuts) {
            System.arraycopy(bytes, from, pending, held, cut - from);
            held += cut - from;
            from = cut;
            final int consumed = parser.parse(new UnsafeBuffer(pending), 0, held, handler);
            assertTrue(consumed >= 0, "parse failed: " + consumed);
            System.arraycopy(pending, consumed, pending, 0, held - consumed);
            held -= consumed;
        }
        assertEquals(0, held);
    }

    static UnsafeBuffer ascii(final String text) {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Records replies as "kind:payload", arrays as "kind:#count". */
    static final class Collector implements RespReplyHandler {
        final List<String> replies = new ArrayList<>();

        @Override
        public void onReply(final int kind, final DirectBuffer buffer, final int offset, final int length) {
            replies.add(kind + ":" + (kind == RespReplyParser.ARRAY ? "#" + length :
                buffer.getStringWithoutLengthAscii(offset, length)));
        }
    }
}
