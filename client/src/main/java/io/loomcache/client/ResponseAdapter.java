package io.loomcache.client;

import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.CORRELATION_ID_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.OPCODE_OFFSET;

import org.agrona.DirectBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHandler;
import io.loomcache.protocol.HelloResponseDecoder;
import io.loomcache.protocol.MessageDecoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ProtocolLimits;
import io.loomcache.protocol.ResponseDecoder;

/**
 * Decodes the frames a connection's reader cuts and settles the request each answers, matched by correlation id:
 * success through the request's {@link ResponseMapper}, RESPONSE_ERROR as {@link LoomErrorException} (never retried:
 * OUTCOME_UNKNOWN included), SERVER_BUSY through the retry policy or as {@link LoomServerBusyException},
 * RESPONSE_REDIRECT through the {@link RequestRouter}. A response whose request is no longer in flight
 * (it timed out) is dropped and counted. Runs on the reader thread only; completing a future runs the caller's
 * non-async dependent actions on this thread.
 */
final class ResponseAdapter implements FrameHandler {
    private final Connection connection;
    private final ResponseDecoder response;
    private final HelloResponseDecoder hello = new HelloResponseDecoder();

    /**
     * Creates an adapter.
     *
     * @param connection the connection whose requests it settles.
     * @param limits the limits responses are validated against.
     */
    ResponseAdapter(final Connection connection, final ProtocolLimits limits) {
        this.connection = connection;
        this.response = new ResponseDecoder(limits);
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length) {
        final long correlationId = buffer.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
        final int opcode = buffer.getShort(offset + OPCODE_OFFSET, BYTE_ORDER) & 0xFFFF;
        final PendingRequest<?> request = connection.takeInFlight(correlationId);
        if (request == null) {
            return;
        }
        if (opcode == Opcodes.HELLO_RESPONSE) {
            if (valid(hello.wrap(buffer, offset, length), request)) {
                request.completeHello(hello);
            }
            return;
        }
        if (!valid(response.wrap(buffer, offset, length), request)) {
            return;
        }
        switch (opcode) {
            case Opcodes.RESPONSE_SERVER_BUSY -> connection.retryOrFail(request, response.retryAfterMs());
            case Opcodes.RESPONSE_ERROR -> request.fail(response.errorCode() == ErrorCode.SERVER_BUSY ?
                new LoomServerBusyException(0) :
                new LoomErrorException(response.errorCode(), response.errorMessageAsString()));
            case Opcodes.RESPONSE_REDIRECT -> connection.redirected(request, response);
            default -> request.complete(response);
        }
    }

    private static boolean valid(final MessageDecoder decoder, final PendingRequest<?> request) {
        if (decoder.isValid()) {
            return true;
        }
        request.fail(new LoomErrorException(decoder.decodeError(), "malformed " + Opcodes.name(decoder.opcode()) +
            " from the server: " + ErrorCode.description(decoder.decodeError())));
        return false;
    }
}
