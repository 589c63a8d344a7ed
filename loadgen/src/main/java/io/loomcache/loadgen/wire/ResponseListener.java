package io.loomcache.loadgen.wire;

import org.agrona.DirectBuffer;

/**
 * Receives each decoded response from a {@link WireCodec}, on the connection's I/O thread, during
 * {@link WireCodec#onBytes}.
 */
@FunctionalInterface
public interface ResponseListener {
    /** Correlation id reported by codecs whose responses come in request order and carry no id (RESP). */
    long UNCORRELATED = -1;

    /**
     * Handles one response.
     *
     * @param correlationId the id the response echoes, or {@link #UNCORRELATED} for an ordered protocol.
     * @param outcome one of the {@link Outcome} constants.
     * @param errorCode for {@link Outcome#ERROR}: a server {@link io.loomcache.protocol.ErrorCode} or an
     *     {@link Outcome} local code; 0 otherwise.
     */
    void onResponse(long correlationId, int outcome, int errorCode);

    /**
     * Handles a RESPONSE_REDIRECT: the node does not lead the key's partition. By default it is an error
     * ({@link Outcome#REDIRECT}); a listener that routes by partition follows it instead.
     *
     * @param correlationId the id the response echoes.
     * @param partitionId the key's partition as the node computed it.
     * @param leaderNodeId the leader's node id, -1 when no leader is known (an election is under way).
     * @param address the buffer holding the leader's "host:port", valid during the call only.
     * @param addressOffset the index of the first address byte.
     * @param addressLength the address length, 0 when no leader is known.
     */
    default void onRedirect(final long correlationId, final int partitionId, final int leaderNodeId,
        final DirectBuffer address, final int addressOffset, final int addressLength) {
        onResponse(correlationId, Outcome.ERROR, Outcome.REDIRECT);
    }
}
