package io.loomcache.protocol.resp;

import static io.loomcache.protocol.resp.RespConnection.ascii;
import static io.loomcache.protocol.resp.RespConnection.multibulk;
import static io.loomcache.protocol.resp.RespRequestParser.ERROR_BULK_LENGTH;
import static io.loomcache.protocol.resp.RespRequestParser.ERROR_BULK_LINE_TOO_LONG;
import static io.loomcache.protocol.resp.RespRequestParser.ERROR_COMMAND_TOO_LONG;
import static io.loomcache.protocol.resp.RespRequestParser.ERROR_EXPECTED_DOLLAR;
import static io.loomcache.protocol.resp.RespRequestParser.ERROR_INLINE_TOO_LONG;
import static io.loomcache.protocol.resp.RespRequestParser.ERROR_MULTIBULK_LENGTH;
import static io.loomcache.protocol.resp.RespRequestParser.ERROR_MULTIBULK_LINE_TOO_LONG;
import static io.loomcache.protocol.resp.RespRequestParser.ERROR_UNBALANCED_QUOTES;
import static io.loomcache.protocol.resp.RespRequestParser.INCOMPLETE;
import static io.loomcache.protocol.resp.RespRequestParser.MAX_INLINE_LENGTH;
import static io.loomcache.protocol.resp.RespRequestParser.MAX_LINE_LENGTH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Redis's request parsing (networking.c processMultibulkBuffer / processInlineBuffer), case by case. */
class RespRequestParserTest {
    private static final int MAX_ARGS = 64;
    private static final int MAX_BULK = 1024;
    private static final int MAX_COMMAND = 1 << 20;

    private RespRequestParser parser = new RespRequestParser(MAX_ARGS, MAX_BULK, MAX_COMMAND);

    private UnsafeBuffer input;

    private int parse(final byte[] bytes) {
        input = new UnsafeBuffer(bytes);
        return parser.parse(input, 0, bytes.length);
    }

    private int parse(final String text) {
        return parse(ascii(text));
    }

    private List<String> args() {
        final List<String> args = new ArrayList<>();
        for (final byte[] arg : RespConnection.copyArgs(parser, input, 0, Integer.MAX_VALUE)) {
            args.add(new String(arg, StandardCharsets.ISO_8859_1));
        }
        return args;
    }

    private static byte[] repeat(final String head, final char fill, final int count) {
        final byte[] bytes = Arrays.copyOf(ascii(head), head.length() + count);
        Arrays.fill(bytes, head.length(), bytes.length, (byte)fill);
        return bytes;
    }

    @Test
    void shouldParseMultibulkWithBinarySafeArgumentsHoldingCrLf() {
        final byte[] value = {'\r', '\n', 0, '*', '$', '\r', '\n', (byte)0xFF};
        final byte[] bytes = multibulk(ascii("SET"), ascii("k\r\n"), value, new byte[0]);
        assertEquals(bytes.length, parse(bytes));
        assertEquals(4, parser.argCount());
        assertEquals(List.of("SET", "k\r\n", new String(value, StandardCharsets.ISO_8859_1), ""),
            args());
    }

    @Test
    void shouldConsumeOnlyTheFirstCommandOfAPipeline() {
        final byte[] first = multibulk("GET", "a");
        final byte[] both = RespConnection.concat(List.of(first, multibulk("GET", "b"), ascii("PING\r\n")));
        final UnsafeBuffer buffer = new UnsafeBuffer(both);
        assertEquals(first.length, parser.parse(buffer, 0, both.length));
        assertEquals(List.of("GET", "a"), args());
        assertEquals(first.length, parser.parse(buffer, first.length, both.length - first.length));
        assertEquals(List.of("GET", "b"), args());
        assertEquals(6, parser.parse(buffer, 2 * first.length, 6));
        assertEquals(List.of("PING"), args());
    }

    @Test
    void shouldTreatEmptyAndNullMultibulkAsCompleteCommandsWithoutArguments() {
        assertEquals(4, parse("*0\r\n"));
        assertEquals(0, parser.argCount());
        assertEquals(5, parse("*-1\r\n"));
        assertEquals(0, parser.argCount());
        assertEquals(5, parse("*-7\r\n$3\r\nGET\r\n"));
        assertEquals(0, parser.argCount());
    }

    @Test
    void shouldSplitInlineCommandOnBlanksAndTabs() {
        assertEquals(6, parse("PING\r\n"));
        assertEquals(List.of("PING"), args());
        final String line = "  SET\tkey \t value  \r\n";
        assertEquals(line.length(), parse(line));
        assertEquals(List.of("SET", "key", "value"), args());
    }

