package io.loomcache.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that closes what a test registered once the test ends, passed or failed: nodes, clients,
 * servers, child processes. Register it on an instance field ({@code @RegisterExtension final Cleanup cleanup = new
 * Cleanup();}) and wrap each resource as it is made ({@code server = cleanup.add(FakeServer.start());}). Resources
 * close in reverse order of registration, every one even when another throws; the first failure fails the test with
 * the others attached as suppressed. Subclasses add ways to start what their module's tests need.
 */
public class Cleanup implements AfterEachCallback {
    private static final long PROCESS_EXIT_TIMEOUT_S = 30;

    private final List<AutoCloseable> resources = new ArrayList<>();

    /**
     * Registers a resource to close after the test.
     *
     * @param resource what to close; closing it twice (the test closed it already) must be harmless.
     * @param <T>      its type.
     * @return {@code resource}, so a test registers it where it makes it.
     */
    public final synchronized <T extends AutoCloseable> T add(final T resource) {
        resources.add(resource);
        return resource;
    }

    /**
     * Registers a child process to kill (with its descendants, {@code SIGKILL}) and wait for after the test.
     *
     * @param process a process the test started.
     * @return {@code process}.
     */
    public final Process add(final Process process) {
        add(() -> kill(process));
        return process;
    }

    /**
     * Makes a directory under {@code java.io.tmpdir} that is deleted, with all it holds, after the test.
     *
     * @return its path.
     * @throws IOException if it cannot be made.
     */
    public final Path tempDir() throws IOException {
        final Path dir = Files.createTempDirectory("loomcache-test-");
        add(() -> IoUtil.delete(dir.toFile(), false));
        return dir;
    }

    /**
     * Kills a process and its descendants ({@code SIGKILL}) and waits for it to exit.
     *
     * @param process the process; nothing happens if it has exited.
     * @throws InterruptedException if interrupted while waiting for the exit.
     */
    public static void kill(final Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(PROCESS_EXIT_TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Override
    public final void afterEach(final ExtensionContext context) {
        final List<AutoCloseable> lastFirst;
        synchronized (this) {
            lastFirst = new ArrayList<>(resources.reversed());
            resources.clear();
        }
        CloseHelper.closeAll(lastFirst);
    }
}
