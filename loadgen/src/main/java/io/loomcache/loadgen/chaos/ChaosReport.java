package io.loomcache.loadgen.chaos;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text of the results: one summary line per nemesis for the console, and the per-run detail of
 * {@code DIR/summary.txt} (each fault with its length and the operations completed during it, each history's
 * verdict, the counterexample of a history that is not linearizable).
 */
final class ChaosReport {
    private ChaosReport() {
    }

    /**
     * The summary line of one nemesis over its runs.
     *
     * @param kind the nemesis.
     * @param runs its runs.
     * @return e.g. {@code kill         runs 1  ops 5234  ok 4800  fail 300  info 134  faults 5  linearizable: 5/5
     *     histories}.
     */
    static String nemesisLine(final NemesisKind kind, final List<RunResult> runs) {
        final long[] counts = new long[Outcome.values().length];
        int faults = 0;
        int histories = 0;
        int linearizable = 0;
        final StringBuilder problems = new StringBuilder();
        for (final RunResult run : runs) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += run.counts()[i];
            }
            faults += run.faults().size();
            histories += run.verdicts().size();
            linearizable += run.linearizableCount();
            if (run.problem() != null) {
                problems.append(problems.isEmpty() ? "" : "; ").append(run.name()).append(": ").append(run.problem());
            }
        }
        final long ops = counts[0] + counts[1] + counts[2];
        return String.format(Locale.ROOT, "%-12s runs %d  ops %d  ok %d  fail %d  info %d  faults %d  %s: %d/%d "
            + "histories%s", kind.label(), runs.size(), ops, counts[Outcome.OK.ordinal()],
            counts[Outcome.FAIL.ordinal()], counts[Outcome.INFO.ordinal()], faults,
            linearizable == histories && histories > 0 ? "linearizable" : "NOT LINEARIZABLE or unchecked",
            linearizable, histories, problems.isEmpty() ? "" : "  PROBLEM " + problems);
    }

    /**
     * The line of a nemesis that could not run here.
     *
     * @param kind the nemesis.
     * @param reason why.
     * @return e.g. {@code partition    skipped: iptables ...}.
     */
    static String skippedLine(final NemesisKind kind, final String reason) {
        return String.format(Locale.ROOT, "%-12s skipped: %s", kind.label(), reason);
    }

    /**
     * The detail of one run for {@code summary.txt}.
     *
     * @param run the run.
     * @return several lines, each ending with a newline.
     */
    static String runDetail(final RunResult run) {
        final StringBuilder text = new StringBuilder();
        final long[] c = run.counts();
        text.append(String.format(Locale.ROOT, "run %s: %d operations (ok %d, fail %d, info %d), %d fault(s), "
            + "final reads %s%n", run.name(), run.operations(), c[0], c[1], c[2], run.faults().size(),
            run.finalReadsOk() ? "done" : "NOT done"));
        if (run.problem() != null) {
            text.append("  problem: ").append(run.problem()).append('\n');
        }
        if (!run.errorKinds().isEmpty()) {
            text.append("  client errors: ").append(String.join(", ", run.errorKinds())).append('\n');
        }
        long faultNs = 0;
        for (final RunResult.FaultStats stats : run.faults()) {
            final NemesisDriver.Fault fault = stats.fault();
            final long[] d = stats.counts();
            faultNs += fault.endNs() - fault.startNs();
            text.append(String.format(Locale.ROOT, "  fault %d, %.1fs: %s; %d operations completed during it (ok %d, "
                + "fail %d, info %d)%n", fault.cycle(), NemesisDriver.seconds(fault.endNs() - fault.startNs()),
                fault.what(), d[0] + d[1] + d[2], d[0], d[1], d[2]));
        }
        if (!run.faults().isEmpty()) {
            text.append(String.format(Locale.ROOT, "  faults lasted %.1fs in all%n", NemesisDriver.seconds(faultNs)));
        }
        for (final HistoryVerdict verdict : run.verdicts()) {
            text.append("  ").append(verdict.line()).append('\n');
            if (verdict.result() != null && !verdict.result().counterexample().isEmpty()) {
                for (final String line : verdict.result().counterexample()) {
                    text.append("    ").append(line).append('\n');
                }
            }
        }
        return text.toString();
    }

    /**
     * The summary lines of every nemesis, in order, with skipped ones.
     *
     * @param kinds the nemeses asked for.
     * @param results the runs of each.
     * @param skipped why a nemesis was skipped.
     * @return one line per nemesis.
     */
    static List<String> summaryLines(final List<NemesisKind> kinds, final Map<NemesisKind, List<RunResult>> results,
        final Map<NemesisKind, String> skipped) {
        return kinds.stream().map(kind -> skipped.containsKey(kind) ? skippedLine(kind, skipped.get(kind))
            : nemesisLine(kind, results.getOrDefault(kind, List.of()))).toList();
    }
}
