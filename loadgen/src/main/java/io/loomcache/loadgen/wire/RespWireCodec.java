package io.loomcache.loadgen.wire;

import java.nio.charset.StandardCharsets;

import io.loomcache.protocol.ErrorCode;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link WireCodec} for RESP (Redis): {@code SET key value} and {@code GET key} as RESP arrays of bulk strings,
 * written from two templates with only the key digits rewritten; replies parsed by a {@link RespReplyParser} and
 * matched in order (RESP has no correlation ids). A bulk or simple-string reply is {@link Outcome#OK}, nil is
 * {@link Outcome#MISS}, an error reply is {@link Outcome#ERROR} with code {@link Outcome#REDIS_ERROR}.
 * Not thread-safe: one per connection; allocates nothing per request or reply.
 */
public final class RespWireCodec implements WireCodec, RespReplyHandler {
    /** The longest reply type line accepted (error messages included), in bytes. */
    public static final int MAX_LINE_LENGTH = 4096;
    private static final String CR_LF = "\r\n";

    private final UnsafeBuffer getTemplate;
    private final int getDigitsOffset;
    private final UnsafeBuffer setTemplate;
    private final int setDigitsOffset;
    private final RespReplyParser parser;
    private ResponseListener listener;
    private String firstErrorMessage;

    /**
     * Creates a codec and encodes its templates.
     *
     * @param valueSize the length of every written value in bytes.
     * @param maxBulkLength the longest bulk string reply accepted (the caller's read buffer must hold one whole).
     */
    public RespWireCodec(final int valueSize, final int maxBulkLength) {
        final String keyHeader = "$" + KeyFormat.KEY_LENGTH + CR_LF;
        final String getPrefix = "*2" + CR_LF + "$3" + CR_LF + "GET" + CR_LF + keyHeader;
        final String setPrefix = "*3" + CR_LF + "$3" + CR_LF + "SET" + CR_LF + keyHeader;
        final String valueHeader = CR_LF + "$" + valueSize + CR_LF;

        getTemplate = new UnsafeBuffer(new byte[getPrefix.length() + KeyFormat.KEY_LENGTH + CR_LF.length()]);
        int index = putAscii(getTemplate, 0, getPrefix);
        getDigitsOffset = index + KeyFormat.PREFIX_LENGTH;
        KeyFormat.putKey(getTemplate, index, 0);
        putAscii(getTemplate, index + KeyFormat.KEY_LENGTH, CR_LF);

        setTemplate = new UnsafeBuffer(new byte[setPrefix.length() + KeyFormat.KEY_LENGTH + valueHeader.length() +
            valueSize + CR_LF.length()]);
        index = putAscii(setTemplate, 0, setPrefix);
        setDigitsOffset = index + KeyFormat.PREFIX_LENGTH;
        KeyFormat.putKey(setTemplate, index, 0);
        index = putAscii(setTemplate, index + KeyFormat.KEY_LENGTH, valueHeader);
        final UnsafeBuffer value = new UnsafeBuffer(setTemplate, index, valueSize);
        LoomWireCodec.fillValue(value, valueSize);
        putAscii(setTemplate, index + valueSize, CR_LF);

        parser = new RespReplyParser(MAX_LINE_LENGTH, maxBulkLength);
    }

    private static int putAscii(final MutableDirectBuffer buffer, final int offset, final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        buffer.putBytes(offset, bytes);
        return offset + bytes.length;
    }

    @Override
    public int maxRequestLength() {
        return Math.max(getTemplate.capacity(), setTemplate.capacity());
    }

    @Override
    public boolean ordered() {
        return true;
    }

    @Override
    public int encodeHandshake(final MutableDirectBuffer dst, final int offset, final long correlationId) {
        return 0;
    }

    @Override
    public int encodeGet(final MutableDirectBuffer dst, final int offset, final long keyIndex,
        final long correlationId) {
        return fromTemplate(dst, offset, getTemplate, getDigitsOffset, keyIndex);
    }

    @Override
    public int encodeSet(final MutableDirectBuffer dst, final int offset, final long keyIndex,
        final long correlationId) {
        return fromTemplate(dst, offset, setTemplate, setDigitsOffset, keyIndex);
    }

    /** Copies a command template, then writes the key's digits into the copy. */
    private static int fromTemplate(final MutableDirectBuffer dst, final int offset, final DirectBuffer template,
        final int digitsOffset, final long keyIndex) {
        final int length = template.capacity();
        dst.putBytes(offset, template, 0, length);
        KeyFormat.putDigits(dst, offset + digitsOffset, keyIndex);
        return length;
    }

    @Override
    public int onBytes(final DirectBuffer src, final int offset, final int length, final ResponseListener listener) {
        this.listener = listener;
        return parser.parse(src, offset, length, this);
    }

    @Override
    public void onReply(final int kind, final DirectBuffer buffer, final int offset, final int length) {
        switch (kind) {
            case RespReplyParser.NIL -> listener.onResponse(ResponseListener.UNCORRELATED, Outcome.MISS,
                ErrorCode.NONE);
            case RespReplyParser.ERROR -> {
                if (firstErrorMessage == null) {
                    firstErrorMessage = buffer.getStringWithoutLengthAscii(offset, length);
                }
                listener.onResponse(ResponseListener.UNCORRELATED, Outcome.ERROR, Outcome.REDIS_ERROR);
            }
            default -> listener.onResponse(ResponseListener.UNCORRELATED, Outcome.OK, ErrorCode.NONE);
        }
    }

    @Override
    public String firstErrorMessage() {
        return firstErrorMessage;
    }
}
