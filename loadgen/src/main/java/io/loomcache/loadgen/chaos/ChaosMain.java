package io.loomcache.loadgen.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.loomcache.protocol.options.UsageException;

/**
 * Entry point of {@code scripts/chaos}: for each nemesis asked for, {@code --runs} runs (a fresh cluster each, see
 * {@link ChaosRun}), then one summary line per nemesis on stdout and the detail in {@code DIR/summary.txt}. Every
 * fault is healed, every iptables rule deleted and every cluster stopped in a finally block, and by a shutdown hook
 * on Ctrl-C. Exit status: {@link #EXIT_LINEARIZABLE}, {@link #EXIT_FOUND}, {@link #EXIT_CANNOT_RUN}.
 */
public final class ChaosMain {
    /** Every history is linearizable and every run recovered. */
    public static final int EXIT_LINEARIZABLE = 0;
    /** Some history is not linearizable (or undecided), or the cluster did not recover: a finding. */
    public static final int EXIT_FOUND = 1;
    /** Bad usage, a nemesis asked for explicitly cannot run here, or the cluster could not be set up. */
    public static final int EXIT_CANNOT_RUN = 2;

    private ChaosMain() {
    }

    /**
     * Runs the tool and exits with its status; the project root is the system property {@code loomcache.root}, else
     * the working directory.
     *
     * @param args the flags.
     */
    public static void main(final String[] args) {
        final Path root = Path.of(System.getProperty("loomcache.root", "."));
        System.exit(run(root, args, System.out, System.err));
    }

    /**
     * Runs the tool.
     *
     * @param root the project root (holding {@code scripts/cluster}).
     * @param args the flags.
     * @param out the progress and the summary.
     * @param err problems.
     * @return the exit status.
     */
    public static int run(final Path root, final String[] args, final PrintStream out, final PrintStream err) {
        if (ChaosContext.wantsHelp(args)) {
            out.println(ChaosContext.USAGE);
            return EXIT_LINEARIZABLE;
        }
        final ChaosContext context;
        try {
            context = ChaosContext.parse(root.toAbsolutePath(), args);
        } catch (final UsageException ex) {
            err.println("chaos: " + ex.getMessage());
            err.println(ChaosContext.USAGE);
            return EXIT_CANNOT_RUN;
        }
        final Map<NemesisKind, String> skipped = new EnumMap<>(NemesisKind.class);
        Firewall firewall = null;
        if (context.nemeses().contains(NemesisKind.PARTITION)) {
            final String reason = Firewall.unavailableReason();
            if (reason != null && !context.all()) {
                err.println("chaos: the partition nemesis cannot run here: " + reason);
                return EXIT_CANNOT_RUN;
            }
            if (reason != null) {
                skipped.put(NemesisKind.PARTITION, reason);
                out.println("chaos: partition skipped: " + reason);
            } else {
                firewall = new Firewall();
            }
        }
        try {
            Files.createDirectories(context.out());
            return runAll(context, firewall, skipped, String.join(" ", args), out, err);
        } catch (final IOException ex) {
            err.println("chaos: " + ex.getMessage());
            return EXIT_CANNOT_RUN;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            err.println("chaos: interrupted");
            return EXIT_CANNOT_RUN;
        }
    }

    private static int runAll(final ChaosContext context, final Firewall firewall,
        final Map<NemesisKind, String> skipped, final String command, final PrintStream out, final PrintStream err)
        throws IOException, InterruptedException {
        final Map<NemesisKind, List<RunResult>> results = new EnumMap<>(NemesisKind.class);
        final ChaosRun[] current = new ChaosRun[1];
        final Thread hook = new Thread(() -> {
            synchronized (current) {
                if (firewall != null) {
                    firewall.close();
                }
                if (current[0] != null) {
                    current[0].emergencyStop();
                }
            }
        }, "chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (final NemesisKind kind : context.nemeses()) {
                if (skipped.containsKey(kind)) {
                    continue;
                }
                final Firewall chain = kind == NemesisKind.PARTITION ? firewall : null;
                if (chain != null) {
                    chain.open();
                }
                for (int number = 1; number <= context.runs(); number++) {
                    final ChaosRun run = new ChaosRun(context, kind, number, chain, out);
                    synchronized (current) {
                        current[0] = run;
                    }
                    final RunResult result = execute(run, kind, err);
                    results.computeIfAbsent(kind, k -> new ArrayList<>()).add(result);
                    out.println(ChaosReport.runDetail(result).stripTrailing());
                }
                if (chain != null) {
                    chain.close();
                }
            }
        } catch (final ChaosException ex) {
            err.println("chaos: " + ex.getMessage());
            return EXIT_CANNOT_RUN;
        } finally {
            if (firewall != null) {
                firewall.close();
            }
            synchronized (current) {
                current[0] = null;
            }
            removeHook(hook);
        }
        return report(context, results, skipped, command, out);
    }

    private static RunResult execute(final ChaosRun run, final NemesisKind kind, final PrintStream err)
        throws IOException, InterruptedException {
        try {
            return run.execute();
        } catch (final ChaosException ex) {
            err.println("chaos: run " + run.name() + ": " + ex.getMessage());
            return new RunResult(run.name(), kind, new long[Outcome.values().length], List.of(), List.of(), false,
                ex.getMessage(), true, List.of());
        }
    }

    private static int report(final ChaosContext context, final Map<NemesisKind, List<RunResult>> results,
        final Map<NemesisKind, String> skipped, final String command, final PrintStream out) throws IOException {
        final List<String> lines = ChaosReport.summaryLines(context.nemeses(), results, skipped);
        final StringBuilder summary = new StringBuilder();
        summary.append("scripts/chaos ").append(command).append('\n');
        summary.append("seed ").append(context.seed()).append(" (--seed ").append(context.seed())
            .append(" repeats the random choices, not the timing)\n");
        boolean found = false;
        boolean cannotRun = false;
        for (final List<RunResult> runs : results.values()) {
            for (final RunResult run : runs) {
                summary.append(ChaosReport.runDetail(run));
                found |= !run.passed() && !run.setupFailed();
                cannotRun |= run.setupFailed();
            }
        }
        summary.append("summary\n");
        out.println("summary (seed " + context.seed() + "; details in " + context.out().resolve("summary.txt") + ")");
        for (final String line : lines) {
            summary.append(line).append('\n');
            out.println(line);
        }
        Files.writeString(context.out().resolve("summary.txt"), summary.toString(), StandardCharsets.UTF_8);
        if (found) {
            return EXIT_FOUND;
        }
        return cannotRun ? EXIT_CANNOT_RUN : EXIT_LINEARIZABLE;
    }

    private static void removeHook(final Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException ex) {
            // the JVM is shutting down: the hook runs or ran
        }
    }
}
