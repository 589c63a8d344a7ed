package io.loomcache.loadgen.chaos;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * DROP rules between member addresses, in a chain of their own ({@value #CHAIN}, jumped to from INPUT), so that
 * healing is one flush and cleanup one flush and delete. Packets on loopback pass INPUT with the sender's source
 * address, and every member binds its peer links to its own address: a rule {@code -s A -d B} cuts exactly the
 * direction A to B between two members. Clients connect from 127.0.0.1 and are never cut. Needs root and iptables.
 */
final class Firewall implements AutoCloseable {
    /** The chain holding every rule this tool adds. */
    static final String CHAIN = "LOOMCACHE-CHAOS";

    private static final long TIMEOUT_S = 30;

    private boolean open;

    /**
     * Tells why iptables cannot be used here.
     *
     * @return null when it can, else one sentence naming the cause and the remedy.
     */
    static String unavailableReason() {
        final Result probe;
        try {
            probe = run("-S", "INPUT");
        } catch (final ChaosException ex) {
            return "iptables is not installed or cannot run (apt-get install iptables): " + ex.getMessage();
        }
        if (probe.status != 0) {
            return "iptables cannot be used (it needs root): " + probe.output.strip();
        }
        return null;
    }

    /** Creates the chain (emptied if left over from an earlier run) and jumps to it from INPUT. */
    synchronized void open() {
        if (run("-n", "-L", CHAIN).status != 0) {
            check(run("-N", CHAIN), "create chain " + CHAIN);
        } else {
            check(run("-F", CHAIN), "flush chain " + CHAIN);
        }
        if (run("-C", "INPUT", "-j", CHAIN).status != 0) {
            check(run("-I", "INPUT", "-j", CHAIN), "jump to " + CHAIN + " from INPUT");
        }
        open = true;
    }

    /**
     * Drops every packet from one member's address to another's.
     *
     * @param from source address.
     * @param to destination address.
     */
    synchronized void drop(final String from, final String to) {
        check(run("-A", CHAIN, "-s", from, "-d", to, "-j", "DROP"), "drop " + from + " -> " + to);
    }

    /** Deletes every rule added (flushes the chain). */
    synchronized void heal() {
        if (open) {
            check(run("-F", CHAIN), "flush chain " + CHAIN);
        }
    }

    /** Removes the jump and the chain; never throws. */
    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        try {
            while (run("-C", "INPUT", "-j", CHAIN).status == 0) {
                check(run("-D", "INPUT", "-j", CHAIN), "remove the jump to " + CHAIN);
            }
            run("-F", CHAIN);
            run("-X", CHAIN);
        } catch (final ChaosException ex) {
            System.err.println("chaos: iptables cleanup failed: " + ex.getMessage() + "; remove it by hand: "
                + "iptables -D INPUT -j " + CHAIN + "; iptables -F " + CHAIN + "; iptables -X " + CHAIN);
        }
        open = false;
    }

    private static void check(final Result result, final String what) {
        if (result.status != 0) {
            throw new ChaosException("iptables could not " + what + ": " + result.output.strip());
        }
    }

    private static Result run(final String... args) {
        final List<String> command = new ArrayList<>(List.of(executable(), "-w"));
        command.addAll(List.of(args));
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ChaosException(String.join(" ", command) + " did not finish in " + TIMEOUT_S + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (final IOException ex) {
            throw new ChaosException(String.join(" ", command) + ": " + ex.getMessage(), ex);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ChaosException("interrupted during " + String.join(" ", command), ex);
        }
    }

    /** iptables from the PATH, else from /usr/sbin or /sbin (a PATH without the sbin directories). */
    private static String executable() {
        final String path = System.getenv("PATH");
        if (path != null) {
            for (final String dir : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, "iptables"))) {
                    return Path.of(dir, "iptables").toString();
                }
            }
        }
        for (final String dir : List.of("/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, "iptables"))) {
                return dir + "/iptables";
            }
        }
        return "iptables";
    }

    private record Result(int status, String output) {
    }
}
