package io.loomcache.server.config;

import java.io.Serial;

/**
 * An invalid setting found while loading or concluding the configuration; its message is the one line shown to
 * the operator before the node exits with status 2.
 */
public final class ConfigException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a ready message.
     *
     * @param message the whole line after "loomcache: ".
     */
    public ConfigException(final String message) {
        super(message);
    }

    /**
     * Creates an exception for a setting whose value does not fit, named by its environment variable.
     *
     * @param setting the setting.
     * @param value the offending text.
     * @param reason why it does not fit.
     */
    public ConfigException(final Setting setting, final String value, final String reason) {
        this(setting.env(), value, reason);
    }

    /**
     * Creates an exception for a value from a named source.
     *
     * @param source how the operator wrote it: an environment variable, a flag or a file key.
     * @param value the offending text.
     * @param reason why it does not fit.
     */
    public ConfigException(final String source, final String value, final String reason) {
        super("invalid setting " + source + "=" + value + ": " + reason);
    }
}
