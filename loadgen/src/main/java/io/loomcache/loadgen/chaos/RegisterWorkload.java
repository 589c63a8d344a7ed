package io.loomcache.loadgen.chaos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.loomcache.client.ClientContext;
import io.loomcache.client.LoomBlockingClient;
import io.loomcache.client.LoomConnectionException;
import io.loomcache.client.LoomErrorException;
import io.loomcache.client.LoomException;
import io.loomcache.client.LoomTimeoutException;
import io.loomcache.protocol.ErrorCode;

/**
 * The register workload: {@code clients} threads, each with its own client, issue one operation at a time on a
 * random register until stopped: a read (GET), a write (PUT of 0..4 as a decimal string) or a compare-and-set
 * (REPLACE expected with new, both 0..4), each recorded in the register's {@link RegisterHistory}. Thread {@code i}
 * is Jepsen process {@code i}; after an operation of unknown outcome it continues as process {@code i + clients},
 * and so on, because that operation may still be pending. A read that fails is recorded {@code :fail} (it had no
 * effect either way), so the thread keeps its process.
 */
final class RegisterWorkload {
    /** Values written and compared are 0 .. VALUES - 1, as in the Jepsen etcd histories. */
    static final int VALUES = 5;
    /** Value recorded for a read whose bytes are not a number this workload wrote (a corrupt value). */
    static final long CORRUPT = -1;

    private static final long FAILURE_PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long RECONNECT_PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int FAILURES_BEFORE_NEW_CLIENT = 20;

