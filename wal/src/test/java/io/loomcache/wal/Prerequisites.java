package io.loomcache.wal;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need something from the machine (root to mount a tmpfs, strace): on a developer machine a
 * missing prerequisite skips the test with the reason, but when the environment variable {@code CI} is set (and
 * not "false") the test fails instead, because CI installs strace and runs as root, so a skip there hides a gap.
 */
final class Prerequisites {
    private Prerequisites() {
    }

    static void require(final boolean met, final String reason) {
        require(met, reason, System.getenv("CI"));
    }

    static void require(final boolean met, final String reason, final String ciVariable) {
        if (met) {
            return;
        }
        if (isCi(ciVariable)) {
            Assertions.fail(reason + " (CI=" + ciVariable + ": CI provides strace and root, so this must not skip)");
        }
        Assumptions.abort(reason);
    }

    private static boolean isCi(final String ciVariable) {
        return ciVariable != null && !ciVariable.isBlank() && !"false".equalsIgnoreCase(ciVariable.strip());
    }
}
