package io.loomcache.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs mounted on a test directory for full-disk tests; {@link #close()} unmounts it. When mounting
 * is not permitted the calling test is skipped with the reason, or fails when the CI variable is set
 * ({@link Prerequisites}).
 */
public final class TmpfsMount implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    private final Path mountPoint;

    private TmpfsMount(final Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /**
     * Mounts a tmpfs of the given size on a directory.
     *
     * @param mountPoint an existing directory.
     * @param size the tmpfs size, e.g. "1m".
     * @return the mount, to close (unmount) in a finally.
     * @throws InterruptedException when interrupted while mounting.
     */
    public static TmpfsMount mount(final Path mountPoint, final String size) throws InterruptedException {
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

    /**
     * The mount point.
     *
     * @return the directory.
     */
    public Path path() {
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
