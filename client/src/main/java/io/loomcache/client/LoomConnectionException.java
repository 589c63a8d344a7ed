package io.loomcache.client;

/**
 * The connection could not be opened, refused the handshake, or was lost. When a connection is lost, every request
 * in flight on it fails with this exception (its outcome is unknown) and later requests go to the client's other
 * connections, or fail with it when none is left.
 */
public final class LoomConnectionException extends LoomException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one readable line, e.g. "cannot connect to 127.0.0.1:7654: Connection refused".
     */
    public LoomConnectionException(final String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message one readable line.
     * @param cause the underlying failure.
     */
    public LoomConnectionException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