    @Test
    void shouldKeepBlanksInsideSingleAndDoubleQuotesOfAnInlineCommand() {
        final String line = "SET 'a b' \"c\td\" '' \"\"\r\n";
        assertEquals(line.length(), parse(line));
        assertEquals(List.of("SET", "a b", "c\td", "", ""), args());
        assertEquals(12, parse("ECHO \"x y\"\r\n"));
        assertEquals(List.of("ECHO", "x y"), args());
    }

    /** Redis's sdssplitargs: escapes inside double quotes, only \' inside single ones, quotes starting mid-word. */
    @Test
    void shouldUnescapeQuotedPartsOfAnInlineCommandAsRedisDoes() {
        final String line = "SET \"\\x41\\x7a\\n\\r\\t\\b\\a\\\"\\q\\\\\" 'it\\'s \\n'\r\n";
        assertEquals(line.length(), parse(line));
        assertEquals(List.of("SET", "Az\n\r\t\b\u0007\"q\\", "it's \\n"), args());
        assertEquals(List.of("SET", "x4"), argsOf("SET \"\\x4\"\r\n"), "not a hex escape: a backslashed x");
        assertEquals(List.of("foobar baz", "x"), argsOf("foo\"bar baz\" x\r\n"), "a quote mid-word opens a part");
        assertEquals(List.of("ab", "c"), argsOf("a'b' c\n"));
        assertEquals(List.of("GET", "k"), argsOf("\u000bGET \u000c k\r\n"), "vertical tab and form feed are blanks");
        assertEquals(List.of("a\u000bb", "x"), argsOf("a\u000bb \"x\"\u000c\r\n"), "but do not end a word");
        assertEquals(List.of("GET"), argsOf("GET\u0000 k\r\n"), "a NUL ends the line as it ends Redis's C string");
    }

    private List<String> argsOf(final String line) {
        assertEquals(line.length(), parse(line));
        return args();
    }

    @Test
    void shouldEndAnInlineCommandAtALoneNewline() {
        assertEquals(6, parse("GET k\nGET j\r\n"));
        assertEquals(List.of("GET", "k"), args());
    }

    @Test
    void shouldTreatAnEmptyOrBlankInlineLineAsACompleteCommandWithoutArguments() {
        assertEquals(2, parse("\r\nPING\r\n"));
        assertEquals(0, parser.argCount());
        assertEquals(1, parse("\n"));
        assertEquals(0, parser.argCount());
        assertEquals(4, parse(" \t \n"));
        assertEquals(0, parser.argCount());
    }

    @Test
    void shouldWaitForTheEndOfAnInlineLine() {
        assertEquals(INCOMPLETE, parse("PING"));
        assertEquals(INCOMPLETE, parse("PING\r"));
        assertEquals(INCOMPLETE, parse("SET 'a b"));
        assertEquals(INCOMPLETE, parse(""));
    }

    @Test
    void shouldRefuseANonNumericOrMissingMultibulkCount() {
        assertEquals(ERROR_MULTIBULK_LENGTH, parse("*x\r\n"));
        assertEquals(ERROR_MULTIBULK_LENGTH, parse("*\r\n"));
        assertEquals(ERROR_MULTIBULK_LENGTH, parse("*99999999999999999999\r\n"));
        assertEquals("Protocol error: invalid multibulk length",
            RespRequestParser.errorMessage(ERROR_MULTIBULK_LENGTH, 0));
    }

    @Test
    void shouldRefuseACountAboveMaxArgsAsSoonAsItsLineIsReadWithoutTheArguments() {
        assertEquals(ERROR_MULTIBULK_LENGTH, parse("*" + (MAX_ARGS + 1) + "\r\n"));
        assertEquals(ERROR_MULTIBULK_LENGTH, parse("*2147483648\r\n"));
        assertEquals(ERROR_MULTIBULK_LENGTH, parse("*9223372036854775807\r\n"));
        assertEquals(INCOMPLETE, parse("*" + MAX_ARGS + "\r\n"));
    }

    @Test
    void shouldRefuseAnArgumentNotStartingWithDollarNamingTheByteFound() {
        assertEquals(ERROR_EXPECTED_DOLLAR, parse("*2\r\n$3\r\nGET\r\n:1\r\n"));
        assertEquals(':', parser.unexpectedByte());
        assertEquals("Protocol error: expected '$', got ':'",
            RespRequestParser.errorMessage(ERROR_EXPECTED_DOLLAR, parser.unexpectedByte()));
        assertEquals(ERROR_EXPECTED_DOLLAR, parse(new byte[] {'*', '1', '\r', '\n', (byte)0xE9}));
        assertEquals("Protocol error: expected '$', got '\u00e9'",
            RespRequestParser.errorMessage(ERROR_EXPECTED_DOLLAR, parser.unexpectedByte()));
    }

