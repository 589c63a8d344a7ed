package io.loomcache.loadgen.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcache.client.LoomConnectionException;
import io.loomcache.client.LoomErrorException;
import io.loomcache.client.LoomException;
import io.loomcache.client.LoomServerBusyException;
import io.loomcache.client.LoomTimeoutException;
import io.loomcache.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

class OutcomeTest {
    @Test
    void shouldCallAFailureFailOnlyWhenItProvesTheRequestWasNotApplied() {
        assertEquals(Outcome.FAIL, Outcome.ofFailure(new LoomTimeoutException("TIMEOUT: no reachable leader", false)));
        assertEquals(Outcome.FAIL, Outcome.ofFailure(new LoomServerBusyException(0)));
        assertEquals(Outcome.FAIL, Outcome.ofFailure(new LoomErrorException(ErrorCode.NOT_LEADER, "redirected")));
        assertEquals(Outcome.FAIL, Outcome.ofFailure(new LoomConnectionException("no node reachable for PUT")));
        assertEquals(Outcome.FAIL, Outcome.ofFailure(new LoomConnectionException("cannot connect to any of 3 nodes")));
    }

    @Test
    void shouldCallEveryOtherFailureInfoBecauseTheRequestMayHaveBeenApplied() {
        assertEquals(Outcome.INFO, Outcome.ofFailure(new LoomTimeoutException("TIMEOUT: no response", true)));
        assertEquals(Outcome.INFO, Outcome.ofFailure(new LoomErrorException(ErrorCode.OUTCOME_UNKNOWN, "")));
        assertEquals(Outcome.INFO, Outcome.ofFailure(new LoomErrorException(ErrorCode.INTERNAL_ERROR, "")));
        assertEquals(Outcome.INFO, Outcome.ofFailure(new LoomErrorException(ErrorCode.TIMEOUT, "")));
        assertEquals(Outcome.INFO,
            Outcome.ofFailure(new LoomConnectionException("connection to 127.0.0.11:7654 lost: reset")));
        assertEquals(Outcome.INFO, Outcome.ofFailure(new LoomException("interrupted while waiting for a response")));
    }
}
