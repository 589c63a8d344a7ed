package io.loomcache.loadgen.chaos;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.loomcache.client.ClientContext;
import io.loomcache.client.LoomBlockingClient;
import io.loomcache.client.LoomException;

/**
 * Measures failover as a client sees it: on the chaos cluster (three members on 127.0.0.11-13, see
 * {@link ClusterControl}) one thread writes a key of group 0 in a loop, one write at a time; each trial kills group
 * 0's leader with SIGKILL and measures the time from just before the kill to the completion of the first write sent
 * after it that succeeds (so it was committed by a new leader), then restarts the killed member and waits until it
 * leads group 0 again (its preferred group) before the next trial. Prints every trial and the median, p99 and max.
 *
 * <p>Usage: {@code scripts/failover [--trials 20] [--out DIR]}; exit 0 when every trial saw a successful write, 1
 * otherwise, 2 on bad usage or a cluster that could not be set up.
 */
public final class FailoverMain {
    private static final long STEADY_MS = 1_000;
    private static final long TRIAL_TIMEOUT_MS = 30_000;

    private FailoverMain() {
    }

    /**
     * Runs the measurement.
     *
     * @param args {@code --trials N --out DIR}.
     * @throws Exception when the cluster cannot be driven.
     */
    public static void main(final String[] args) throws Exception {
        int trials = 20;
        Path out = Path.of("/tmp/loomcache-failover");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: scripts/failover [--trials N] [--out DIR]");
                    System.exit(2);
                }
            }
        }
        final Path root = Path.of(System.getProperty("loomcache.root", "."));
        Files.createDirectories(out);
        System.exit(run(root, out, trials, System.out));
    }

    static int run(final Path root, final Path out, final int trials, final PrintStream console) throws Exception {
        final NemesisLog log = new NemesisLog(out.resolve("failover-actions.txt"), console);
        final ClusterControl cluster = new ClusterControl(root, out.resolve("cluster"), log);
        final List<Double> millis = new ArrayList<>();
        cluster.up();
        try {
            if (!cluster.awaitReady(60_000)) {
                console.println("failover: the cluster did not become ready");
                return 2;
            }
            final String key = keyOfGroup0(cluster);
            try (LoomBlockingClient client = LoomBlockingClient.connect(new ClientContext()
                .nodes(ClusterControl.clientAddresses()).requestTimeoutMs(2_000).connectTimeoutMs(500))) {
                for (int trial = 1; trial <= trials; trial++) {
                    final double ms = trial(cluster, client, key, console);
                    if (ms < 0) {
                        console.println("failover: trial " + trial + " saw no successful write within " +
                            TRIAL_TIMEOUT_MS + " ms");
                        return 1;
                    }
                    millis.add(ms);
                    console.printf(Locale.ROOT, "trial %2d: %.1f ms%n", trial, ms);
                }
            }
        } finally {
            cluster.down(true);
        }
        final double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        final String summary = String.format(Locale.ROOT,
            "failover (kill -9 of group 0's leader -> first successful write, %d trials): median %.1f ms, p99 %.1f " +
                "ms, max %.1f ms, min %.1f ms; all: %s%n", sorted.length, percentile(sorted, 0.5),
            percentile(sorted, 0.99), sorted[sorted.length - 1], sorted[0], Arrays.toString(sorted));
        console.print(summary);
        Files.writeString(out.resolve("failover.txt"), summary, StandardCharsets.UTF_8);
        return 0;
    }

    private static double trial(final ClusterControl cluster, final LoomBlockingClient client, final String key,
        final PrintStream console) throws Exception {
        final int leader = awaitLeaderOfGroup0(cluster, -1);
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong killedAtNs = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong firstSuccessNs = new AtomicLong(-1);
        final Thread writer = Thread.ofPlatform().name("failover-writer").start(() -> {
            long n = 0;
            while (running.get()) {
                final long sentNs = System.nanoTime();
                try {
                    client.put(key.getBytes(StandardCharsets.UTF_8),
                        Long.toString(n++).getBytes(StandardCharsets.UTF_8));
                    if (sentNs > killedAtNs.get()) {
                        firstSuccessNs.compareAndSet(-1, System.nanoTime());
                    }
                } catch (final LoomException ex) {
                    // the kill, an election, an unknown outcome: write again
                }
            }
        });
        try {
            Thread.sleep(STEADY_MS);
            final long pid = Long.parseLong(Files.readString(cluster.dir().resolve("node-" + leader + ".pid"),
                StandardCharsets.UTF_8).trim());
            final ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
            final long killNs = System.nanoTime();
            killedAtNs.set(killNs);
            process.destroyForcibly();
            final long deadline = killNs + TimeUnit.MILLISECONDS.toNanos(TRIAL_TIMEOUT_MS);
            while (firstSuccessNs.get() < 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            running.set(false);
            writer.join();
            final long success = firstSuccessNs.get();
            process.onExit().get(10, TimeUnit.SECONDS);
            cluster.restart(leader);
            cluster.awaitReady(60_000);
            // the restarted member is group 0's preferred leader: wait until it has it back, so every trial kills
            // the same kind of leader (one that has led for a while)
            awaitLeaderOfGroup0(cluster, leader);
            return success < 0 ? -1 : (success - killNs) / 1e6;
        } finally {
            running.set(false);
            writer.join();
        }
    }

    private static int awaitLeaderOfGroup0(final ClusterControl cluster, final int wanted) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TRIAL_TIMEOUT_MS);
        while (System.nanoTime() - deadline < 0) {
            final int[] leaders = cluster.groupLeaders();
            if (leaders.length > 0 && leaders[0] >= 0 && (wanted < 0 || leaders[0] == wanted)) {
                return leaders[0];
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("group 0 has no leader" + (wanted < 0 ? "" : " " + wanted) + " after " +
            TRIAL_TIMEOUT_MS + " ms");
    }

    private static String keyOfGroup0(final ClusterControl cluster) {
        final int groups = Math.max(1, cluster.groupLeaders().length);
        for (int i = 0; ; i++) {
            final String key = "failover-" + i;
            if (LeaderPicker.partition(key, 271) % groups == 0) {
                return key;
            }
        }
    }

    private static double percentile(final double[] sorted, final double quantile) {
        final int index = (int)Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
