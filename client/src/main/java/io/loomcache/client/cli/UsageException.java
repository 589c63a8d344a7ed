package io.loomcache.client.cli;

/**
 * A command line or interactive line that does not follow the usage; the CLI prints the message and the usage and
 * exits with {@link LoomCli#EXIT_ERROR}.
 */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, one line.
     */
    UsageException(final String message) {
        super(message);
    }
}
