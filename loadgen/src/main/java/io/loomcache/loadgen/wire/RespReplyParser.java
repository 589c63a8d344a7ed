package io.loomcache.loadgen.wire;

import io.loomcache.protocol.ErrorCode;
import org.agrona.DirectBuffer;

/**
 * Incremental, allocation-free parser of RESP2 replies: simple strings ({@code +OK}), errors ({@code -ERR ...}),
 * integers ({@code :1}), bulk strings ({@code $3 foo}, nil {@code $-1}) and arrays, nested to any depth
 * ({@code *-1} is nil). {@link #parse} consumes whole elements only and returns how many bytes it used; the caller
 * keeps the rest and calls again with more bytes appended. An array split across calls is resumed from the count of
 * elements still due, so nothing is buffered here. Every length is validated before use: a line longer than
 * {@code maxLineLength} or a bulk string longer than {@code maxBulkLength} fails the stream.
 * Not thread-safe: one per connection.
 */
public final class RespReplyParser {
    /** Kind of a simple string reply ({@code +}). */
    public static final int SIMPLE_STRING = 1;
    /** Kind of an error reply ({@code -}). */
    public static final int ERROR = 2;
    /** Kind of an integer reply ({@code :}). */
    public static final int INTEGER = 3;
    /** Kind of a bulk string reply ({@code $}). */
    public static final int BULK_STRING = 4;
    /** Kind of a nil reply ({@code $-1} or {@code *-1}). */
    public static final int NIL = 5;
    /** Kind of an array reply ({@code *}). */
    public static final int ARRAY = 6;

    private static final int CR_LF_LENGTH = 2;
    private static final int MAX_LENGTH_DIGITS = 18;
    private static final int INCOMPLETE = -1;
    private static final int MALFORMED = -2;
    private static final int TOO_LONG = -3;

    private final int maxLineLength;
    private final int maxBulkLength;
    private long elementsDue;
    private int topKind;
    private int topOffset;
    private int topLength;
    private int elementKind;
    private int elementOffset;
    private long elementLength;
    private int errorCode;

    /**
     * Creates a parser.
     *
     * @param maxLineLength the longest type line accepted (type byte to CR LF included), in bytes.
     * @param maxBulkLength the longest bulk string accepted, in bytes.
     */
    public RespReplyParser(final int maxLineLength, final int maxBulkLength) {
        this.maxLineLength = maxLineLength;
        this.maxBulkLength = maxBulkLength;
    }

    /**
     * Parses as many complete elements as the bytes hold, reporting each complete top-level reply.
     *
     * @param buffer the bytes.
     * @param offset the index of the first unparsed byte.
     * @param length the number of bytes.
     * @param handler receives every completed reply.
     * @return the bytes consumed, or minus {@link ErrorCode#MALFORMED_FRAME} / {@link ErrorCode#VALUE_TOO_LONG}
     *     once the stream is corrupt (the parser stays failed).
     */
    public int parse(final DirectBuffer buffer, final int offset, final int length, final RespReplyHandler handler) {
        if (errorCode != ErrorCode.NONE) {
            return -errorCode;
        }
        final int end = offset + length;
        int position = offset;
        while (position < end) {
            final int next = element(buffer, position, end);
            if (next == INCOMPLETE) {
                break;
            }
            if (next < 0) {
                errorCode = next == TOO_LONG ? ErrorCode.VALUE_TOO_LONG : ErrorCode.MALFORMED_FRAME;
                return -errorCode;
            }
            if (elementsDue == 0) {
                topKind = elementKind;
                topOffset = elementOffset;
                topLength = (int)elementLength;
                elementsDue = 1;
            }
            elementsDue += (elementKind == ARRAY ? elementLength : 0) - 1;
            position = next;
            if (elementsDue == 0) {
                handler.onReply(topKind, buffer, topOffset, topLength);
            }
        }
        return position - offset;
    }

    /**
     * Parses one element; sets elementKind, elementOffset and elementLength.
     *
     * @return the index after the element, or INCOMPLETE, MALFORMED or TOO_LONG.
     */
    private int element(final DirectBuffer buffer, final int start, final int end) {
        final int lineEnd = findCrLf(buffer, start + 1, Math.min(end, start + maxLineLength));
        if (lineEnd < 0) {
            return end - start >= maxLineLength ? TOO_LONG : INCOMPLETE;
        }
        final int afterLine = lineEnd + CR_LF_LENGTH;
        final byte type = buffer.getByte(start);
        elementOffset = start + 1;
        elementLength = lineEnd - elementOffset;
        switch (type) {
            case '+' -> elementKind = SIMPLE_STRING;
            case '-' -> elementKind = ERROR;
            case ':' -> elementKind = INTEGER;
            case '$' -> {
                return bulk(buffer, lineEnd, afterLine, end);
            }
            case '*' -> {
                final long count = parseLength(buffer, start + 1, lineEnd);
                if (count < -1) {
                    return MALFORMED;
                }
                elementKind = count == -1 ? NIL : ARRAY;
                elementOffset = 0;
                elementLength = Math.max(count, 0);
            }
            default -> {
                return MALFORMED;
            }
        }
        return afterLine;
    }

    private int bulk(final DirectBuffer buffer, final int lineEnd, final int afterLine, final int end) {
        final long length = parseLength(buffer, elementOffset, lineEnd);
        if (length == -1) {
            elementKind = NIL;
            elementOffset = 0;
            elementLength = 0;
            return afterLine;
        }
        if (length < -1) {
            return MALFORMED;
        }
        if (length > maxBulkLength) {
            return TOO_LONG;
        }
        if (afterLine + length + CR_LF_LENGTH > end) {
            return INCOMPLETE;
        }
        final int dataEnd = afterLine + (int)length;
        if (buffer.getByte(dataEnd) != '\r' || buffer.getByte(dataEnd + 1) != '\n') {
            return MALFORMED;
        }
        elementKind = BULK_STRING;
        elementOffset = afterLine;
        elementLength = length;
        return dataEnd + CR_LF_LENGTH;
    }

    private static int findCrLf(final DirectBuffer buffer, final int from, final int limit) {
        for (int i = from; i + 1 < limit; i++) {
            if (buffer.getByte(i) == '\r' && buffer.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses a decimal length ({@code -1} allowed).
     *
     * @return the value, or Long.MIN_VALUE when it is not a number.
     */
    private static long parseLength(final DirectBuffer buffer, final int from, final int to) {
        final boolean negative = from < to && buffer.getByte(from) == '-';
        final int first = negative ? from + 1 : from;
        if (first == to || to - first > MAX_LENGTH_DIGITS) {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (int i = first; i < to; i++) {
            final int digit = buffer.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                return Long.MIN_VALUE;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    /**
     * The error that failed this parser.
     *
     * @return an {@link ErrorCode}, or NONE while healthy.
     */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Tells whether a reply is partly parsed (an array with elements still due).
     *
     * @return true in the middle of an array.
     */
    public boolean inReply() {
        return elementsDue != 0;
    }
}
