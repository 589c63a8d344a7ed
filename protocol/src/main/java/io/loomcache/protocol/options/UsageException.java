package io.loomcache.protocol.options;

import java.io.Serial;

/**
 * A command line or interactive line that does not follow the usage: the message is one line naming the word that
 * is wrong and why. The CLI and the load generator print it with their usage and exit with an error status.
 */
public final class UsageException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, one line.
     */
    public UsageException(final String message) {
        super(message);
    }
}
