package io.loomcache.jmh;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

import io.microraft.executor.RaftNodeExecutor;
import org.agrona.concurrent.NanoClock;

/**
 * A MicroRaft {@link RaftNodeExecutor} run by the caller's thread: {@link #execute} and {@link #submit} append to a
 * plain {@link ArrayDeque}, {@link #schedule} puts the task in a priority queue keyed by a due time on a
 * {@link NanoClock}; {@link #runDueTimers()} moves due tasks to the deque and {@link #runQueued()} runs it empty.
 * Not thread-safe: one thread drives every member of the group.
 */
final class QueueRaftNodeExecutor implements RaftNodeExecutor {
    private static final int INITIAL_QUEUE_CAPACITY = 1024;

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(INITIAL_QUEUE_CAPACITY);
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final NanoClock clock;
    private final int maxTasksPerRun;
    private long timerSequence;
    private long tasksRun;

    /**
     * @param clock the group's clock; scheduled delays are measured on it.
     * @param maxTasksPerRun tasks after which {@link #runQueued()} gives up (a task that keeps re-queueing itself).
     */
    QueueRaftNodeExecutor(final NanoClock clock, final int maxTasksPerRun) {
        this.clock = clock;
        this.maxTasksPerRun = maxTasksPerRun;
    }

    @Override
    public void execute(final Runnable task) {
        tasks.addLast(task);
    }

    @Override
    public void submit(final Runnable task) {
        tasks.addLast(task);
    }

    @Override
    public void schedule(final Runnable task, final long delay, final TimeUnit timeUnit) {
        timers.add(new Timer(clock.nanoTime() + timeUnit.toNanos(Math.max(0, delay)), timerSequence++, task));
    }

    /**
     * Queues every scheduled task whose due time has come, earliest first.
     *
     * @return tasks queued.
     */
    int runDueTimers() {
        final long nowNs = clock.nanoTime();
        int due = 0;
        while (!timers.isEmpty() && timers.peek().dueNs <= nowNs) {
            tasks.addLast(timers.poll().task);
            due++;
        }
        return due;
    }

    /**
     * Runs queued tasks, including those they queue, until the deque is empty.
     *
     * @return tasks run.
     * @throws IllegalStateException if more than {@code maxTasksPerRun} tasks ran.
     */
    int runQueued() {
        int ran = 0;
        Runnable task;
        while ((task = tasks.pollFirst()) != null) {
            if (++ran > maxTasksPerRun) {
                throw new IllegalStateException("tasks still queued after " + maxTasksPerRun + " runs");
            }
            task.run();
        }
        tasksRun += ran;
        return ran;
    }

    /** @return tasks waiting in the deque. */
    int queued() {
        return tasks.size();
    }

    /** @return scheduled tasks not yet due. */
    int scheduled() {
        return timers.size();
    }

    /** @return tasks run since creation. */
    long tasksRun() {
        return tasksRun;
    }

    /** A scheduled task; ties on the due time keep the order of scheduling. */
    private record Timer(long dueNs, long sequence, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(final Timer other) {
            final int byDue = Long.compare(dueNs, other.dueNs);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }
}
