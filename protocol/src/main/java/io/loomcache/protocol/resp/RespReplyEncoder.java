package io.loomcache.protocol.resp;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes RESP replies into a buffer, in RESP2 or RESP3 (what {@code HELLO} chose): simple strings, errors, integers,
 * bulk strings, nulls, arrays and maps. A flyweight: {@link #wrap} a buffer at a position, append replies, read the
 * new {@link #position()}. With an expandable buffer (Agrona's {@code ExpandableArrayBuffer}) nothing needs sizing
 * first; with a fixed one the caller makes room. Allocation-free.
 */
public final class RespReplyEncoder {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL_BULK_RESP2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY_RESP2 = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_RESP3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);

    private MutableDirectBuffer buffer;
    private int position;
    private boolean resp3;

    /**
     * Points the encoder at a buffer.
     *
     * @param buffer where replies go.
     * @param position where the next reply starts.
     * @return this.
     */
    public RespReplyEncoder wrap(final MutableDirectBuffer buffer, final int position) {
        this.buffer = buffer;
        this.position = position;
        return this;
    }

    /**
     * Chooses the protocol version of the replies (nulls, maps).
     *
     * @param resp3 true for RESP3.
     * @return this.
     */
    public RespReplyEncoder resp3(final boolean resp3) {
        this.resp3 = resp3;
        return this;
    }

    /**
     * Whether replies are RESP3.
     *
     * @return true after {@code HELLO 3}.
     */
    public boolean isResp3() {
        return resp3;
    }

    /**
     * The end of what was written.
     *
     * @return the position.
     */
    public int position() {
        return position;
    }

    /**
     * A simple string: {@code +text}.
     *
     * @param text ASCII without CR or LF.
     * @return this.
     */
    public RespReplyEncoder simple(final byte[] text) {
        buffer.putByte(position++, (byte)'+');
        return raw(text).raw(CRLF);
    }

    /**
     * An error: {@code -text}, the text starting with its code ({@code ERR}, {@code WRONGTYPE}, ...).
     *
     * @param text ASCII without CR or LF.
     * @return this.
     */
    public RespReplyEncoder error(final byte[] text) {
        buffer.putByte(position++, (byte)'-');
        return raw(text).raw(CRLF);
    }

    /**
     * An error whose text starts with {@code prefix} and goes on with bytes from a buffer (CR and LF become blanks).
     *
     * @param prefix the code and the start of the text, e.g. {@code "ERR "}.
     * @param text the rest.
     * @param offset of the rest.
     * @param length of the rest.
     * @return this.
     */
    public RespReplyEncoder error(final byte[] prefix, final DirectBuffer text, final int offset, final int length) {
        buffer.putByte(position++, (byte)'-');
        raw(prefix);
        for (int i = 0; i < length; i++) {
            final byte b = text.getByte(offset + i);
            buffer.putByte(position++, b == '\r' || b == '\n' ? (byte)' ' : b);
        }
        return raw(CRLF);
    }

    /**
     * Starts an error whose text the caller writes next ({@link #number}, {@link #character}, {@link #text}), then
     * ends with {@link #crlf()}.
     *
     * @param prefix the error code and what follows it, e.g. {@code "MOVED "}.
     * @return this.
     */
    public RespReplyEncoder errorStart(final byte[] prefix) {
        buffer.putByte(position++, (byte)'-');
        return raw(prefix);
    }

    /**
     * A number in decimal, inside a reply the caller is writing.
     *
     * @param value the number.
     * @return this.
     */
    public RespReplyEncoder number(final long value) {
        position += buffer.putLongAscii(position, value);
        return this;
    }

    /**
     * An unsigned 64-bit number in decimal, inside a reply the caller is writing; allocation-free.
     *
     * @param value the number, read as unsigned.
     * @return this.
     */
    public RespReplyEncoder unsignedNumber(final long value) {
        if (value >= 0) {
            return number(value);
        }
        final long quotient = (value >>> 1) / 5;
        final int digit = (int)(value - quotient * 10);
        return number(quotient).character((char)('0' + digit));
    }

    /**
     * One ASCII character, inside a reply the caller is writing.
     *
     * @param c the character.
     * @return this.
     */
    public RespReplyEncoder character(final char c) {
        buffer.putByte(position++, (byte)c);
        return this;
    }

    /**
     * ASCII text, inside a reply the caller is writing; allocation-free.
     *
     * @param text the text, ASCII without CR or LF.
     * @return this.
     */
    public RespReplyEncoder text(final String text) {
        for (int i = 0; i < text.length(); i++) {
            buffer.putByte(position++, (byte)text.charAt(i));
        }
        return this;
    }

    /**
     * An integer: {@code :n}.
     *
     * @param value the number.
     * @return this.
     */
    public RespReplyEncoder integer(final long value) {
        buffer.putByte(position++, (byte)':');
        position += buffer.putLongAscii(position, value);
        return raw(CRLF);
    }

    /**
     * A bulk string: {@code $len} and the bytes.
     *
     * @param value the bytes.
     * @param offset of the bytes.
     * @param length of the bytes.
     * @return this.
     */
    public RespReplyEncoder bulk(final DirectBuffer value, final int offset, final int length) {
        bulkHeader(length);
        buffer.putBytes(position, value, offset, length);
        position += length;
        return raw(CRLF);
    }

    /**
     * A bulk string of bytes.
     *
     * @param value the bytes.
     * @return this.
     */
    public RespReplyEncoder bulk(final byte[] value) {
        bulkHeader(value.length);
        return raw(value).raw(CRLF);
    }

    /**
     * A bulk string holding a number in decimal.
     *
     * @param value the number.
     * @return this.
     */
    public RespReplyEncoder bulk(final long value) {
        bulkHeader(RespNumbers.digits(value));
        position += buffer.putLongAscii(position, value);
        return raw(CRLF);
    }

    /**
     * The header of a bulk string whose bytes the caller writes next, followed by {@link #crlf()}.
     *
     * @param length of the bytes.
     * @return this.
     */
    public RespReplyEncoder bulkHeader(final int length) {
        buffer.putByte(position++, (byte)'$');
        position += buffer.putIntAscii(position, length);
        return raw(CRLF);
    }

    /**
     * The end of a bulk string's bytes.
     *
     * @return this.
     */
    public RespReplyEncoder crlf() {
        return raw(CRLF);
    }

    /**
     * A null reply: {@code $-1} (RESP2) or {@code _} (RESP3).
     *
     * @return this.
     */
    public RespReplyEncoder nullBulk() {
        return raw(resp3 ? NULL_RESP3 : NULL_BULK_RESP2);
    }

    /**
     * A null array: {@code *-1} (RESP2) or {@code _} (RESP3).
     *
     * @return this.
     */
    public RespReplyEncoder nullArray() {
        return raw(resp3 ? NULL_RESP3 : NULL_ARRAY_RESP2);
    }

    /**
     * The header of an array of {@code count} replies, which follow.
     *
     * @param count elements.
     * @return this.
     */
    public RespReplyEncoder array(final int count) {
        buffer.putByte(position++, (byte)'*');
        position += buffer.putIntAscii(position, count);
        return raw(CRLF);
    }

    /**
     * The header of an out-of-band push of {@code count} elements: {@code >count} in RESP3, an array in RESP2 (how
     * Redis sends pub/sub messages and subscription confirmations).
     *
     * @param count elements.
     * @return this.
     */
    public RespReplyEncoder push(final int count) {
        if (!resp3) {
            return array(count);
        }
        buffer.putByte(position++, (byte)'>');
        position += buffer.putIntAscii(position, count);
        return raw(CRLF);
    }

    /**
     * The header of a map of {@code count} pairs: {@code %count} in RESP3, an array of 2 x count in RESP2.
     *
     * @param count pairs.
     * @return this.
     */
    public RespReplyEncoder map(final int count) {
        if (!resp3) {
            return array(2 * count);
        }
        buffer.putByte(position++, (byte)'%');
        position += buffer.putIntAscii(position, count);
        return raw(CRLF);
    }

    /**
     * The header of a set of {@code count} members: {@code ~count} in RESP3, an array in RESP2.
     *
     * @param count members.
     * @return this.
     */
    public RespReplyEncoder set(final int count) {
        if (!resp3) {
            return array(count);
        }
        buffer.putByte(position++, (byte)'~');
        position += buffer.putIntAscii(position, count);
        return raw(CRLF);
    }

    /**
     * Bytes as they are (an already encoded reply).
     *
     * @param bytes the bytes.
     * @return this.
     */
    public RespReplyEncoder raw(final byte[] bytes) {
        buffer.putBytes(position, bytes);
        position += bytes.length;
        return this;
    }

    /**
     * Bytes from a buffer as they are (an already encoded reply).
     *
     * @param bytes the buffer.
     * @param offset of the bytes.
     * @param length of the bytes.
     * @return this.
     */
    public RespReplyEncoder raw(final DirectBuffer bytes, final int offset, final int length) {
        buffer.putBytes(position, bytes, offset, length);
        position += length;
        return this;
    }
}
