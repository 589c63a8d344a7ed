package io.loomcache.protocol;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Re-encodes a valid decoded message with the matching encoder, so tests can assert decode-then-encode is identity.
 */
final class Reencoder {
    private final UnsafeBuffer scratch;
    private final FrameHeaderEncoder header = new FrameHeaderEncoder();
    private final MapRequestEncoder mapEncoder = new MapRequestEncoder();
    private final HelloEncoder helloEncoder = new HelloEncoder();
    private final HelloResponseEncoder helloResponseEncoder = new HelloResponseEncoder();
    private final ResponseEncoder responseEncoder = new ResponseEncoder();

    Reencoder(final int capacity) {
        scratch = new UnsafeBuffer(new byte[capacity]);
    }

    byte[] reencode(final MapRequestDecoder decoder) {
        final DirectBuffer buffer = decoder.buffer();
        final int length = mapEncoder.wrap(scratch, 0)
            .request(decoder.opcode(), decoder.correlationId(), decoder.mapId()).flags(decoder.flags())
            .argumentIfCarried(decoder.argument())
            .carriedFields(buffer, decoder.keyOffset(), decoder.keyLength(), buffer, decoder.expectedOffset(),
                decoder.expectedLength(), buffer, decoder.valueOffset(), decoder.valueLength());
        return finish(length, decoder.flags());
    }

    byte[] reencode(final HelloDecoder decoder) {
        final int length = helloEncoder.wrap(scratch, 0).correlationId(decoder.correlationId())
            .minVersion(decoder.minVersion()).maxVersion(decoder.maxVersion())
            .clientName(decoder.buffer(), decoder.clientNameOffset(), decoder.clientNameLength());
        return finish(length, decoder.flags());
    }

    byte[] reencode(final HelloResponseDecoder decoder) {
        final int length = helloResponseEncoder.wrap(scratch, 0).correlationId(decoder.correlationId())
            .negotiatedVersion(decoder.negotiatedVersion()).nodeId(decoder.nodeId())
            .maxFrameLength(decoder.maxFrameLength()).partitionCount(decoder.partitionCount()).frameLength();
        return finish(length, decoder.flags());
    }

    byte[] reencode(final ResponseDecoder decoder) {
        final ResponseEncoder encoder = responseEncoder.wrap(scratch, 0);
        final long id = decoder.correlationId();
        final int length = switch (decoder.opcode()) {
            case Opcodes.RESPONSE_OK -> encoder.ok(id);
            case Opcodes.RESPONSE_NOT_FOUND -> encoder.notFound(id);
            case Opcodes.RESPONSE_VALUE -> encoder.value(id, decoder.buffer(), decoder.valueOffset(),
                decoder.valueLength());
            case Opcodes.RESPONSE_BOOLEAN -> encoder.booleanResult(id, decoder.booleanResult());
            case Opcodes.RESPONSE_LONG -> encoder.longResult(id, decoder.longResult());
            case Opcodes.RESPONSE_ERROR -> encoder.error(id, decoder.errorCode(), decoder.buffer(),
                decoder.errorMessageOffset(), decoder.errorMessageLength());
            case Opcodes.RESPONSE_REDIRECT -> encoder.redirect(id, decoder.partitionTableVersion(),
                decoder.partitionId(), decoder.leaderNodeId(), decoder.buffer(), decoder.addressOffset(),
                decoder.addressLength());
            case Opcodes.RESPONSE_SERVER_BUSY -> encoder.serverBusy(id, decoder.retryAfterMs());
            case Opcodes.RESPONSE_SEQUENCE_LOST -> encoder.sequenceLost(id, decoder.nextSequence());
            default -> throw new AssertionError("not a response: " + decoder.opcode());
        };
        return finish(length, decoder.flags());
    }

    /**
     * The part of a valid decoder's frame it read, as an encoder of this version writes it: the header with the body
     * length cut to the known fields, then those fields (a newer peer's trailing fields dropped).
     */
    static byte[] knownPart(final MessageDecoder decoder) {
        final byte[] bytes = Frames.copy(decoder.buffer(), decoder.frameOffset(), decoder.encodedLength());
        new UnsafeBuffer(bytes).putInt(BODY_LENGTH_OFFSET, bytes.length - HEADER_LENGTH, BYTE_ORDER);
        return bytes;
    }

    private byte[] finish(final int length, final int flags) {
        header.wrap(scratch, 0).flags(flags);
        return Frames.copy(scratch, 0, length);
    }
}
