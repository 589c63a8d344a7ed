package io.loomcache.client;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.HelloResponseDecoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ResponseDecoder;

/**
 * Turns the successful answer to one kind of request into its result, on the connection's reader thread. Errors,
 * SERVER_BUSY and redirects are handled before a mapper is called; a mapper throws {@link LoomException} for an
 * answer that does not fit its request.
 *
 * @param <T> the result type.
 */
@FunctionalInterface
interface ResponseMapper<T> {
    /**
     * Maps a valid generic response.
     *
     * @param response the decoded response, valid only during the call.
     * @param request the request it answers.
     * @return the result.
     */
    T map(ResponseDecoder response, PendingRequest<T> request);

    /**
     * Maps a valid HELLO_RESPONSE; only the handshake expects one.
     *
     * @param hello the decoded response, valid only during the call.
     * @param request the request it answers.
     * @return the result.
     */
    default T mapHello(final HelloResponseDecoder hello, final PendingRequest<T> request) {
        throw unexpected(Opcodes.HELLO_RESPONSE, request);
    }

    /**
     * The exception for an answer of the wrong kind.
     *
     * @param opcode the answer's opcode.
     * @param request the request.
     * @return an {@link ErrorCode#UNEXPECTED_OPCODE} error.
     */
    static LoomErrorException unexpected(final int opcode, final PendingRequest<?> request) {
        return new LoomErrorException(ErrorCode.UNEXPECTED_OPCODE,
            "server answered " + Opcodes.name(opcode) + " to " + Opcodes.name(request.opcode()));
    }
}