    @Test
    void shouldRefuseANonNumericOrNegativeBulkLength() {
        assertEquals(ERROR_BULK_LENGTH, parse("*1\r\n$x\r\n"));
        assertEquals(ERROR_BULK_LENGTH, parse("*1\r\n$\r\n"));
        assertEquals(ERROR_BULK_LENGTH, parse("*1\r\n$-1\r\n"));
        assertEquals("Protocol error: invalid bulk length", RespRequestParser.errorMessage(ERROR_BULK_LENGTH, 0));
    }

    @Test
    void shouldRefuseABulkAboveMaxBulkLengthAsSoonAsItsLineIsReadWithoutTheBody() {
        assertEquals(ERROR_BULK_LENGTH, parse("*2\r\n$3\r\nSET\r\n$" + (MAX_BULK + 1) + "\r\n"));
        assertEquals(ERROR_BULK_LENGTH, parse("*1\r\n$9223372036854775807\r\n"));
        assertEquals(INCOMPLETE, parse("*1\r\n$" + MAX_BULK + "\r\n"));
    }

    @Test
    void shouldRefuseLengthsThatStrictString2llRejects() {
        for (final String number : List.of("+1", "01", "-0", " 1", "1 ", "1x", "0x1", "00")) {
            parser.reset();
            assertEquals(ERROR_MULTIBULK_LENGTH, parse("*" + number + "\r\n$1\r\na\r\n"), number);
            parser.reset();
            assertEquals(ERROR_BULK_LENGTH, parse("*1\r\n$" + number + "\r\na\r\n"), number);
        }
    }

    @Test
    void shouldRefuseACommandLongerThanMaxCommandLengthAsSoonAsTheBulkLineIsRead() {
        parser = new RespRequestParser(MAX_ARGS, MAX_BULK, 64);
        assertEquals(ERROR_COMMAND_TOO_LONG, parse("*2\r\n$3\r\nSET\r\n$50\r\n"));
        assertEquals("Protocol error: command longer than the node's largest request",
            RespRequestParser.errorMessage(ERROR_COMMAND_TOO_LONG, 0));
        // *2\r\n $3\r\nSET\r\n $n\r\n... \r\n: 4 + 9 + 5 + n + 2 bytes, 64 exactly for n = 44
        final byte[] exact = multibulk(ascii("SET"), new byte[44]);
        assertEquals(64, exact.length);
        assertEquals(64, parse(exact));
        assertEquals(ERROR_COMMAND_TOO_LONG, parse(multibulk(ascii("SET"), new byte[45])));
    }

    @Test
    void shouldRefuseAnInlineCommandLongerThanMaxCommandLength() {
        parser = new RespRequestParser(MAX_ARGS, MAX_BULK, 64);
        assertEquals(64, parse(concat(repeat("", 'a', 62), "\r\n")));
        assertEquals(64, parse(concat(repeat("", 'a', 63), "\n")));
        assertEquals(ERROR_COMMAND_TOO_LONG, parse(concat(repeat("", 'a', 64), "\n")));
        assertEquals(ERROR_COMMAND_TOO_LONG, parse(concat(repeat("", 'a', 100), "\r\n")));
        assertEquals(INCOMPLETE, parse(repeat("", 'a', 63)));
        assertEquals(ERROR_COMMAND_TOO_LONG, parse(repeat("", 'a', 64)));
    }

    private static byte[] concat(final byte[] head, final String tail) {
        return RespConnection.concat(List.of(head, ascii(tail)));
    }

    @Test
    void shouldRefuseACountLineWithoutEndPast64KiB() {
        assertEquals(INCOMPLETE, parse(repeat("*", '1', MAX_LINE_LENGTH)));
        assertEquals(ERROR_MULTIBULK_LINE_TOO_LONG, parse(repeat("*", '1', MAX_LINE_LENGTH + 1)));
        assertEquals("Protocol error: too big mbulk count string",
            RespRequestParser.errorMessage(ERROR_MULTIBULK_LINE_TOO_LONG, 0));
    }

    @Test
    void shouldRefuseABulkLengthLineWithoutEndPast64KiB() {
        assertEquals(INCOMPLETE, parse(repeat("*1\r\n$", '1', MAX_LINE_LENGTH)));
        parser.reset();
        assertEquals(ERROR_BULK_LINE_TOO_LONG, parse(repeat("*1\r\n$", '1', MAX_LINE_LENGTH + 1)));
        assertEquals("Protocol error: too big bulk count string",
            RespRequestParser.errorMessage(ERROR_BULK_LINE_TOO_LONG, 0));
    }

