package io.loomcache.client;

/**
 * A typed map could not serialize or deserialize an object: its class (or a class named in the bytes) is not
 * registered, the bytes are corrupt, or the result is of another type than the map's.
 */
public final class LoomSerializationException extends LoomException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one readable line.
     * @param cause the underlying failure, possibly null.
     */
    public LoomSerializationException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
