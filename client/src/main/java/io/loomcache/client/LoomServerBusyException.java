package io.loomcache.client;

import io.loomcache.protocol.ErrorCode;

/**
 * The server answered RESPONSE_SERVER_BUSY (above its high watermark) and the request was not executed; retrying
 * after {@link #retryAfterMs()} is safe. Raised once the optional retries of {@link ClientContext} are spent.
 */
public final class LoomServerBusyException extends LoomErrorException {
    private static final long serialVersionUID = 1L;

    private final int retryAfterMs;

    /**
     * Creates the exception.
     *
     * @param retryAfterMs the server's hint in milliseconds, 0 when none.
     */
    public LoomServerBusyException(final int retryAfterMs) {
        super(ErrorCode.SERVER_BUSY, ErrorCode.description(ErrorCode.SERVER_BUSY));
        this.retryAfterMs = retryAfterMs;
    }

    /**
     * The server's retry hint.
     *
     * @return milliseconds, 0 when the server gave none.
     */
    public int retryAfterMs() {
        return retryAfterMs;
    }
}