    @Test
    void shouldRefuseAnInlineLineWithoutEndPast64KiB() {
        assertEquals(INCOMPLETE, parse(repeat("", 'a', MAX_INLINE_LENGTH)));
        assertEquals(ERROR_INLINE_TOO_LONG, parse(repeat("", 'a', MAX_INLINE_LENGTH + 1)));
        assertEquals("Protocol error: too big inline request",
            RespRequestParser.errorMessage(ERROR_INLINE_TOO_LONG, 0));
    }

    @Test
    void shouldRefuseUnbalancedQuotesInAnInlineCommand() {
        assertEquals(ERROR_UNBALANCED_QUOTES, parse("SET \"abc\r\n"));
        assertEquals(ERROR_UNBALANCED_QUOTES, parse("SET 'abc\r\n"));
        assertEquals(ERROR_UNBALANCED_QUOTES, parse("SET 'a'b\r\n"));
        assertEquals(ERROR_UNBALANCED_QUOTES, parse("SET \"a\"'b'\r\n"));
        assertEquals("Protocol error: unbalanced quotes in request",
            RespRequestParser.errorMessage(ERROR_UNBALANCED_QUOTES, 0));
        assertEquals("Protocol error", RespRequestParser.errorMessage(-99, 0));
    }

    @Test
    void shouldSkipTheTwoBytesAfterABulkUncheckedAsRedisDoes() {
        assertEquals(14, parse("*1\r\n$4\r\nPINGxy*0\r\n"));
        assertEquals(List.of("PING"), args());
    }

    @Test
    void shouldBeIncompleteAtEveryPrefixOfAValidCommand() {
        final List<byte[]> commands = List.of(
            multibulk(ascii("SET"), ascii("key"), new byte[] {'\r', '\n', '$', '*', 0, '\r'}),
            multibulk(new byte[0]), ascii("SET 'a b' \"c\"\r\n"), ascii("GET k\n"));
        for (final byte[] command : commands) {
            final UnsafeBuffer buffer = new UnsafeBuffer(command);
            final RespRequestParser resumed = new RespRequestParser(MAX_ARGS, MAX_BULK, MAX_COMMAND);
            for (int length = 0; length < command.length; length++) {
                parser.reset();
                assertEquals(INCOMPLETE, parser.parse(buffer, 0, length), "fresh parser, prefix " + length);
                assertEquals(INCOMPLETE, resumed.parse(buffer, 0, length), "resumed parser, prefix " + length);
            }
            assertEquals(command.length, resumed.parse(buffer, 0, command.length));
        }
    }

    @Test
    void shouldGiveTheSameArgumentsWhenALargeCommandArrivesInGrowingPrefixes() {
        final byte[][] args = new byte[5000][];
        for (int i = 0; i < args.length; i++) {
            args[i] = ascii(i % 7 == 0 ? "\r\n" + i : "arg" + i);
        }
        final byte[] command = multibulk(args);
        final RespRequestParser big = new RespRequestParser(RespRequestParser.DEFAULT_MAX_ARGS, MAX_BULK, MAX_COMMAND);
        final ReadCountingBuffer buffer = new ReadCountingBuffer(command);
        int result = INCOMPLETE;
        for (int length = 0; length <= command.length && result == INCOMPLETE; length += 1 + length % 13) {
            result = big.parse(buffer, 0, Math.min(length, command.length));
        }
        if (result == INCOMPLETE) {
            result = big.parse(buffer, 0, command.length);
        }
        assertEquals(command.length, result);
        assertEquals(args.length, big.argCount());
        for (int i = 0; i < args.length; i++) {
            final byte[] arg = new byte[big.argLength(i)];
            buffer.getBytes(big.argOffset(i), arg);
            assertArrayEquals(args[i], arg, "arg " + i);
        }
        // resumed after the arguments already read: a parser starting over would read ~ length^2 / 26 bytes
        assertTrue(buffer.reads < 4L * command.length, buffer.reads + " byte reads for " + command.length);
    }

    @Test
    void shouldParseFromScratchAfterReset() {
        assertEquals(INCOMPLETE, parse("*2\r\n$3\r\nGET\r\n"));
        parser.reset();
        assertEquals(6, parse("PING\r\n"));
        assertEquals(List.of("PING"), args());
    }

    /** Counts the bytes the parser reads, to show that a resumed parse does not start over. */
    private static final class ReadCountingBuffer extends UnsafeBuffer {
        long reads;

        ReadCountingBuffer(final byte[] bytes) {
            super(bytes);
        }

        @Override
        public byte getByte(final int index) {
            reads++;
            return super.getByte(index);
        }
    }
}
