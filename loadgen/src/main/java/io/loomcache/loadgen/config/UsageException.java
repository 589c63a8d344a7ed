package io.loomcache.loadgen.config;

import java.io.Serial;

/**
 * A command line the load generator cannot run: the message is one line saying which flag is wrong and why.
 */
public final class UsageException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line naming the flag and the problem.
     */
    public UsageException(final String message) {
        super(message);
    }
}
