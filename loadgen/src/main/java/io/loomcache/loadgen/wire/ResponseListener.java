package io.loomcache.loadgen.wire;

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
}
