package io.loomcache.client;

/**
 * A typed map could not serialize or deserialize an object: its class (or a class named in the bytes) is not
 * registered, the bytes are corrupt, truncated or declare lengths they do not hold, the result is of another type than
 * the map's, or decoding failed in any other way (the cause is whatever Kryo or a serializer threw, errors such as
 * {@link StackOverflowError} included).
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
