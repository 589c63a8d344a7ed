package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

import io.loomcache.server.log.NodeLog;
import io.loomcache.server.log.NodeLog.Component;
import io.loomcache.testkit.Await;

class GuardedAgentTest {
    /** Throws an Error on its third cycle, then counts cycles. */
    private static final class FailingOnce implements Agent {
        private final AtomicInteger cycles = new AtomicInteger();
        private volatile boolean closed;

        @Override
        public int doWork() {
            if (cycles.incrementAndGet() == 3) {
                throw new OutOfMemoryError("simulated: one request could not allocate");
            }
            return 0;
        }

        @Override
        public void onClose() {
            closed = true;
        }

        @Override
        public String roleName() {
            return "failing-once";
        }
    }

    @Test
    void shouldKeepRunningCyclesAfterOneThrowsAnErrorAndCountItInTheLog() throws Exception {
        final FailingOnce agent = new FailingOnce();
        final ByteArrayOutputStream logged = new ByteArrayOutputStream();
        final NodeLog log = new NodeLog(new PrintStream(logged, true, StandardCharsets.UTF_8),
            SystemEpochClock.INSTANCE, SystemNanoClock.INSTANCE);
        final GuardedAgent guarded = new GuardedAgent(agent, log.errorHandler(Component.EXECUTOR, "failing-once"));
        final AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), error -> { }, null, guarded);
        AgentRunner.startOnThread(runner);
        try {
            Await.until("cycles after the error", 10_000, () -> agent.cycles.get() > 10);
            assertFalse(agent.closed, "the agent was closed by its error");
            assertEquals(1, log.errors(Component.EXECUTOR));
            final String lines = logged.toString(StandardCharsets.UTF_8);
            assertTrue(lines.contains(OutOfMemoryError.class.getName()), lines);
        } finally {
            runner.close();
        }
    }

    @Test
    void withoutTheGuardAnErrorEndsTheAgentRunnerThread() throws Exception {
        final FailingOnce agent = new FailingOnce();
        final AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), error -> { }, null, agent);
        final Thread thread = AgentRunner.startOnThread(runner);
        try {
            Await.until("the unguarded runner's thread to end", 10_000, () -> !thread.isAlive());
        } finally {
            runner.close();
        }
    }
}
