package io.loomcache.protocol.resp;

import static io.loomcache.protocol.resp.RespConnection.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.loomcache.testkit.gen.Gen;
import io.loomcache.testkit.gen.Property;
import org.junit.jupiter.api.Test;

/**
 * Pipelines of random commands cut at random chunk boundaries and fed as a connection feeds them give exactly the
 * commands sent; arbitrary bytes never make the parser throw, overrun the bytes given, or answer differently whole and
 * in chunks.
 */
class RespRequestParserPropertyTest {
    private static final int MAX_ARGS = 64;
    private static final int MAX_BULK = 128;
    private static final int MAX_COMMAND = 1 << 20;
    private static final byte[] PLAIN = ascii("abcXYZ0123456789-_:.{}$!@#%^&()[]<>/\\?=+,;|~`\u00e9");

    @Test
    void shouldGiveExactlyTheCommandsSentWhateverTheChunkBoundaries() {
        Property.forAll(1000, gen -> {
            final List<List<byte[]>> expected = new ArrayList<>();
            final List<byte[]> encoded = new ArrayList<>();
            final int commands = gen.length(1, 30);
            for (int i = 0; i < commands; i++) {
                encoded.add(command(gen, expected));
            }
            final byte[] stream = RespConnection.concat(encoded);
            final RespConnection connection = new RespConnection(MAX_ARGS, MAX_BULK, MAX_COMMAND);
            feedInRandomChunks(gen, stream, connection);
            assertEquals(0, connection.error(), () -> "error " + connection.error());
            assertEquals(0, connection.pendingLength());
            assertTrue(RespConnection.same(expected, connection.commands), () -> "expected "
                + RespConnection.describe(expected) + "\n got " + RespConnection.describe(connection.commands));
        });
    }

    @Test
    void shouldNeverThrowNorOverrunAndAnswerTheSameWholeAndInChunksOnArbitraryBytes() {
        Property.forAll(3000, gen -> {
            final byte[] stream = gen.bool() ? gen.bytes(600) : tokenSoup(gen);
            final int[] limits = gen.bool() ? new int[] {16, 64, 512} : new int[] {MAX_ARGS, MAX_BULK, MAX_COMMAND};
            final RespConnection whole = new RespConnection(limits[0], limits[1], limits[2]).receiveAll(stream);
            final RespConnection chunked = new RespConnection(limits[0], limits[1], limits[2]);
            feedInRandomChunks(gen, stream, chunked);
            assertTrue(whole.error() >= RespRequestParser.ERROR_COMMAND_TOO_LONG && whole.error() <= 0);
            assertEquals(whole.error(), chunked.error());
            if (whole.error() == RespRequestParser.ERROR_EXPECTED_DOLLAR) {
                assertEquals(whole.unexpected(), chunked.unexpected());
            }
            assertTrue(RespConnection.same(whole.commands, chunked.commands), () -> "whole "
                + RespConnection.describe(whole.commands) + "\n chunked " + RespConnection.describe(chunked.commands));
        });
    }

    private static void feedInRandomChunks(final Gen gen, final byte[] stream, final RespConnection connection) {
        int position = 0;
        while (position < stream.length && connection.error() == 0) {
            final int chunk = Math.min(stream.length - position,
                gen.random().nextInt(8) == 0 ? 1 + gen.random().nextInt(400) : 1 + gen.random().nextInt(12));
            connection.receive(stream, position, chunk);
            position += chunk;
        }
    }

    /** One encoded command; its arguments are added to {@code expected}. */
    private static byte[] command(final Gen gen, final List<List<byte[]>> expected) {
        switch (gen.weighted(70, 20, 10)) {
            case 0 -> {
                final List<byte[]> args = gen.list(1, 20, g -> g.bytes(0, 100));
                expected.add(args);
                return RespConnection.multibulk(args.toArray(new byte[0][]));
            }
            case 1 -> {
                return inline(gen, expected);
            }
            default -> {
                expected.add(List.of());
                return ascii(gen.choice(List.of("*0\r\n", "*-1\r\n", "\r\n", "\n", " \t \r\n")));
            }
        }
    }

    /** An inline command: words, some quoted, between runs of blanks and tabs, ended by CRLF or a lone LF. */
    private static byte[] inline(final Gen gen, final List<List<byte[]>> expected) {
        final StringBuilder line = new StringBuilder(blanks(gen, 0));
        final List<byte[]> args = new ArrayList<>();
        final int count = gen.length(1, 8);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                line.append(blanks(gen, 1));
            }
            final int kind = gen.weighted(6, 2, 2);
            String word = word(gen, kind == 0 ? 1 : 0, kind == 1 ? "\" \t" : kind == 2 ? "' \t" : "");
            if (kind == 1) {
                // inside single quotes a backslash before the closing quote would escape it
                word = word.replace("\\", "");
            }
            args.add(ascii(word));
            // inside double quotes a backslash escapes the next character (sdssplitargs)
            final String written = kind == 2 ? word.replace("\\", "\\\\") : word;
            line.append(kind == 1 ? "'" : kind == 2 ? "\"" : "").append(written).append(kind == 1 ? "'" : kind == 2
                ? "\"" : "");
        }
        expected.add(args);
        return ascii(line.append(blanks(gen, 0)).append(gen.bool() ? "\r\n" : "\n").toString());
    }

    private static String word(final Gen gen, final int minLength, final String extra) {
        final StringBuilder word = new StringBuilder();
        final int length = gen.length(minLength, 12);
        for (int i = 0; i < length; i++) {
            final int pick = gen.random().nextInt(PLAIN.length + extra.length());
            word.append(pick < PLAIN.length ? (char)(PLAIN[pick] & 0xFF) : extra.charAt(pick - PLAIN.length));
        }
        return word.toString();
    }

    private static String blanks(final Gen gen, final int min) {
        final StringBuilder blanks = new StringBuilder();
        final int count = min + gen.random().nextInt(3);
        for (int i = 0; i < count; i++) {
            blanks.append(gen.bool() ? ' ' : '\t');
        }
        return blanks.toString();
    }

    /** Bytes made of protocol fragments, so that the parser's branches and limits are reached far more often. */
    private static byte[] tokenSoup(final Gen gen) {
        final List<byte[]> parts = new ArrayList<>();
        final int count = gen.length(1, 60);
        for (int i = 0; i < count; i++) {
            parts.add(switch (gen.random().nextInt(9)) {
                case 0 -> ascii("*");
                case 1 -> ascii("$");
                case 2 -> ascii("\r\n");
                case 3 -> ascii(gen.choice(List.of("\r", "\n", " ", "\t", "'", "\"", "-", "+", "0")));
                case 4 -> ascii(Long.toString(gen.longs(-3, 600)));
                case 5 -> RespConnection.multibulk(gen.list(0, 4, g -> g.bytes(0, 80)).toArray(new byte[0][]));
                case 6 -> ascii(gen.choice(List.of("PING", "GET k", "SET 'a b' c")));
                case 7 -> ascii(Long.toString(gen.anyLong()));
                default -> gen.bytes(0, 12);
            });
        }
        return RespConnection.concat(parts);
    }
}
