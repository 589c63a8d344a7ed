package io.loomcache.loadgen.wire;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;

import java.nio.charset.StandardCharsets;

import io.loomcache.loadgen.workload.OpMix;
import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameDecoder;
import io.loomcache.protocol.FrameHandler;
import io.loomcache.protocol.FrameHeaderDecoder;
import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.HelloEncoder;
import io.loomcache.protocol.HelloResponseDecoder;
import io.loomcache.protocol.MapRequestDescriptor;
import io.loomcache.protocol.MapRequestEncoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseDecoder;
import io.loomcache.protocol.VarDataDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link WireCodec} for the LoomCache binary protocol: one request per {@link OpMix} operation (MAP_GET, MAP_PUT
 * with TTL 0, MAP_REMOVE, MAP_PUT_IF_ABSENT, MAP_PUT with the run's TTL, MAP_REPLACE, MAP_GET_AND_PUT) on map
 * {@link #MAP_ID}, a HELLO
 * handshake, responses cut by a {@link FrameDecoder} and read with a {@link ResponseDecoder} flyweight, matched by
 * correlation id (the server may answer out of order); RESPONSE_REDIRECT goes to the listener's
 * {@link ResponseListener#onRedirect}, the address left in the read buffer. Requests are copied from templates
 * encoded once with the protocol's {@link MapRequestEncoder}; only the key digits and the correlation id are
 * rewritten per request. HELLO
 * offers only {@link FrameHeaderDescriptor#PROTOCOL_VERSION}, the version of the templates; a response body longer
 * than this code's layout (a newer server's fields) is read like any other, its tail skipped by the decoder.
 * Not thread-safe: one per connection; allocates nothing per request or response.
 */
public final class LoomWireCodec implements WireCodec, FrameHandler {
    /** The map every request addresses; this server version serves map 0 only. */
    public static final int MAP_ID = 0;
    /** The client name sent in HELLO. */
    public static final String CLIENT_NAME = "loomcache-loadgen";
    /** The value byte a value is filled with (a repeating pattern of printable ASCII). */
    public static final byte FIRST_VALUE_BYTE = 'a';

    private static final int ALPHABET_LENGTH = 26;

    /** Default TTL of {@link OpMix#SETEX} requests, ms. */
    public static final long DEFAULT_TTL_MS = 60_000;

    private final UnsafeBuffer[] templates = new UnsafeBuffer[OpMix.COUNT];
    private final int[] lengths = new int[OpMix.COUNT];
    private final int[] digitsOffsets = new int[OpMix.COUNT];
    private final int[] opcodes = new int[OpMix.COUNT];
    private final long[] ttls = new long[OpMix.COUNT];
    private final int maxRequestLength;
    private final int valueSize;
    private final UnsafeBuffer value;
    private final UnsafeBuffer keyScratch = new UnsafeBuffer(new byte[KeyFormat.KEY_LENGTH]);
    private final MapRequestEncoder sizedEncoder;
    private final UnsafeBuffer clientName = new UnsafeBuffer(CLIENT_NAME.getBytes(StandardCharsets.US_ASCII));
    private final HelloEncoder helloEncoder = new HelloEncoder();
    private final FrameDecoder frameDecoder;
    private final FrameHeaderDecoder headerDecoder = new FrameHeaderDecoder();
    private final ResponseDecoder responseDecoder;
    private final HelloResponseDecoder helloResponseDecoder = new HelloResponseDecoder();
    private ResponseListener listener;
    private String firstErrorMessage;
    private int partitionCount;

    /**
     * Creates a codec and encodes its templates, {@link OpMix#SETEX} with {@link #DEFAULT_TTL_MS}.
     *
     * @param valueSize the length of every written value in bytes.
     * @param limits the server's limits, which the templates must respect.
     * @throws IllegalArgumentException when a request with this value size would break the limits.
     */
    public LoomWireCodec(final int valueSize, final ProtocolLimits limits) {
        this(valueSize, DEFAULT_TTL_MS, null, limits);
    }

    /**
     * Creates a codec and encodes a template per operation.
     *
     * @param valueSize the length of every written value in bytes.
     * @param ttlMs the TTL of {@link OpMix#SETEX} requests, ms.
     * @param mix the operations to make templates for (GET and SET always: the preload writes), null for all.
     * @param limits the server's limits, which the templates must respect.
     * @throws IllegalArgumentException when a request with this value size would break the limits.
     */
    public LoomWireCodec(final int valueSize, final long ttlMs, final OpMix mix, final ProtocolLimits limits) {
        final int check = check(valueSize, mix, limits);
        if (check != ErrorCode.NONE) {
            throw new IllegalArgumentException("value size " + valueSize + " breaks the protocol limits: " +
                ErrorCode.name(check));
        }
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KeyFormat.KEY_LENGTH]);
        KeyFormat.putKey(key, 0, 0);
        this.valueSize = valueSize;
        this.value = new UnsafeBuffer(new byte[valueSize]);
        fillValue(value, valueSize);
        this.sizedEncoder = new MapRequestEncoder(limits);
        final MapRequestEncoder encoder = new MapRequestEncoder(limits);
        template(encoder, OpMix.GET, Opcodes.MAP_GET, 0, key, null, null);
        template(encoder, OpMix.SET, Opcodes.MAP_PUT, 0, key, null, value);
        if (OpMix.includes(mix, OpMix.DEL)) {
            template(encoder, OpMix.DEL, Opcodes.MAP_REMOVE, 0, key, null, null);
        }
        if (OpMix.includes(mix, OpMix.SETNX)) {
            template(encoder, OpMix.SETNX, Opcodes.MAP_PUT_IF_ABSENT, 0, key, null, value);
        }
        if (OpMix.includes(mix, OpMix.SETEX)) {
            template(encoder, OpMix.SETEX, Opcodes.MAP_PUT, ttlMs, key, null, value);
        }
        if (OpMix.includes(mix, OpMix.CAS)) {
            // compare-and-set against the value the generator writes (of the same length): it succeeds where a key
            // holds it
            template(encoder, OpMix.CAS, Opcodes.MAP_REPLACE, 0, key, value, value);
        }
        if (OpMix.includes(mix, OpMix.GETSET)) {
            template(encoder, OpMix.GETSET, Opcodes.MAP_GET_AND_PUT, 0, key, null, value);
        }
        int longest = 0;
        for (final int length : lengths) {
            longest = Math.max(longest, length);
        }
        maxRequestLength = longest;

        responseDecoder = new ResponseDecoder(limits);
        frameDecoder = new FrameDecoder(limits, this);
    }

    /**
     * Checks that the requests of a mix with values of this length fit the limits.
     *
     * @param valueSize the longest value.
     * @param mix the operations, null for all.
     * @param limits the limits.
     * @return {@link ErrorCode#NONE}, or the code of the limit broken.
     */
    public static int check(final int valueSize, final OpMix mix, final ProtocolLimits limits) {
        // a compare-and-set carries the value twice (expected and new)
        return OpMix.includes(mix, OpMix.CAS) ?
            MapRequestEncoder.check(limits, Opcodes.MAP_REPLACE, KeyFormat.KEY_LENGTH, valueSize, valueSize) :
            MapRequestEncoder.check(limits, Opcodes.MAP_PUT, KeyFormat.KEY_LENGTH, 0, valueSize);
    }

    private void template(final MapRequestEncoder encoder, final int op, final int opcode, final long ttlMs,
        final DirectBuffer key, final DirectBuffer expected, final DirectBuffer value) {
        final int expectedLength = expected == null ? 0 : expected.capacity();
        final int valueLength = value == null ? 0 : value.capacity();
        final UnsafeBuffer template = new UnsafeBuffer(new byte[(int)MapRequestDescriptor.frameLength(opcode,
            KeyFormat.KEY_LENGTH, expectedLength, valueLength)]);
        encoder.wrap(template, 0).request(opcode, 0, MAP_ID).ttlMsIfCarried(ttlMs);
        lengths[op] = encoder.carriedFields(key, 0, KeyFormat.KEY_LENGTH, expected, 0, expectedLength, value, 0,
            valueLength);
        templates[op] = template;
        digitsOffsets[op] = keyOffset(opcode) + KeyFormat.PREFIX_LENGTH;
        opcodes[op] = opcode;
        ttls[op] = ttlMs;
    }

    /**
     * Fills a value with the load generator's pattern: 'a' .. 'z' repeated.
     *
     * @param value the destination.
     * @param length the number of bytes to fill.
     */
    public static void fillValue(final MutableDirectBuffer value, final int length) {
        for (int i = 0; i < length; i++) {
            value.putByte(i, (byte)(FIRST_VALUE_BYTE + i % ALPHABET_LENGTH));
        }
    }

    private static int keyOffset(final int opcode) {
        return HEADER_LENGTH + MapRequestDescriptor.varDataOffset(MapRequestDescriptor.fields(opcode)) +
            VarDataDescriptor.DATA_OFFSET;
    }

    @Override
    public int maxRequestLength() {
        return maxRequestLength;
    }

    @Override
    public boolean ordered() {
        return false;
    }

    @Override
    public int encodeHandshake(final MutableDirectBuffer dst, final int offset, final long correlationId) {
        final int version = FrameHeaderDescriptor.PROTOCOL_VERSION;
        return helloEncoder.wrap(dst, offset).correlationId(correlationId).minVersion(version).maxVersion(version)
            .clientName(clientName, 0, clientName.capacity());
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
        if (valueLength == valueSize || op == OpMix.GET || op == OpMix.DEL) {
            return fromTemplate(dst, offset, templates[op], lengths[op], digitsOffsets[op], keyIndex, correlationId);
        }
        // a value shorter than the templates': encoded in place (the first valueLength bytes of the pattern)
        KeyFormat.putKey(keyScratch, 0, keyIndex);
        sizedEncoder.wrap(dst, offset).request(opcodes[op], correlationId, MAP_ID).ttlMsIfCarried(ttls[op]);
        return sizedEncoder.carriedFields(keyScratch, 0, KeyFormat.KEY_LENGTH, value, 0,
            op == OpMix.CAS ? valueLength : 0, value, 0, valueLength);
    }

    /** Copies a request template, then writes the key's digits and the correlation id into the copy. */
    private static int fromTemplate(final MutableDirectBuffer dst, final int offset, final DirectBuffer template,
        final int length, final int digitsOffset, final long keyIndex, final long correlationId) {
        dst.putBytes(offset, template, 0, length);
        KeyFormat.putDigits(dst, offset + digitsOffset, keyIndex);
        dst.putLong(offset + CORRELATION_ID_OFFSET, correlationId, BYTE_ORDER);
        return length;
    }

    @Override
    public int onBytes(final DirectBuffer src, final int offset, final int length, final ResponseListener listener) {
        this.listener = listener;
        final int frames = frameDecoder.onBytes(src, offset, length);
        return frames < 0 ? frames : length;
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length) {
        final int opcode = headerDecoder.wrap(buffer, offset).opcode();
        if (opcode == Opcodes.HELLO_RESPONSE) {
            final boolean valid = helloResponseDecoder.wrap(buffer, offset, length).isValid();
            if (valid) {
                partitionCount = helloResponseDecoder.partitionCount();
            }
            listener.onResponse(helloResponseDecoder.correlationId(), valid ? Outcome.HANDSHAKE_OK : Outcome.ERROR,
                valid ? ErrorCode.NONE : Outcome.UNEXPECTED_RESPONSE);
            return;
        }
        final ResponseDecoder response = responseDecoder.wrap(buffer, offset, length);
        final long correlationId = response.correlationId();
        if (!response.isValid()) {
            listener.onResponse(correlationId, Outcome.ERROR, Outcome.UNEXPECTED_RESPONSE);
            return;
        }
        switch (response.opcode()) {
            case Opcodes.RESPONSE_OK, Opcodes.RESPONSE_VALUE ->
                listener.onResponse(correlationId, Outcome.OK, ErrorCode.NONE);
            case Opcodes.RESPONSE_NOT_FOUND -> listener.onResponse(correlationId, Outcome.MISS, ErrorCode.NONE);
            // a conditional operation (SETNX, CAS, DEL) whose condition did not hold counts as a miss
            case Opcodes.RESPONSE_BOOLEAN -> listener.onResponse(correlationId,
                response.booleanResult() ? Outcome.OK : Outcome.MISS, ErrorCode.NONE);
            case Opcodes.RESPONSE_SERVER_BUSY ->
                listener.onResponse(correlationId, Outcome.SERVER_BUSY, ErrorCode.SERVER_BUSY);
            case Opcodes.RESPONSE_ERROR -> onError(response);
            case Opcodes.RESPONSE_REDIRECT -> listener.onRedirect(correlationId, response.partitionId(),
                response.leaderNodeId(), buffer, response.addressOffset(), response.addressLength());
            default -> listener.onResponse(correlationId, Outcome.ERROR, Outcome.UNEXPECTED_RESPONSE);
        }
    }

    private void onError(final ResponseDecoder response) {
        final int code = response.errorCode();
        if (code == ErrorCode.SERVER_BUSY) {
            listener.onResponse(response.correlationId(), Outcome.SERVER_BUSY, code);
            return;
        }
        if (firstErrorMessage == null) {
            firstErrorMessage = ErrorCode.name(code) + ": " + response.errorMessageAsString();
        }
        listener.onResponse(response.correlationId(), Outcome.ERROR, code);
    }

    @Override
    public int partitionCount() {
        return partitionCount;
    }

    @Override
    public String firstErrorMessage() {
        return firstErrorMessage;
    }
}
