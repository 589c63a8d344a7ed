package io.loomcache.loadgen.chaos;

import io.loomcache.client.LoomConnectionException;
import io.loomcache.client.LoomErrorException;
import io.loomcache.client.LoomServerBusyException;
import io.loomcache.client.LoomTimeoutException;
import io.loomcache.protocol.ErrorCode;

/**
 * How an operation of the register workload completed, as a Jepsen history says it: {@code :ok}, {@code :fail}
 * (it certainly had no effect) or {@code :info} (its outcome is unknown: it may take effect at any time after its
 * invoke, or never).
 */
enum Outcome {
    /** Completed; for a cas, it matched and set. */
    OK(":ok"),
    /** Certainly without effect: a cas that did not match, a request that never reached a leader. */
    FAIL(":fail"),
    /** Unknown: sent but not answered in time, a connection lost after the write, OUTCOME_UNKNOWN, ... */
    INFO(":info");

    private final String label;

    Outcome(final String label) {
        this.label = label;
    }

    /**
     * The Jepsen keyword.
     *
     * @return {@code :ok}, {@code :fail} or {@code :info}.
     */
    String label() {
        return label;
    }

    /**
     * Classifies a failed write or cas. Only errors that prove the request was not applied are {@link #FAIL}: a
     * timeout of a request never sent ({@link LoomTimeoutException#wasSent()} false: no reachable leader, or no
     * room to send), a request no node could be reached for (the client passes over every node whose connection
     * fails before the request is written), NOT_LEADER after too many redirects (every node redirected it), and
     * SERVER_BUSY (refused before execution). Anything else may have been applied: {@link #INFO}.
     *
     * @param failure what the client threw.
     * @return FAIL or INFO.
     */
    static Outcome ofFailure(final Throwable failure) {
        if (failure instanceof final LoomTimeoutException timeout) {
            return timeout.wasSent() ? INFO : FAIL;
        }
        if (failure instanceof LoomServerBusyException) {
            return FAIL;
        }
        if (failure instanceof final LoomErrorException error) {
            return error.errorCode() == ErrorCode.NOT_LEADER ? FAIL : INFO;
        }
        if (failure instanceof final LoomConnectionException connection) {
            final String message = String.valueOf(connection.getMessage());
            return message.startsWith("no node reachable") || message.startsWith("cannot connect") ? FAIL : INFO;
        }
        return INFO;
    }
}
