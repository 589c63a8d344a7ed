package io.loomcache.raft.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulation as a command ({@code scripts/raft-sim}): replay one seed with its fault trace, run a deep
 * campaign over many seeds, or measure election times.
 */
public final class SimulationMain {
    private SimulationMain() {
    }

    /**
     * Entry point.
     *
     * @param args {@code --seed N} | {@code --campaign N [--first S] [--threads T]} | {@code --election-time N}.
     * @throws Exception on an unexpected failure of the runner itself.
     */
    public static void main(final String[] args) throws Exception {
        final int code = args.length >= 2 ? run(args) : usage();
        System.exit(code);
    }

    private static int run(final String[] args) throws Exception {
        final long value = Long.parseLong(args[1]);
        switch (args[0]) {
            case "--seed" -> {
                return replay(value);
            }
            case "--campaign" -> {
                return campaign(value, Long.parseLong(option(args, "--first", "1")),
                    Integer.parseInt(option(args, "--threads",
                        Integer.toString(Runtime.getRuntime().availableProcessors()))));
            }
            case "--election-time" -> {
                return electionTime((int)value);
            }
            default -> {
                return usage();
            }
        }
    }

    private static String option(final String[] args, final String name, final String defaultValue) {
        for (int i = 2; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return defaultValue;
    }

    private static int usage() {
        System.err.println("usage: scripts/raft-sim --seed N | --campaign N [--first S] [--threads T]"
            + " | --election-time N");
        return 2;
    }

    private static int replay(final long seed) {
        final Simulation simulation = new Simulation(seed, SimOptions.fromSeed(seed));
        final Simulation.Result result = simulation.run();
        System.out.println("seed " + seed + ": " + result.options());
        System.out.print(simulation.trace);
        System.out.print(simulation.describeMembers());
        System.out.println(result.ok() ? "ok" : "FAILED " + result.violation());
        System.out.println("events=" + result.events() + " simulatedMs=" + result.simulatedMs() + " committed="
            + result.committed() + " acknowledged=" + result.acknowledged() + " timedOut=" + result.timedOut()
            + " historyOps=" + result.historyOps() + " linearizability=" + result.linearizability());
        return result.ok() ? 0 : 1;
    }

    private static int campaign(final long seeds, final long first, final int threads) throws Exception {
        final AtomicLong next = new AtomicLong(first);
        final AtomicLong done = new AtomicLong();
        final AtomicLong committed = new AtomicLong();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final long startNs = System.nanoTime();
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        final List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                long seed;
                while ((seed = next.getAndIncrement()) < first + seeds) {
                    try {
                        final Simulation.Result result = Simulation.run(seed);
                        committed.addAndGet(result.committed());
                        if (!result.ok()) {
                            failures.add(SimulationReport.describe(result));
                        }
                    } catch (final RuntimeException | AssertionError e) {
                        failures.add("seed " + seed + ": threw " + e + "\n  replay: scripts/raft-sim --seed " + seed);
                    }
                    final long count = done.incrementAndGet();
                    if (count % 1000 == 0) {
                        System.out.printf("%d/%d seeds, %d failed, %.0f seeds/s%n", count, seeds, failures.size(),
                            count / ((System.nanoTime() - startNs) / 1e9));
                    }
                }
                return null;
            }));
        }
        try {
            for (final Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        for (final String failure : failures) {
            System.out.println(failure.length() > 2000 ? failure.substring(0, 2000) + " ..." : failure);
        }
        System.out.printf("campaign: %d seeds run (%d..%d), %d failed, %.1f s, %.0f seeds/s on %d threads,"
            + " %d entries committed%n", done.get(), first, first + seeds - 1, failures.size(), seconds,
            done.get() / seconds, threads, committed.get());
        return failures.isEmpty() ? 0 : 1;
    }

    private static int electionTime(final int runs) {
        for (final int members : new int[] {3, 5}) {
            final long[] times = new long[runs];
            int measured = 0;
            for (int seed = 1; seed <= runs; seed++) {
                final SimOptions options = new SimOptions();
                options.members = members;
                options.clients = 0;
                options.faults = false;
                final long ms = new Simulation(seed, options).measureElectionMs();
                if (ms >= 0) {
                    times[measured++] = ms;
                }
            }
            final long[] sorted = Arrays.copyOf(times, measured);
            Arrays.sort(sorted);
            System.out.printf("%d members, %d runs (election timeout 300-600 ms, heartbeat 50 ms, one-way delay"
                + " 0.1-3 ms): new leader after leader stop: min %d ms, median %d ms, p90 %d ms, p99 %d ms,"
                + " max %d ms%n", members, measured, sorted[0], sorted[measured / 2], sorted[measured * 9 / 10],
                sorted[measured * 99 / 100], sorted[measured - 1]);
        }
        return 0;
    }
}
