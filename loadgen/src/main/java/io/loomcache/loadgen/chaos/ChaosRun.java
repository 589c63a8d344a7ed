package io.loomcache.loadgen.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.loomcache.client.LoomBlockingClient;
import io.loomcache.client.LoomException;

/**
 * One run: a fresh 3-node cluster, the register workload for {@code --time} while the nemesis injects and heals
 * its faults, then everything healed, one final read of every register by a fresh process once the cluster is
 * ready, the cluster stopped, and each history file checked. Files: {@code DIR/<run>-<key>.log} (the histories),
 * {@code DIR/<run>-nemesis.txt} (actions and the scripts' output) and, for a run that did not pass or with
 * {@code --keep}, {@code DIR/<run>-node-N.txt} (the members' logs).
 */
final class ChaosRun {
    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long FINAL_READ_TIMEOUT_MS = 30_000;
    private static final long FINAL_READ_RETRY_MS = 200;

    private final ChaosContext context;
    private final NemesisKind kind;
    private final String name;
    private final Firewall firewall;
    private final PrintStream console;
    private final long seed;
    private volatile ClusterControl cluster;

    ChaosRun(final ChaosContext context, final NemesisKind kind, final int number, final Firewall firewall,
        final PrintStream console) {
        this.context = context;
        this.kind = kind;
        this.name = kind.label() + "-" + number;
        this.firewall = firewall;
        this.console = console;
        this.seed = context.seed() + 1_000_003L * (kind.ordinal() * 1_000L + number);
    }

    String name() {
        return name;
    }

    /**
     * The cluster directory of this run.
     *
     * @return {@code DIR/cluster/<run>}.
     */
    Path clusterDir() {
        return context.out().resolve("cluster").resolve(name).toAbsolutePath();
    }

    /**
     * Runs it.
     *
     * @return what it found.
     * @throws IOException when a history file cannot be written.
     * @throws InterruptedException when interrupted.
     */
    RunResult execute() throws IOException, InterruptedException {
        final NemesisLog log = new NemesisLog(context.out().resolve(name + "-nemesis.txt"), console);
        final ClusterControl cluster = new ClusterControl(context.root(), clusterDir(), log);
        this.cluster = cluster;
        log.say("run " + name + ": starting the cluster in " + clusterDir() + " (seed " + seed + ")");
        try {
            cluster.down(true);
            cluster.up();
        } catch (final ChaosException ex) {
            cluster.copyNodeLogs(context.out(), name);
            cluster.down(false);
            return new RunResult(name, kind, new long[Outcome.values().length], List.of(), List.of(), false,
                "the cluster did not start: " + ex.getMessage(), true, List.of());
        }
        final Timeline timeline = new Timeline();
        final RegisterHistory[] histories = new RegisterHistory[context.keys()];
        final List<String> keys = new ArrayList<>();
        for (int i = 0; i < histories.length; i++) {
            keys.add(ChaosContext.keyName(i));
            histories[i] = new RegisterHistory(context.out().resolve(name + "-" + keys.get(i) + ".log"), timeline);
        }
        final RegisterWorkload workload = new RegisterWorkload(context, histories, ClusterControl.clientAddresses());
        NemesisDriver driver = null;
        boolean finalReadsOk = false;
        String problem = null;
        try {
            final LeaderPicker picker = new LeaderPicker(cluster, keys, partitionCount(workload),
                new SplittableRandom(seed ^ 0x5DEECE66DL));
            final long startNs = System.nanoTime();
            final long endNs = startNs + context.timeNs();
            driver = new NemesisDriver(Nemesis.of(kind, cluster, firewall, picker), context, log, startNs, endNs);
            log.say(String.format(Locale.ROOT, "run %s: %d clients on %d registers for %.0fs, a fault "
                + "every %.1fs held %.1fs", name, context.clients(), keys.size(),
                NemesisDriver.seconds(context.timeNs()), NemesisDriver.seconds(context.intervalNs()),
                NemesisDriver.seconds(context.holdNs())));
            workload.start(seed);
            driver.start();
            while (endNs - System.nanoTime() > 0) {
                LockSupport.parkNanos(endNs - System.nanoTime());
                if (Thread.interrupted()) {
                    throw new InterruptedException("run " + name + " interrupted");
                }
            }
            workload.stop();
            driver.stop();
            problem = driver.error() == null ? null : "nemesis: " + driver.error();
            if (firewall != null) {
                firewall.heal();
            }
            log.say("run " + name + ": workload stopped, faults healed; waiting for the cluster to be ready");
            if (!cluster.awaitReady(READY_TIMEOUT_MS)) {
                problem = join(problem, "the cluster was not ready " + READY_TIMEOUT_MS / 1000
                    + " s after the faults were healed");
            }
            finalReadsOk = finalReads(workload, keys.size(), log);
            if (!finalReadsOk) {
                problem = join(problem, "a final read did not succeed within " + FINAL_READ_TIMEOUT_MS / 1000 + " s");
            }
            if (workload.corruptReads() > 0) {
                problem = join(problem, workload.corruptReads() + " read(s) returned bytes that are not a value "
                    + "this workload writes (recorded as " + RegisterWorkload.CORRUPT + ")");
            }
        } finally {
            workload.stop();
            if (driver != null) {
                driver.stop();
            }
            if (firewall != null) {
                firewall.heal();
            }
            for (final RegisterHistory history : histories) {
                history.close();
            }
            cluster.down(false);
        }
        final List<HistoryVerdict> verdicts = new ArrayList<>();
        for (final RegisterHistory history : histories) {
            verdicts.add(HistoryVerdict.check(history.file()));
        }
        final List<RunResult.FaultStats> faults = new ArrayList<>();
        for (final NemesisDriver.Fault fault : driver.faults()) {
            faults.add(new RunResult.FaultStats(fault, timeline.count(fault.startNs(), fault.endNs())));
        }
        final RunResult result = new RunResult(name, kind, timeline.total(), faults, verdicts, finalReadsOk, problem,
            false, workload.errorKinds());
        if (!result.passed() || context.keep()) {
            cluster.copyNodeLogs(context.out(), name);
        }
        if (!context.keep()) {
            deleteTree(clusterDir());
        }
        return result;
    }

