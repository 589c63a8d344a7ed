package io.loomcache.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one gate for tests that need something from the machine (root, strace, redis-server, ::1, test data): on a
 * developer machine a missing prerequisite skips the test with a message naming what to install; when the
 * environment variable {@code CI} is set (and not "false") the test fails with that message instead, because CI
 * installs every prerequisite and runs as root, so a skip there would hide a gap.
 */
public final class Prerequisites {
    private Prerequisites() {
    }

    /**
     * Skips, or under CI fails, the calling test unless {@code met}.
     *
     * @param met    whether the prerequisite is there.
     * @param reason what is missing and how to get it, e.g. {@code "strace is not installed (apt-get install strace)"}.
     */
    public static void require(final boolean met, final String reason) {
        require(met, reason, System.getenv("CI"));
    }

    /**
     * As {@link #require(boolean, String)} with the value of {@code CI} given, for testing the policy itself.
     *
     * @param met        whether the prerequisite is there.
     * @param reason     what is missing and how to get it.
     * @param ciVariable the value of {@code CI}, or null when unset.
     */
    public static void require(final boolean met, final String reason, final String ciVariable) {
        if (met) {
            return;
        }
        if (isCi(ciVariable)) {
            Assertions.fail(reason + " (CI=" + ciVariable + ": CI installs every prerequisite, so this must not skip)");
        }
        Assumptions.abort(reason);
    }

    /**
     * Requires an executable on the {@code PATH}.
     *
     * @param tool    the executable's name, e.g. {@code "strace"}.
     * @param install how to get it, e.g. {@code "apt-get install strace"}.
     * @return its path.
     */
    public static Path requireTool(final String tool, final String install) {
        final Path found = onPath(tool);
        require(found != null, tool + " is not on the PATH (" + install + ")");
        return found;
    }

    /**
     * Finds an executable on the {@code PATH}.
     *
     * @param tool the executable's name.
     * @return its path, or null if no directory of the {@code PATH} holds it.
     */
    public static Path onPath(final String tool) {
        final String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (final String dir : path.split(File.pathSeparator)) {
            final Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean isCi(final String ciVariable) {
        return ciVariable != null && !ciVariable.isBlank() && !"false".equalsIgnoreCase(ciVariable.strip());
    }
}
