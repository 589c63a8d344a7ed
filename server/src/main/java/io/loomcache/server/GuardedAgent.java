package io.loomcache.server;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;

/**
 * Runs another {@link Agent} so that nothing thrown by one duty cycle ends its thread: a {@link Throwable} from
 * {@code doWork} (an {@link Error} included, which Agrona's AgentRunner would rethrow, ending the thread and closing
 * the agent) is handed to the error handler (the node's log, which counts it per component), and the loop goes on
 * with the next cycle. The work of that cycle is lost (a request being applied gets no answer and its client times
 * out), never the executor and the connections of every other client. Owned by the agent's thread.
 */
public final class GuardedAgent implements Agent {
    private final Agent delegate;
    private final ErrorHandler errorHandler;

    /**
     * Wraps an agent.
     *
     * @param delegate the agent whose cycles are guarded.
     * @param errorHandler told of each error on the agent's thread; must not throw.
     */
    public GuardedAgent(final Agent delegate, final ErrorHandler errorHandler) {
        this.delegate = delegate;
        this.errorHandler = errorHandler;
    }

    @Override
    public void onStart() {
        delegate.onStart();
    }

    @Override
    public int doWork() {
        try {
            return delegate.doWork();
        } catch (final Throwable ex) {
            errorHandler.onError(ex);
            return 0;
        }
    }

    @Override
    public void onClose() {
        delegate.onClose();
    }

    @Override
    public String roleName() {
        return delegate.roleName();
    }
}
