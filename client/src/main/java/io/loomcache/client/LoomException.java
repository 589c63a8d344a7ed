package io.loomcache.client;

/**
 * Base of every exception the LoomCache client raises; unchecked. Its message is one readable line meant for users
 * (the command-line client prints it after {@code "error: "}).
 */
public class LoomException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message one readable line.
     */
    public LoomException(final String message) {
        super(message);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param message one readable line.
     * @param cause the underlying failure.
     */
    public LoomException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
