package io.loomcache.loadgen.wire;

import io.loomcache.protocol.ErrorCode;

/**
 * What a response said, as reported by a {@link WireCodec} to its {@link ResponseListener}, and the error codes the
 * load generator adds to the server's {@link ErrorCode}s. Local codes start at {@link #LOCAL_CODE_BASE} so that they
 * can never collide with a code a newer server sends.
 */
public final class Outcome {
    /** The request succeeded: a write acknowledged, or a read that found its key (or any non-nil reply). */
    public static final int OK = 0;
    /** A read found no value (RESPONSE_NOT_FOUND, RESP nil); a success for throughput, counted as a miss. */
    public static final int MISS = 1;
    /** The server shed the request (RESPONSE_SERVER_BUSY or RESPONSE_ERROR SERVER_BUSY). */
    public static final int SERVER_BUSY = 2;
    /** The server answered an error; the listener gets the code. */
    public static final int ERROR = 3;
    /** The connection's handshake (HELLO) was answered with a compatible HELLO_RESPONSE. */
    public static final int HANDSHAKE_OK = 4;

    /** First code of the load generator's own error codes. */
    public static final int LOCAL_CODE_BASE = 1 << 16;
    /** A RESP error reply ({@code -ERR ...}); Redis errors carry text, not numbers. */
    public static final int REDIS_ERROR = LOCAL_CODE_BASE;
    /** A RESPONSE_REDIRECT: this node does not own the key. */
    public static final int REDIRECT = LOCAL_CODE_BASE + 1;
    /** A response of a kind the request cannot produce, malformed, or matching no request in flight. */
    public static final int UNEXPECTED_RESPONSE = LOCAL_CODE_BASE + 2;
    /** A request lost because its connection failed before the response came. */
    public static final int CONNECTION_LOST = LOCAL_CODE_BASE + 3;
    /** Number of local codes. */
    public static final int LOCAL_CODE_COUNT = 4;

    private Outcome() {
    }
}
