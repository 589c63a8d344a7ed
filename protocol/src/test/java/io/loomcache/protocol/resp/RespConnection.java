package io.loomcache.protocol.resp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Feeds a {@link RespRequestParser} the way the node's Redis port does: bytes arrive in chunks, the bytes from the
 * start of an incomplete command are kept, the next chunk is appended to them and the parser is called again from
 * that start. The kept bytes move to a new buffer at a varying offset on every chunk, so a parser that remembered
 * absolute positions instead of positions relative to the command's start would be caught. Every command is checked
 * to lie inside the bytes given and recorded as copies of its arguments.
 */
final class RespConnection {
    private static final int[] SLACKS = {0, 3, 1, 17};

    final List<List<byte[]>> commands = new ArrayList<>();
    private final RespRequestParser parser;
    private byte[] pending = new byte[0];
    private int chunks;
    private int error;
    private int unexpected;

    RespConnection(final RespRequestParser parser) {
        this.parser = parser;
    }

    RespConnection(final int maxArgs, final int maxBulkLength, final int maxCommandLength) {
        this(new RespRequestParser(maxArgs, maxBulkLength, maxCommandLength));
    }

    /** The error that closed the connection, 0 if none. */
    int error() {
        return error;
    }

    /** The byte found instead of '$' when the error is {@link RespRequestParser#ERROR_EXPECTED_DOLLAR}. */
    int unexpected() {
        return unexpected;
    }

    /** The bytes kept for an incomplete command. */
    int pendingLength() {
        return pending.length;
    }

    /** Feeds all of {@code bytes} in one chunk. */
    RespConnection receiveAll(final byte[] bytes) {
        receive(bytes, 0, bytes.length);
        return this;
    }

    /** Feeds {@code bytes} in chunks of {@code chunkLength}. */
    RespConnection receiveInChunks(final byte[] bytes, final int chunkLength) {
        for (int i = 0; i < bytes.length && error == 0; i += chunkLength) {
            receive(bytes, i, Math.min(chunkLength, bytes.length - i));
        }
        return this;
    }

    /** One chunk arrives; returns false once the connection is closed by an error. */
    boolean receive(final byte[] chunk, final int chunkOffset, final int chunkLength) {
        if (error != 0) {
            return false;
        }
        final int slack = SLACKS[chunks++ % SLACKS.length];
        final int length = pending.length + chunkLength;
        final byte[] bytes = new byte[slack + length];
        Arrays.fill(bytes, 0, slack, (byte)'*');
        System.arraycopy(pending, 0, bytes, slack, pending.length);
        System.arraycopy(chunk, chunkOffset, bytes, slack + pending.length, chunkLength);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        int start = slack;
        while (start < bytes.length) {
            final int available = bytes.length - start;
            final int result = parser.parse(buffer, start, available);
            if (result == RespRequestParser.INCOMPLETE) {
                break;
            }
            if (result < 0) {
                error = result;
                unexpected = parser.unexpectedByte();
                pending = new byte[0];
                return false;
            }
            assertTrue(result <= available, () -> "consumed " + result + " of " + available);
            commands.add(copyArgs(parser, buffer, start, result));
            start += result;
        }
        pending = Arrays.copyOfRange(bytes, start, bytes.length);
        return true;
    }

    /**
     * The arguments of the parser's last command, each checked to lie inside {@code [start, start + length)} of the
     * input, or, for an inline command (unescaped into the parser's own buffer, never longer than its line), inside
     * {@code [0, length)} of that buffer.
     */
    static List<byte[]> copyArgs(
        final RespRequestParser parser, final DirectBuffer input, final int start, final int length) {
        final List<byte[]> args = new ArrayList<>(parser.argCount());
        final int from = parser.buffer() == input ? start : 0;
        for (int i = 0; i < parser.argCount(); i++) {
            final int offset = parser.argOffset(i);
            final int argLength = parser.argLength(i);
            final int index = i;
            assertTrue(argLength >= 0 && offset >= from && offset + argLength <= from + length,
                () -> "arg " + index + " at " + offset + "+" + argLength + " outside " + from + "+" + length);
            final byte[] arg = new byte[argLength];
            parser.buffer().getBytes(offset, arg);
            args.add(arg);
        }
        return args;
    }

    /** The commands as text, for readable assertion messages. */
    static String describe(final List<List<byte[]>> commands) {
        final StringBuilder text = new StringBuilder();
        for (final List<byte[]> command : commands) {
            text.append('[');
            for (final byte[] arg : command) {
                text.append(new String(arg, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n"))
                    .append(',');
            }
            text.append(']');
        }
        return text.toString();
    }

    /** Whether two command lists hold the same arguments in the same order. */
    static boolean same(final List<List<byte[]>> expected, final List<List<byte[]>> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            final List<byte[]> a = expected.get(i);
            final List<byte[]> b = actual.get(i);
            if (a.size() != b.size()) {
                return false;
            }
            for (int j = 0; j < a.size(); j++) {
                if (!Arrays.equals(a.get(j), b.get(j))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A multibulk request of the arguments. */
    static byte[] multibulk(final byte[]... args) {
        final StringBuilder header = new StringBuilder();
        int length = ("*" + args.length + "\r\n").length();
        for (final byte[] arg : args) {
            length += ("$" + arg.length + "\r\n").length() + arg.length + 2;
        }
        final byte[] bytes = new byte[length];
        header.append('*').append(args.length).append("\r\n");
        int position = put(bytes, 0, header.toString());
        for (final byte[] arg : args) {
            position = put(bytes, position, "$" + arg.length + "\r\n");
            System.arraycopy(arg, 0, bytes, position, arg.length);
            position = put(bytes, position + arg.length, "\r\n");
        }
        return bytes;
    }

    /** A multibulk request of text arguments. */
    static byte[] multibulk(final String... args) {
        final byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = ascii(args[i]);
        }
        return multibulk(bytes);
    }

    static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(final List<byte[]> parts) {
        int length = 0;
        for (final byte[] part : parts) {
            length += part.length;
        }
        final byte[] bytes = new byte[length];
        int position = 0;
        for (final byte[] part : parts) {
            System.arraycopy(part, 0, bytes, position, part.length);
            position += part.length;
        }
        return bytes;
    }

    private static int put(final byte[] bytes, final int position, final String text) {
        final byte[] ascii = ascii(text);
        System.arraycopy(ascii, 0, bytes, position, ascii.length);
        return position + ascii.length;
    }
}