    /** Stops the run's cluster, from a shutdown hook (Ctrl-C); the histories are left as they are. */
    void emergencyStop() {
        final ClusterControl current = cluster;
        if (current != null) {
            current.down(false);
        }
    }

    private static int partitionCount(final RegisterWorkload workload) {
        try (LoomBlockingClient client = LoomBlockingClient.connect(workload.clientContext())) {
            return client.async().serverInfo().partitionCount();
        } catch (final LoomException ex) {
            throw new ChaosException("cannot connect to the cluster that just came up: " + ex.getMessage(), ex);
        }
    }

    /** Reads every register once, as a process that never ran before, retrying a read that fails. */
    private boolean finalReads(final RegisterWorkload workload, final int keyCount, final NemesisLog log) {
        final int process = workload.maxProcess() + 1;
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FINAL_READ_TIMEOUT_MS);
        LoomBlockingClient client = null;
        try {
            for (int key = 0; key < keyCount; key++) {
                boolean done = false;
                while (!done && System.nanoTime() - deadline < 0) {
                    if (client == null) {
                        client = tryConnect(workload);
                    }
                    done = client != null && workload.readOnce(client, key, process) == null;
                    if (!done) {
                        ClusterControl.sleepMs(FINAL_READ_RETRY_MS);
                    }
                }
                if (!done) {
                    log.say("run " + name + ": final read of " + ChaosContext.keyName(key) + " failed");
                    return false;
                }
            }
            log.note("final reads done as process " + process);
            return true;
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    private static LoomBlockingClient tryConnect(final RegisterWorkload workload) {
        try {
            return LoomBlockingClient.connect(workload.clientContext());
        } catch (final LoomException ex) {
            return null;
        }
    }

    private static String join(final String first, final String second) {
        return first == null ? second : first + "; " + second;
    }

    static void deleteTree(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
