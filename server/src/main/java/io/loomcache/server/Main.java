package io.loomcache.server;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

import io.loomcache.server.config.ConfigException;
import io.loomcache.server.config.ConfigLoader;
import io.loomcache.server.config.HelpText;
import io.loomcache.server.config.ServerContext;

/**
 * Starts a LoomCache node from defaults, an optional config file, {@code LOOMCACHE_*} variables and flags
 * ({@code --help} lists them). Exit status: 2 for an invalid setting (one line on stderr), 1 when the node cannot
 * start, 0 after a graceful shutdown on SIGTERM or SIGINT (the shutdown hook drains, forces the WAL and halts
 * with 0).
 */
public final class Main {
    private static final int EXIT_INVALID_SETTING = 2;
    private static final int EXIT_START_FAILED = 1;

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
        final LoomCacheNode node;
        try {
            final ServerContext context = ConfigLoader.load(args, System.getenv());
            node = LoomCacheNode.start(context);
        } catch (final ConfigException ex) {
            ServerLog.info(ex.getMessage());
            System.exit(EXIT_INVALID_SETTING);
            return;
        } catch (final IOException | RuntimeException ex) {
            ServerLog.info("failed to start: " + ex);
            System.exit(EXIT_START_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ServerLog.info("shutdown requested");
            node.close();
            System.err.flush();
            Runtime.getRuntime().halt(0);
        }, "loomcache-shutdown"));
        new CountDownLatch(1).await();
    }
}
