package io.loomcache.loadgen.chaos;

/**
 * A run could not be set up or driven (the cluster did not start, a script failed, iptables refused a rule): not a
 * finding about the cluster's consistency. Its message is one readable line.
 */
final class ChaosException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ChaosException(final String message) {
        super(message);
    }

    ChaosException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
