package io.loomcache.wal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.loomcache.testkit.Prerequisites;

/**
 * A size-limited tmpfs mounted on a test directory for full-disk tests; {@link #close()} unmounts it. When mounting
 * is not permitted the calling test is skipped with the reason, or fails when the CI variable is set
 * ({@link Prerequisites}).
 */
final class TmpfsMount implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    private final Path mountPoint;

    private TmpfsMount(final Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static TmpfsMount mount(final Path mountPoint, final String size) throws InterruptedException {
        String output;
        try {
            output = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString());
        } catch (final IOException ex) {
            output = "cannot run mount (" + ex.getMessage() + "); full-disk tests need root and util-linux";
        }
        Prerequisites.require(output == null,
            "mount -t tmpfs is not permitted here (tests need root or CAP_SYS_ADMIN): " + output);
        return new TmpfsMount(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException {
        final String output;
        try {
            output = run("umount", mountPoint.toString());
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + mountPoint, ex);
        }
        if (output != null) {
            throw new IOException("umount " + mountPoint + " failed: " + output);
        }
    }

    /**
     * Runs a command with a deadline.
     *
     * @return null on exit status 0, else the command's output.
     */
    private static String run(final String... command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return "timed out after " + TIMEOUT_SECONDS + " s";
            }
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output.strip();
        } finally {
            process.destroyForcibly();
        }
    }
}
