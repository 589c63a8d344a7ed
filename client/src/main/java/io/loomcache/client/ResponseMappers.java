package io.loomcache.client;

import org.agrona.MutableDirectBuffer;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.protocol.ResponseDecoder;

/**
 * The shared, stateless {@link ResponseMapper}s of the map and control requests.
 */
final class ResponseMappers {
    /** RESPONSE_OK to nothing (put, clear). */
    static final ResponseMapper<Void> OK = ResponseMappers::ok;
    /** RESPONSE_VALUE to a new byte array, RESPONSE_NOT_FOUND to null (get). */
    static final ResponseMapper<byte[]> VALUE = ResponseMappers::value;
    /** RESPONSE_VALUE copied into the request's destination, RESPONSE_NOT_FOUND to {@link LoomClient#NOT_FOUND}. */
    static final ResponseMapper<Integer> VALUE_INTO = ResponseMappers::valueInto;
    /** RESPONSE_BOOLEAN to its value (putIfAbsent, replace, remove, containsKey). */
    static final ResponseMapper<Boolean> BOOLEAN = ResponseMappers::booleanResult;
    /** RESPONSE_LONG to its value (size). */
    static final ResponseMapper<Long> LONG = ResponseMappers::longResult;
    /** RESPONSE_OK to the round-trip time in nanoseconds (ping). */
    static final ResponseMapper<Long> ROUND_TRIP_NS = ResponseMappers::roundTripNs;

    private ResponseMappers() {
    }

    private static Void ok(final ResponseDecoder response, final PendingRequest<Void> request) {
        expect(Opcodes.RESPONSE_OK, response, request);
        return null;
    }

    private static byte[] value(final ResponseDecoder response, final PendingRequest<byte[]> request) {
        if (response.opcode() == Opcodes.RESPONSE_NOT_FOUND) {
            return null;
        }
        expect(Opcodes.RESPONSE_VALUE, response, request);
        final byte[] value = new byte[response.valueLength()];
        response.buffer().getBytes(response.valueOffset(), value);
        return value;
    }

    private static Integer valueInto(final ResponseDecoder response, final PendingRequest<Integer> request) {
        if (response.opcode() == Opcodes.RESPONSE_NOT_FOUND) {
            return LoomClient.NOT_FOUND;
        }
        expect(Opcodes.RESPONSE_VALUE, response, request);
        final MutableDirectBuffer destination = request.destination();
        final int offset = request.destinationOffset();
        final int length = response.valueLength();
        if (!destination.isExpandable() && (long)offset + length > destination.capacity()) {
            throw new LoomErrorException(ErrorCode.VALUE_TOO_LONG, "value of " + length +
                " bytes does not fit the destination buffer (capacity " + destination.capacity() +
                ", offset " + offset + ")");
        }
        return response.getValue(destination, offset);
    }

    private static Boolean booleanResult(final ResponseDecoder response, final PendingRequest<Boolean> request) {
        expect(Opcodes.RESPONSE_BOOLEAN, response, request);
        return response.booleanResult();
    }

    private static Long longResult(final ResponseDecoder response, final PendingRequest<Long> request) {
        expect(Opcodes.RESPONSE_LONG, response, request);
        return response.longResult();
    }

    private static Long roundTripNs(final ResponseDecoder response, final PendingRequest<Long> request) {
        expect(Opcodes.RESPONSE_OK, response, request);
        return System.nanoTime() - request.sentNs();
    }

    private static void expect(final int opcode, final ResponseDecoder response, final PendingRequest<?> request) {
        if (response.opcode() != opcode) {
            throw ResponseMapper.unexpected(response.opcode(), request);
        }
    }
}
