package io.loomcache.server.resp;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.resp.RespReplyEncoder;

/**
 * The Redis error replies of the node's error codes: Redis's own text where Redis has the same error (OOM, NOAUTH,
 * NOPERM, the integer errors), otherwise {@code ERR} and the code's description, with the answer's message after
 * it when there is one. Allocation-free.
 */
final class RespErrors {
    private static final byte[] ERR = ascii("ERR ");
    private static final byte[] KEY_TOO_LARGE = ascii("ERR key exceeds the node's key limit (16 KiB, or " +
        "--max-frame-length if smaller)");
    private static final byte[] NOT_AN_INTEGER = ascii("ERR value is not an integer or out of range");
    private static final byte[] OVERFLOW = ascii("ERR increment or decrement would overflow");
    private static final byte[] NOT_A_FLOAT = ascii("ERR value is not a valid float");
    private static final byte[] NAN_OR_INFINITY = ascii("ERR increment would produce NaN or Infinity");
    private static final byte[] TOO_LARGE = ascii("ERR string exceeds maximum allowed size (the node's value " +
        "limit: 1 MiB, or --max-frame-length if smaller)");
    private static final byte[] OOM = ascii("OOM command not allowed when used memory > 'maxmemory'.");
    private static final byte[] NOAUTH = ascii("NOAUTH Authentication required.");
    private static final byte[] NOPERM = ascii("NOPERM ");
    private static final byte[] BUSY = ascii("TRYAGAIN the node is busy (above its high watermark or out of " +
        "connection memory), retry later");
    private static final byte[] SEPARATOR = ascii(": ");

    private final UnsafeBuffer text = new UnsafeBuffer(new byte[1024]);

    /**
     * Writes the error reply of a node error code.
     *
     * @param encoder where it goes.
     * @param errorCode the code.
     * @param message the answer's message, or null.
     * @param offset of the message.
     * @param length of the message, 0 for none.
     */
    void write(
        final RespReplyEncoder encoder,
        final int errorCode,
        final DirectBuffer message,
        final int offset,
        final int length) {
        switch (errorCode) {
            case ErrorCode.NOT_AN_INTEGER -> encoder.error(NOT_AN_INTEGER);
            case ErrorCode.INTEGER_OVERFLOW -> encoder.error(OVERFLOW);
            case ErrorCode.NOT_A_FLOAT -> encoder.error(NOT_A_FLOAT);
            case ErrorCode.NAN_OR_INFINITY -> encoder.error(NAN_OR_INFINITY);
            case ErrorCode.VALUE_TOO_LONG, ErrorCode.FRAME_TOO_LONG -> encoder.error(TOO_LARGE);
            case ErrorCode.KEY_TOO_LONG -> encoder.error(KEY_TOO_LARGE);
            case ErrorCode.STORE_FULL -> encoder.error(OOM);
            case ErrorCode.NOT_AUTHENTICATED -> encoder.error(NOAUTH);
            case ErrorCode.SERVER_BUSY -> encoder.error(BUSY);
            default -> {
                final DirectBuffer description = ErrorCode.descriptionBytes(errorCode);
                int position = 0;
                text.putBytes(position, description, 0, description.capacity());
                position += description.capacity();
                if (length > 0 && !sameBytes(description, message, offset, length)) {
                    final int room = Math.min(length, text.capacity() - position - SEPARATOR.length);
                    text.putBytes(position, SEPARATOR);
                    position += SEPARATOR.length;
                    text.putBytes(position, message, offset, room);
                    position += room;
                }
                encoder.error(errorCode == ErrorCode.PERMISSION_DENIED ? NOPERM : ERR, text, 0, position);
            }
        }
    }

    private static boolean sameBytes(
        final DirectBuffer expected, final DirectBuffer buffer, final int offset, final int length) {
        if (expected.capacity() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (expected.getByte(i) != buffer.getByte(offset + i)) {
                return false;
            }
        }
        return true;
    }

    static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
