package io.loomcache.client;

import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.FrameHeaderDescriptor.MAX_VERSION;
import static io.loomcache.protocol.FrameHeaderDescriptor.MIN_VERSION;
import static io.loomcache.protocol.FrameHeaderDescriptor.PROTOCOL_VERSION;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderEncoder;
import io.loomcache.protocol.HelloDescriptor;
import io.loomcache.protocol.HelloEncoder;
import io.loomcache.protocol.MapRequestDescriptor;
import io.loomcache.protocol.MapRequestEncoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;

/**
 * Encodes a {@link PendingRequest} (HELLO, PING, PARTITION_TABLE or a map request on map
 * {@link LoomClient#MAP_ID}) into a send buffer with the protocol's flyweights, or re-sends the frame a retried or
 * redirected request kept (another node may have smaller limits: a kept frame is checked against this
 * connection's). One per connection, used
 * under the connection's lock; allocates nothing.
 */
final class RequestProxy {
    private final FrameHeaderEncoder header = new FrameHeaderEncoder();
    private final HelloEncoder hello = new HelloEncoder();
    private final DirectBuffer clientName;
    private ProtocolLimits limits;
    private MapRequestEncoder mapEncoder;
    private int version;

    /**
     * Creates a proxy.
     *
     * @param limits the limits the server enforces.
     * @param clientName the HELLO client name bytes.
     */
    RequestProxy(final ProtocolLimits limits, final DirectBuffer clientName) {
        this.clientName = clientName;
        negotiated(limits, PROTOCOL_VERSION);
    }

    /**
     * Replaces the limits and the version requests are written in, once the server told its own in HELLO_RESPONSE.
     *
     * @param limits the limits requests must keep to.
     * @param version the negotiated protocol version.
     */
    void negotiated(final ProtocolLimits limits, final int version) {
        this.limits = limits;
        this.version = version;
        this.mapEncoder = new MapRequestEncoder(limits).version(version);
    }

    /**
     * The length the request's frame will have.
     *
     * @param request the request.
     * @return bytes, or minus the {@link ErrorCode} of the first limit the request breaks.
     */
    int frameLength(final PendingRequest<?> request) {
        final byte[] frameCopy = request.frameCopy();
        if (frameCopy != null) {
            return frameCopy.length <= limits.maxFrameLength() ? frameCopy.length : -ErrorCode.FRAME_TOO_LONG;
        }
        final int opcode = request.opcode();
        return switch (opcode) {
            case Opcodes.HELLO -> HEADER_LENGTH + HelloDescriptor.MIN_BODY_LENGTH + clientName.capacity();
            case Opcodes.PING, Opcodes.PARTITION_TABLE -> HEADER_LENGTH;
            default -> {
                final int error = MapRequestEncoder.check(
                    limits, opcode, request.keyLength(), request.expectedLength(), request.valueLength());
                yield error != ErrorCode.NONE ? -error : (int)MapRequestDescriptor.frameLength(
                    opcode, request.keyLength(), request.expectedLength(), request.valueLength());
            }
        };
    }

    /**
     * Encodes the request; the caller has checked {@link #frameLength(PendingRequest)} and the room left.
     *
     * @param request the request.
     * @param correlationId the id its answer will echo.
     * @param buffer the send buffer.
     * @param offset where the frame starts.
     * @return the frame length in bytes.
     */
    int encode(
        final PendingRequest<?> request, final long correlationId, final MutableDirectBuffer buffer, final int offset) {
        final byte[] frameCopy = request.frameCopy();
        if (frameCopy != null) {
            buffer.putBytes(offset, frameCopy);
            header.wrap(buffer, offset).correlationId(correlationId);
            return frameCopy.length;
        }
        return switch (request.opcode()) {
            case Opcodes.HELLO -> hello.wrap(buffer, offset).correlationId(correlationId).minVersion(MIN_VERSION)
                .maxVersion(MAX_VERSION).clientName(clientName, 0, clientName.capacity());
            case Opcodes.PING, Opcodes.PARTITION_TABLE -> {
                header.wrap(buffer, offset).header(request.opcode(), 0, correlationId, 0).version(version);
                yield HEADER_LENGTH;
            }
            default -> encodeMapRequest(request, correlationId, buffer, offset);
        };
    }

    private int encodeMapRequest(
        final PendingRequest<?> request, final long correlationId, final MutableDirectBuffer buffer, final int offset) {
        return mapEncoder.wrap(buffer, offset).request(request.opcode(), correlationId, LoomClient.MAP_ID)
            .ttlMsIfCarried(request.ttlMs())
            .carriedFields(request.key(), request.keyOffset(), request.keyLength(),
                request.expected(), request.expectedOffset(), request.expectedLength(),
                request.value(), request.valueOffset(), request.valueLength());
    }
}
