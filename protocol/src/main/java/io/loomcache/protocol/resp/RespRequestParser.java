package io.loomcache.protocol.resp;

import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Cuts one Redis command out of a byte stream: a multibulk request ({@code *<count>\r\n}, then {@code
 * $<len>\r\n<bytes>\r\n} per argument, what every client library sends) or an inline one (a line of words, what {@code
 * telnet} and {@code nc} send, words split on blanks, optionally quoted, as Redis's sdssplitargs splits them). The
 * arguments of a multibulk stay in the caller's buffer as (offset, length) views: nothing is copied and nothing is
 * allocated per command; those of an inline command are unescaped into a buffer of the parser's, made once.
 * <p>
 * Every length is checked before anything is waited for or allocated, the class of bug that Redis fixed in
 * CVE-2021-32675 (a multibulk count made the server reserve memory for arguments that never came): a count above
 * {@code maxArgs}, a bulk longer than {@code maxBulkLength}, a command (multibulk or inline) that would pass
 * {@code maxCommandLength}, a count or length line longer than {@link #MAX_LINE_LENGTH} and an inline line longer
 * than {@link #MAX_INLINE_LENGTH} are errors as soon as their line is read. The argument index grows as arguments
 * arrive, never from the count.
 * <p>
 * {@link #parse} returns the bytes of the command once it is complete, {@link #INCOMPLETE} when more bytes are needed
 * (the caller keeps the bytes from the command's start and calls again with them and what followed; the parser
 * resumes after the arguments it had already read, so a large command is not re-read from its start), or a negative
 * {@code ERROR_*} code after which the stream cannot be resynchronised: the caller answers {@link #errorMessage} and
 * closes, as Redis does. An empty multibulk ({@code *0}, {@code *-1}) or an empty inline line is a complete command
 * with no arguments, which the caller skips. Single-threaded, one per connection.
 */
public final class RespRequestParser {
    /** The command is not complete yet. */
    public static final int INCOMPLETE = 0;
    /** Error: the multibulk count is not a number or above the limit. */
    public static final int ERROR_MULTIBULK_LENGTH = -1;
    /** Error: an argument of a multibulk does not start with '$'. */
    public static final int ERROR_EXPECTED_DOLLAR = -2;
    /** Error: a bulk length is not a number, negative or above the limit. */
    public static final int ERROR_BULK_LENGTH = -3;
    /** Error: a count line has no end within {@link #MAX_LINE_LENGTH}. */
    public static final int ERROR_MULTIBULK_LINE_TOO_LONG = -4;
    /** Error: a bulk length line has no end within {@link #MAX_LINE_LENGTH}. */
    public static final int ERROR_BULK_LINE_TOO_LONG = -5;
    /** Error: an inline command has no end within {@link #MAX_INLINE_LENGTH}. */
    public static final int ERROR_INLINE_TOO_LONG = -6;
    /** Error: an inline command has an unclosed quote, or a closing quote not followed by a blank. */
    public static final int ERROR_UNBALANCED_QUOTES = -7;
    /** Error: the command is longer than the largest command allowed. */
    public static final int ERROR_COMMAND_TOO_LONG = -8;

    /** The longest count or length line (Redis: 64 KiB, PROTO_INLINE_MAX_SIZE). */
    public static final int MAX_LINE_LENGTH = 64 * 1024;
    /** The longest inline command line. */
    public static final int MAX_INLINE_LENGTH = 64 * 1024;
    /** Redis's limit on the arguments of one command. */
    public static final int DEFAULT_MAX_ARGS = 1024 * 1024;

    private static final int INITIAL_ARGS = 16;
    private static final long NOT_A_NUMBER = Long.MIN_VALUE;

    private final int maxArgs;
    private final int maxBulkLength;
    private final int maxCommandLength;
    private int[] argOffsets = new int[INITIAL_ARGS];
    private int[] argLengths = new int[INITIAL_ARGS];
    private int argCount;
    private DirectBuffer buffer;
    private int base;
    private long declaredArgs = -1;
    private int resumeAt;
    private int unexpected;
    /** The unescaped arguments of an inline command; made at the first one. */
    private UnsafeBuffer inlineArgs;

    /**
     * Creates a parser.
     *
     * @param maxArgs the most arguments in one command.
     * @param maxBulkLength the longest argument in bytes.
     * @param maxCommandLength the longest command in bytes, counting the protocol's own bytes.
     */
    public RespRequestParser(final int maxArgs, final int maxBulkLength, final int maxCommandLength) {
        this.maxArgs = maxArgs;
        this.maxBulkLength = maxBulkLength;
        this.maxCommandLength = maxCommandLength;
    }

    /**
     * Parses one command starting at {@code offset}.
     *
     * @param buffer the bytes.
     * @param offset where the command starts (the same start again after {@link #INCOMPLETE}).
     * @param length the bytes available from {@code offset}.
     * @return the command's length in bytes, {@link #INCOMPLETE}, or a negative {@code ERROR_*} code.
     */
    public int parse(final DirectBuffer buffer, final int offset, final int length) {
        this.buffer = buffer;
        this.base = offset;
        if (length <= 0) {
            return INCOMPLETE;
        }
        final int result = buffer.getByte(offset) == '*' ? multibulk(length) : inline(length);
        if (result != INCOMPLETE) {
            declaredArgs = -1;
            resumeAt = 0;
        }
        return result;
    }

    /**
     * Forgets a command left incomplete (the connection ended or its bytes were dropped).
     */
    public void reset() {
        declaredArgs = -1;
        resumeAt = 0;
        argCount = 0;
    }

    /**
     * The arguments of the last complete command, the command name first.
     *
     * @return the count, 0 for an empty command.
     */
    public int argCount() {
        return argCount;
    }

    /**
     * The buffer the last command's arguments are in.
     *
     * @return the buffer given to {@link #parse}.
     */
    public DirectBuffer buffer() {
        return buffer;
    }

    /**
     * Where an argument starts.
     *
     * @param index from 0 (the command name).
     * @return the offset in {@link #buffer()}.
     */
    public int argOffset(final int index) {
        return base + argOffsets[index];
    }

    /**
     * An argument's length.
     *
     * @param index from 0 (the command name).
     * @return bytes.
     */
    public int argLength(final int index) {
        return argLengths[index];
    }

    /**
     * The text Redis answers a protocol error with (after {@code -ERR }).
     *
     * @param error a negative {@code ERROR_*} code.
     * @param firstByte for {@link #ERROR_EXPECTED_DOLLAR}, the byte found instead.
     * @return the message.
     */
    public static String errorMessage(final int error, final int firstByte) {
        return switch (error) {
            case ERROR_MULTIBULK_LENGTH -> "Protocol error: invalid multibulk length";
            case ERROR_EXPECTED_DOLLAR -> "Protocol error: expected '$', got '" + (char)(firstByte & 0xFF) + "'";
            case ERROR_BULK_LENGTH -> "Protocol error: invalid bulk length";
            case ERROR_MULTIBULK_LINE_TOO_LONG -> "Protocol error: too big mbulk count string";
            case ERROR_BULK_LINE_TOO_LONG -> "Protocol error: too big bulk count string";
            case ERROR_INLINE_TOO_LONG -> "Protocol error: too big inline request";
            case ERROR_UNBALANCED_QUOTES -> "Protocol error: unbalanced quotes in request";
            case ERROR_COMMAND_TOO_LONG -> "Protocol error: command longer than the node's largest request";
            default -> "Protocol error";
        };
    }

    /**
     * The byte where a multibulk argument's '$' was expected, after {@link #ERROR_EXPECTED_DOLLAR}.
     *
     * @return the byte.
     */
    public int unexpectedByte() {
        return unexpected;
    }

    private int multibulk(final int length) {
        int position;
        if (declaredArgs < 0) {
            final int lineEnd = lineEnd(1, length);
            if (lineEnd < 0) {
                return length - 1 > MAX_LINE_LENGTH ? ERROR_MULTIBULK_LINE_TOO_LONG : INCOMPLETE;
            }
            final long count = parseLine(1, lineEnd);
            if (count == NOT_A_NUMBER || count > maxArgs) {
                return ERROR_MULTIBULK_LENGTH;
            }
            position = lineEnd + 2;
            if (count <= 0) {
                argCount = 0;
                return position;
            }
            declaredArgs = count;
            argCount = 0;
        } else {
            position = resumeAt;
        }
        while (argCount < declaredArgs) {
            if (position >= length) {
                return pause(position);
            }
            if (buffer.getByte(base + position) != '$') {
                unexpected = buffer.getByte(base + position);
                return ERROR_EXPECTED_DOLLAR;
            }
            final int lineEnd = lineEnd(position + 1, length);
            if (lineEnd < 0) {
                return length - position - 1 > MAX_LINE_LENGTH ? ERROR_BULK_LINE_TOO_LONG : pause(position);
            }
            final long bulkLength = parseLine(position + 1, lineEnd);
            if (bulkLength == NOT_A_NUMBER || bulkLength < 0 || bulkLength > maxBulkLength) {
                return ERROR_BULK_LENGTH;
            }
            final long end = lineEnd + 2L + bulkLength + 2;
            if (end > maxCommandLength) {
                return ERROR_COMMAND_TOO_LONG;
            }
            if (end > length) {
                return pause(position);
            }
            addArg(lineEnd + 2, (int)bulkLength);
            position = (int)end;
        }
        return position;
    }

    private int pause(final int position) {
        if (position > maxCommandLength) {
            return ERROR_COMMAND_TOO_LONG;
        }
        resumeAt = position;
        return INCOMPLETE;
    }

    private int inline(final int length) {
        final int limit = Math.min(length, MAX_INLINE_LENGTH + 1);
        int newline = -1;
        for (int i = 0; i < limit; i++) {
            if (buffer.getByte(base + i) == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            // the line is at least length + 1 bytes; of the two limits, the one a growing line passes first wins
            if (length >= maxCommandLength && maxCommandLength <= MAX_INLINE_LENGTH) {
                return ERROR_COMMAND_TOO_LONG;
            }
            return length > MAX_INLINE_LENGTH ? ERROR_INLINE_TOO_LONG : INCOMPLETE;
        }
        if (newline >= maxCommandLength) {
            return ERROR_COMMAND_TOO_LONG;
        }
        int end = newline;
        if (end > 0 && buffer.getByte(base + end - 1) == '\r') {
            end--;
        }
        return splitInline(end, newline + 1);
    }

    /**
     * Splits an inline line as Redis's sdssplitargs does, into {@link #inlineArgs} (the arguments of an inline command
     * are then views of that buffer): words between blanks; a double quote, even in the middle of a word, starts a
     * quoted part in which {@code \xHH} is a byte, {@code \n \r \t \b \a} are control characters and a backslash
     * before any other character is that character; a single quote starts a part in which only {@code \'} is an
     * escape; a closing quote must be followed by a blank or the line's end; a NUL byte ends the line, as it ends
     * Redis's C string.
     */
    private int splitInline(final int end, final int consumed) {
        if (inlineArgs == null) {
            inlineArgs = new UnsafeBuffer(new byte[MAX_INLINE_LENGTH]);
        }
        final DirectBuffer line = buffer;
        final int lineBase = base;
        buffer = inlineArgs;
        base = 0;
        argCount = 0;
        int out = 0;
        int position = 0;
        while (true) {
            while (position < end && isBlank(line.getByte(lineBase + position))) {
                position++;
            }
            if (position >= end || line.getByte(lineBase + position) == 0) {
                return consumed;
            }
            final int start = out;
            byte quote = 0;
            boolean done = false;
            while (!done) {
                final int c = position < end ? line.getByte(lineBase + position) : 0;
                final int next = position + 1 < end ? line.getByte(lineBase + position + 1) : 0;
                if (quote != 0) {
                    if (quote == '"' && c == '\\' && next == 'x' && position + 3 < end &&
                        hexDigit(line.getByte(lineBase + position + 2)) >= 0 &&
                        hexDigit(line.getByte(lineBase + position + 3)) >= 0) {
                        inlineArgs.putByte(out++, (byte)(hexDigit(line.getByte(lineBase + position + 2)) * 16 +
                            hexDigit(line.getByte(lineBase + position + 3))));
                        position += 3;
                    } else if (quote == '"' && c == '\\' && next != 0) {
                        position++;
                        inlineArgs.putByte(out++, (byte)switch (next) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> next;
                        });
                    } else if (quote == '\'' && c == '\\' && next == '\'') {
                        position++;
                        inlineArgs.putByte(out++, (byte)'\'');
                    } else if (c == quote) {
                        if (next != 0 && !isBlank((byte)next)) {
                            return unbalanced();
                        }
                        done = true;
                    } else if (c == 0) {
                        return unbalanced();
                    } else {
                        inlineArgs.putByte(out++, (byte)c);
                    }
                } else if (c == 0 || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    // a word ends on these only; vertical tab and form feed are blanks between words alone
                    done = true;
                } else if (c == '"' || c == '\'') {
                    quote = (byte)c;
                } else {
                    inlineArgs.putByte(out++, (byte)c);
                }
                if (c != 0) {
                    position++;
                }
            }
            addArg(start, out - start);
        }
    }

    private int unbalanced() {
        argCount = 0;
        return ERROR_UNBALANCED_QUOTES;
    }

    private static int hexDigit(final byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        final int lower = b | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private void addArg(final int relativeOffset, final int length) {
        if (argCount == argOffsets.length) {
            final int grown = argOffsets.length * 2;
            argOffsets = Arrays.copyOf(argOffsets, grown);
            argLengths = Arrays.copyOf(argLengths, grown);
        }
        argOffsets[argCount] = relativeOffset;
        argLengths[argCount] = length;
        argCount++;
    }

    /** The offset of the '\r' of a "\r\n" at or after {@code from}, or -1 when none is in the bytes yet. */
    private int lineEnd(final int from, final int length) {
        final int limit = Math.min(length - 1, from + MAX_LINE_LENGTH);
        for (int i = from; i < limit; i++) {
            if (buffer.getByte(base + i) == '\r' && buffer.getByte(base + i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private long parseLine(final int from, final int to) {
        return RespNumbers.parseLong(buffer, base + from, to - from, NOT_A_NUMBER);
    }

    private static boolean isBlank(final byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0x0B || b == '\f';
    }
}
