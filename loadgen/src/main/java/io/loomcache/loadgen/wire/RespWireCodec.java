package io.loomcache.loadgen.wire;

import java.nio.charset.StandardCharsets;

import io.loomcache.loadgen.workload.OpMix;
import io.loomcache.protocol.ErrorCode;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link WireCodec} for RESP (Redis): one command per {@link OpMix} operation Redis has ({@code GET key}, {@code SET
 * key value}, {@code DEL key}, {@code SET key value NX}, {@code SET key value PX ttl}, {@code GETSET key value}) as
 * RESP arrays of bulk strings, written from templates with only the key digits rewritten; replies parsed by a
 * {@link RespReplyParser} and matched in order (RESP has no correlation ids). A bulk, simple-string or non-zero
 * integer reply is {@link Outcome#OK}, nil or {@code :0} is {@link Outcome#MISS}, an error reply is
 * {@link Outcome#ERROR} with code {@link Outcome#REDIS_ERROR}.
 * Not thread-safe: one per connection; allocates nothing per request or reply.
 */
public final class RespWireCodec implements WireCodec, RespReplyHandler {
    /** The longest reply type line accepted (error messages included), in bytes. */
    public static final int MAX_LINE_LENGTH = 4096;
    private static final String CR_LF = "\r\n";

    private final UnsafeBuffer[] templates = new UnsafeBuffer[OpMix.COUNT];
    private final int[] digitsOffsets = new int[OpMix.COUNT];
    /** Where the value's bulk header starts in a template, -1 for an operation without value. */
    private final int[] valueStarts = new int[OpMix.COUNT];
    /** Where what follows the value (its CRLF included) starts in a template. */
    private final int[] valueEnds = new int[OpMix.COUNT];
    private final int maxRequestLength;
    private final int valueSize;
    private final UnsafeBuffer value;
    private final RespReplyParser parser;
    private ResponseListener listener;
    private String firstErrorMessage;

    /**
     * Creates a codec and encodes its templates, {@link OpMix#SETEX} with {@link LoomWireCodec#DEFAULT_TTL_MS}.
     *
     * @param valueSize the length of every written value in bytes.
     * @param maxBulkLength the longest bulk string reply accepted (the caller's read buffer must hold one whole).
     */
    public RespWireCodec(final int valueSize, final int maxBulkLength) {
        this(valueSize, LoomWireCodec.DEFAULT_TTL_MS, null, maxBulkLength);
    }

    /**
     * Creates a codec and encodes a template per operation Redis has (all but {@link OpMix#CAS}).
     *
     * @param valueSize the length of every written value in bytes.
     * @param ttlMs the TTL of {@link OpMix#SETEX} requests ({@code SET key value PX ttl}), ms.
     * @param mix the operations to make templates for (GET and SET always: the preload writes), null for all.
     * @param maxBulkLength the longest bulk string reply accepted (the caller's read buffer must hold one whole).
     */
    public RespWireCodec(final int valueSize, final long ttlMs, final OpMix mix, final int maxBulkLength) {
        this.valueSize = valueSize;
        this.value = new UnsafeBuffer(new byte[valueSize]);
        LoomWireCodec.fillValue(value, valueSize);
        template(OpMix.GET, valueSize, "GET");
        template(OpMix.SET, valueSize, "SET", (String)null);
        if (OpMix.includes(mix, OpMix.DEL)) {
            template(OpMix.DEL, valueSize, "DEL");
        }
        if (OpMix.includes(mix, OpMix.SETNX)) {
            template(OpMix.SETNX, valueSize, "SET", null, "NX");
        }
        if (OpMix.includes(mix, OpMix.SETEX)) {
            template(OpMix.SETEX, valueSize, "SET", null, "PX", Long.toString(ttlMs));
        }
        if (OpMix.includes(mix, OpMix.GETSET)) {
            template(OpMix.GETSET, valueSize, "GETSET", (String)null);
        }
        int longest = 0;
        for (final UnsafeBuffer template : templates) {
            longest = Math.max(longest, template == null ? 0 : template.capacity());
        }
        maxRequestLength = longest;
        parser = new RespReplyParser(MAX_LINE_LENGTH, maxBulkLength);
    }

    /**
     * Encodes {@code command key [args]} as a RESP array; a null argument stands for the value (the generator's
     * pattern of {@code valueSize} bytes).
     */
    private void template(final int op, final int valueSize, final String command, final String... args) {
        final int count = 2 + args.length;
        final StringBuilder head = new StringBuilder().append('*').append(count).append(CR_LF)
            .append('$').append(command.length()).append(CR_LF).append(command).append(CR_LF)
            .append('$').append(KeyFormat.KEY_LENGTH).append(CR_LF);
        int length = head.length() + KeyFormat.KEY_LENGTH + CR_LF.length();
        for (final String arg : args) {
            final int argLength = arg == null ? valueSize : arg.length();
            length += 1 + Integer.toString(argLength).length() + CR_LF.length() + argLength + CR_LF.length();
        }
        final UnsafeBuffer template = new UnsafeBuffer(new byte[length]);
        int index = putAscii(template, 0, head.toString());
        digitsOffsets[op] = index + KeyFormat.PREFIX_LENGTH;
        KeyFormat.putKey(template, index, 0);
        index = putAscii(template, index + KeyFormat.KEY_LENGTH, CR_LF);
        valueStarts[op] = -1;
        for (final String arg : args) {
            final int argLength = arg == null ? valueSize : arg.length();
            if (arg == null) {
                valueStarts[op] = index;
            }
            index = putAscii(template, index, "$" + argLength + CR_LF);
            if (arg == null) {
                LoomWireCodec.fillValue(new UnsafeBuffer(template, index, valueSize), valueSize);
                index += valueSize;
            } else {
                index = putAscii(template, index, arg);
            }
            index = putAscii(template, index, CR_LF);
            if (arg == null) {
                valueEnds[op] = index - CR_LF.length();
            }
        }
        templates[op] = template;
    }

    private static int putAscii(final MutableDirectBuffer buffer, final int offset, final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        buffer.putBytes(offset, bytes);
        return offset + bytes.length;
    }

    @Override
    public int maxRequestLength() {
        return maxRequestLength;
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
    public boolean supports(final int op) {
        return templates[op] != null;
    }

    @Override
    public int maxValueLength() {
        return valueSize;
    }

    @Override
    public int encode(final int op, final MutableDirectBuffer dst, final int offset, final long keyIndex,
        final long correlationId, final int valueLength) {
        final int valueStart = valueStarts[op];
        if (valueStart < 0 || valueLength == valueSize) {
            return fromTemplate(dst, offset, templates[op], digitsOffsets[op], keyIndex);
        }
        // the template up to the value's bulk header, a header and value of this length, then the rest
        final UnsafeBuffer template = templates[op];
        dst.putBytes(offset, template, 0, valueStart);
        KeyFormat.putDigits(dst, offset + digitsOffsets[op], keyIndex);
        int index = offset + valueStart;
        dst.putByte(index++, (byte)'$');
        index += dst.putNaturalIntAscii(index, valueLength);
        dst.putByte(index++, (byte)'\r');
        dst.putByte(index++, (byte)'\n');
        dst.putBytes(index, value, 0, valueLength);
        index += valueLength;
        final int rest = template.capacity() - valueEnds[op];
        dst.putBytes(index, template, valueEnds[op], rest);
        return index + rest - offset;
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
            // DEL's count: 0 means the key was missing
            case RespReplyParser.INTEGER -> listener.onResponse(ResponseListener.UNCORRELATED,
                length == 1 && buffer.getByte(offset) == '0' ? Outcome.MISS : Outcome.OK, ErrorCode.NONE);
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
