package io.loomcache.loadgen.wire;

import org.agrona.DirectBuffer;

/**
 * Receives each complete top-level RESP reply from a {@link RespReplyParser}, during
 * {@link RespReplyParser#parse}.
 */
@FunctionalInterface
public interface RespReplyHandler {
    /**
     * Handles one reply.
     *
     * @param kind one of the {@code RespReplyParser} kinds ({@link RespReplyParser#SIMPLE_STRING} ...).
     * @param buffer the buffer holding the payload, valid only during the call.
     * @param offset the index of the payload: the text of a simple string, error or integer, the bytes of a bulk
     *     string; 0 for NIL and ARRAY.
     * @param length the payload length in bytes; for ARRAY the number of elements; 0 for NIL.
     */
    void onReply(int kind, DirectBuffer buffer, int offset, int length);
}