    private final ChaosContext context;
    private final RegisterHistory[] histories;
    private final byte[][] keys;
    private final String nodes;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger maxProcess = new AtomicInteger(-1);
    private final AtomicInteger corruptReads = new AtomicInteger();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /**
     * Creates the workload; nothing runs before {@link #start}.
     *
     * @param context the settings.
     * @param histories one per register, index i for register {@link ChaosContext#keyName}(i).
     * @param nodes the members' client addresses, {@code host:port,...}.
     */
    RegisterWorkload(final ChaosContext context, final RegisterHistory[] histories, final String nodes) {
        this.context = context;
        this.histories = histories;
        this.nodes = nodes;
        this.keys = new byte[histories.length][];
        for (int i = 0; i < histories.length; i++) {
            keys[i] = ChaosContext.keyName(i).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Starts the client threads.
     *
     * @param seed seed of the threads' random choices.
     */
    void start(final long seed) {
        for (int i = 0; i < context.clients(); i++) {
            final Worker worker = new Worker(i, new SplittableRandom(seed + 31L * i));
            final Thread thread = new Thread(worker::run, "chaos-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Stops issuing operations and waits for each thread to complete the one it has in flight (bounded by the
     * request timeout).
     *
     * @throws InterruptedException when interrupted while waiting.
     */
    void stop() throws InterruptedException {
        running = false;
        for (final Thread thread : threads) {
            thread.join(context.opTimeoutMs() + 10_000);
        }
    }

    /**
     * The highest process number used, so that later operations take fresh ones.
     *
     * @return -1 when no operation was issued.
     */
    int maxProcess() {
        return maxProcess.get();
    }

    /**
     * Reads whose bytes were not a value this workload writes (recorded as {@value #CORRUPT}).
     *
     * @return the count.
     */
    int corruptReads() {
        return corruptReads.get();
    }

    /**
     * The client errors of the run by kind, e.g. {@code LoomTimeoutException (sent)} or {@code LoomErrorException
     * OUTCOME_UNKNOWN}, most frequent first.
     *
     * @return one "kind: count" entry per kind.
     */
    List<String> errorKinds() {
        return errors.entrySet().stream()
            .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
            .map(entry -> entry.getKey() + ": " + entry.getValue().sum()).toList();
    }

    private void countError(final LoomException ex) {
        final String kind;
        if (ex instanceof final LoomTimeoutException timeout) {
            kind = "LoomTimeoutException (" + (timeout.wasSent() ? "sent" : "not sent") + ")";
        } else if (ex instanceof final LoomErrorException error) {
            kind = ex.getClass().getSimpleName() + " " + ErrorCode.name(error.errorCode());
        } else if (ex instanceof LoomConnectionException) {
            final String message = String.valueOf(ex.getMessage());
            kind = "LoomConnectionException (" + (message.startsWith("no node reachable") ? "no node reachable"
                : message.startsWith("cannot connect") ? "cannot connect" : "lost or closed") + ")";
        } else {
            kind = ex.getClass().getSimpleName();
        }
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /**
     * The configuration of every client of the run: the members, the short request timeout.
     *
     * @return a concluded context.
     */
    ClientContext clientContext() {
        return new ClientContext().nodes(nodes).requestTimeoutMs(context.opTimeoutMs())
            .connectTimeoutMs(Math.min(1_000, context.opTimeoutMs())).clientName("loomcache-chaos").conclude();
    }

    /**
     * Reads register {@code index} once as {@code process}, recording the read.
     *
     * @param client the client.
     * @param index the register.
     * @param process the process to record it as.
     * @return null when the read completed ok, else why it failed (recorded {@code :fail}).
     */
    LoomException readOnce(final LoomBlockingClient client, final int index, final int process) {
        final RegisterHistory history = histories[index];
        history.invoke(process, RegisterHistory.READ, "nil");
        final byte[] value;
        try {
            value = client.get(keys[index]);
        } catch (final LoomException ex) {
            history.complete(process, Outcome.FAIL, RegisterHistory.READ, "nil");
            countError(ex);
            return ex;
        }
        final String read = value == null ? "nil" : Long.toString(parse(value));
        history.complete(process, Outcome.OK, RegisterHistory.READ, read);
        return null;
    }

    private long parse(final byte[] value) {
        final String text = new String(value, StandardCharsets.UTF_8);
        try {
            final long parsed = Long.parseLong(text);
            if (parsed >= 0 && parsed < VALUES) {
                return parsed;
            }
        } catch (final NumberFormatException ex) {
            // counted below
        }
        corruptReads.incrementAndGet();
        return CORRUPT;
    }

    /** One client thread: its client, its random choices, its current process number. */
    private final class Worker {
        private final int index;
        private final SplittableRandom random;
        private int process;
        private LoomException failure;

        Worker(final int index, final SplittableRandom random) {
            this.index = index;
            this.random = random;
            this.process = index;
        }

        void run() {
            LoomBlockingClient client = null;
            int failuresInARow = 0;
            try {
                while (running) {
                    if (client == null) {
                        client = connect();
                        if (client == null) {
                            LockSupport.parkNanos(RECONNECT_PAUSE_NS);
                            continue;
                        }
                    }
                    maxProcess.accumulateAndGet(process, Math::max);
                    final int key = random.nextInt(histories.length);
                    failure = null;
                    final Outcome outcome = switch (random.nextInt(3)) {
                        case 0 -> read(client, key);
                        case 1 -> write(client, key, random.nextInt(VALUES));
                        default -> cas(client, key, random.nextInt(VALUES), random.nextInt(VALUES));
                    };
                    if (outcome == Outcome.INFO) {
                        process += context.clients();
                    }
                    failuresInARow = outcome == Outcome.OK ? 0 : failuresInARow + 1;
                    if (outcome != Outcome.OK && failure != null) {
                        LockSupport.parkNanos(FAILURE_PAUSE_NS);
                    }
                    if (failuresInARow >= FAILURES_BEFORE_NEW_CLIENT && failure instanceof LoomConnectionException) {
                        client.close();
                        client = null;
                        failuresInARow = 0;
                    }
                }
            } finally {
                if (client != null) {
                    client.close();
                }
            }
        }

        private LoomBlockingClient connect() {
            try {
                return LoomBlockingClient.connect(clientContext());
            } catch (final LoomException ex) {
                return null;
            }
        }

        private Outcome read(final LoomBlockingClient client, final int key) {
            failure = readOnce(client, key, process);
            return failure == null ? Outcome.OK : Outcome.FAIL;
        }

        private Outcome write(final LoomBlockingClient client, final int key, final int value) {
            final RegisterHistory history = histories[key];
            final String text = Integer.toString(value);
            history.invoke(process, RegisterHistory.WRITE, text);
            Outcome outcome = Outcome.OK;
            try {
                client.put(keys[key], text.getBytes(StandardCharsets.UTF_8));
            } catch (final LoomException ex) {
                failure = ex;
                countError(ex);
                outcome = Outcome.ofFailure(ex);
            }
            history.complete(process, outcome, RegisterHistory.WRITE, text);
            return outcome;
        }

        private Outcome cas(final LoomBlockingClient client, final int key, final int expected, final int newValue) {
            final RegisterHistory history = histories[key];
            final String text = "[" + expected + " " + newValue + "]";
            history.invoke(process, RegisterHistory.CAS, text);
            Outcome outcome;
            try {
                outcome = client.replace(keys[key], Integer.toString(expected).getBytes(StandardCharsets.UTF_8),
                    Integer.toString(newValue).getBytes(StandardCharsets.UTF_8)) ? Outcome.OK : Outcome.FAIL;
            } catch (final LoomException ex) {
                failure = ex;
                countError(ex);
                outcome = Outcome.ofFailure(ex);
            }
            history.complete(process, outcome, RegisterHistory.CAS, text);
            return outcome;
        }
    }
}
