package io.loomcache.client;

/**
 * No answer arrived within the request timeout. When {@link #wasSent()} is true the outcome is unknown (the request
 * may or may not have taken effect) and a late answer is dropped; when false the request did not take effect: it
 * never left the client because every in-flight slot or the send buffer stayed full, or every node it reached
 * answered that no leader of its partition was known (an election outlasted the timeout).
 */
public final class LoomTimeoutException extends LoomException {
    private static final long serialVersionUID = 1L;

    private final boolean sent;

    /**
     * Creates the exception.
     *
     * @param message one readable line, starting with "TIMEOUT: ".
     * @param sent whether the outcome is unknown: false only when the request certainly did not take effect.
     */
    public LoomTimeoutException(final String message, final boolean sent) {
        super(message);
        this.sent = sent;
    }

    /**
     * Tells whether the request was sent, so that its outcome is unknown.
     *
     * @return true when it was sent (outcome unknown), false when it certainly did not take effect.
     */
    public boolean wasSent() {
        return sent;
    }
}
