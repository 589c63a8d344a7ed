package io.loomcache.server;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

import io.loomcache.server.config.ConfigException;
import io.loomcache.server.config.ConfigLoader;
import io.loomcache.server.config.HelpText;
import io.loomcache.server.config.ServerContext;
import io.loomcache.server.log.NodeLog;
import io.loomcache.server.log.NodeLog.Component;

/**
 * Starts a LoomCache node from defaults, an optional config file, {@code LOOMCACHE_*} variables and flags
 * ({@code --help} lists them). Exit status: 2 for an invalid setting (one line on stderr), 1 when the node cannot
 * start, 0 after a graceful shutdown on SIGTERM or SIGINT (the shutdown hook drains, forces the WAL and halts
 * with 0; a shutdown that has not finished within the drain timeout plus 30 s halts with 1). A heap reserve is let
 * go on the first OutOfMemoryError so that a graceful stop stays possible. What goes wrong before the node's
 * context is concluded (an invalid setting) is printed directly, one {@code loomcache: } line, as there is no log
 * yet; everything after goes through the context's {@link NodeLog}.
 */
public final class Main {
    private static final int EXIT_INVALID_SETTING = 2;
    private static final int EXIT_START_FAILED = 1;
    private static final long SHUTDOWN_GRACE_MS = 30_000;
    private static final int RESERVE_BYTES = 8 * 1024 * 1024;

    /**
     * Heap held back for a graceful stop: let go on the first OutOfMemoryError any thread reports and when the
     * shutdown hook starts, so that the JVM can still allocate the thread that handles SIGTERM and the hook can log
     * and close the node.
     */
    @SuppressWarnings("unused")
    private static volatile byte[] reserve = new byte[RESERVE_BYTES];

    private Main() {
    }

    /**
     * Runs a node until the process is told to stop.
     *
     * @param args flags, see --help.
     * @throws InterruptedException never in practice: the main thread waits until the JVM halts.
     */
    public static void main(final String[] args) throws InterruptedException {
        if (Arrays.asList(args).contains(ConfigLoader.HELP_FLAG)) {
            System.out.print(HelpText.render());
            return;
        }
        ServerContext context = null;
        final LoomCacheNode node;
        try {
            context = ConfigLoader.load(args, System.getenv());
            node = LoomCacheNode.start(context);
        } catch (final ConfigException ex) {
            System.err.println("loomcache: " + ex.getMessage());
            System.exit(EXIT_INVALID_SETTING);
            return;
        } catch (final IOException | RuntimeException ex) {
            if (context == null || context.log() == null) {
                System.err.println("loomcache: failed to start: " + ex);
            } else {
                context.log().error(Component.NODE, "failed to start", ex);
            }
            System.exit(EXIT_START_FAILED);
            return;
        }
        final NodeLog log = context.log();
        final long watchdogMs = node.context().drainTimeoutMs() + SHUTDOWN_GRACE_MS;
        final Thread watchdog = Thread.ofPlatform().name("loomcache-shutdown-watchdog").daemon().unstarted(() -> {
            try {
                Thread.sleep(watchdogMs);
                log.info(Component.NODE, "shutdown did not finish within " + watchdogMs + " ms, halting");
                Runtime.getRuntime().halt(EXIT_START_FAILED);
            } catch (final InterruptedException finished) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            reserve = null;
            try {
                watchdog.start();
                log.info(Component.NODE, "shutdown requested");
                node.close();
            } catch (final Throwable ex) {
                log.error(Component.NODE, "shutdown", ex);
            } finally {
                System.err.flush();
                Runtime.getRuntime().halt(0);
            }
        }, "loomcache-shutdown"));
        log.onOutOfMemory(() -> reserve = null);
        new CountDownLatch(1).await();
    }
}
