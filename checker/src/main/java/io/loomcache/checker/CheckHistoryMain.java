package io.loomcache.checker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The {@code scripts/check-history FILE...} command: checks Jepsen register logs and prints, per file,
 * {@code FILE: linearizable} or {@code FILE: not linearizable} followed by the counterexample. Exit status 0 when
 * every file is linearizable, 1 when any is not, 2 on a usage or parse error (message on stderr).
 */
public final class CheckHistoryMain {
    /** Exit status when every file is linearizable. */
    public static final int EXIT_LINEARIZABLE = 0;
    /** Exit status when at least one file is not linearizable. */
    public static final int EXIT_NOT_LINEARIZABLE = 1;
    /** Exit status on bad usage or a file that cannot be read or parsed. */
    public static final int EXIT_ERROR = 2;

    private static final String USAGE = "usage: check-history FILE...\n"
        + "  checks Jepsen register logs (read/write/cas, key 0) for linearizability;\n"
        + "  exit 0 all linearizable, 1 some not, 2 usage or parse error";

    private CheckHistoryMain() {
    }

    /**
     * Entry point; exits the JVM with the status of {@link #run}.
     *
     * @param args the files to check.
     */
    public static void main(final String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Checks every file named in {@code args}, in order, even after an error.
     *
     * @param args files to check; {@code -h} or {@code --help} prints the usage.
     * @param out  receives the verdicts and counterexamples.
     * @param err  receives usage and parse errors.
     * @return {@link #EXIT_LINEARIZABLE}, {@link #EXIT_NOT_LINEARIZABLE} or {@link #EXIT_ERROR}.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return EXIT_ERROR;
        }
        if (args.length == 1 && ("-h".equals(args[0]) || "--help".equals(args[0]))) {
            out.println(USAGE);
            return EXIT_LINEARIZABLE;
        }
        boolean error = false;
        boolean violation = false;
        for (final String file : args) {
            final History history;
            try {
                history = History.parseJepsen(Path.of(file));
            } catch (final IOException | RuntimeException ex) {
                err.println("check-history: " + reason(file, ex));
                error = true;
                continue;
            }
            final CheckResult result = LinearizabilityChecker.check(history);
            if (result.isLinearizable()) {
                out.println(file + ": linearizable");
            } else {
                violation = true;
                out.println(file + ": not linearizable");
                for (final String line : result.counterexample()) {
                    out.println("  " + line);
                }
            }
        }
        out.flush();
        if (error) {
            return EXIT_ERROR;
        }
        return violation ? EXIT_NOT_LINEARIZABLE : EXIT_LINEARIZABLE;
    }

    private static String reason(final String file, final Exception ex) {
        if (ex instanceof NoSuchFileException) {
            return file + ": no such file";
        }
        final String message = ex.getMessage();
        return message != null && message.startsWith(file) ? message : file + ": " + ex;
    }
}
