package io.loomcache.loadgen.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The 3-node cluster of one run, driven through {@code scripts/cluster} with {@code CLUSTER_HOSTS} set to
 * {@link ChaosContext#HOSTS} (one loopback address per member) and {@code CLUSTER_DIR} set to the run's directory;
 * the scripts' output goes to the run's nemesis log; the members run with {@value #NODE_OPTS} plus
 * {@code CHAOS_NODE_OPTS} (e.g. {@code --read-mode lease}) and a heap of at most 256m. Reads each member's
 * {@code GET /cluster} to find the groups' leaders. Methods block; one thread drives the nemesis, any thread may
 * read the pages.
 */
final class ClusterControl {
    /** Members of the cluster (scripts/cluster runs three). */
    static final int MEMBERS = 3;

    private static final int CLIENT_PORT = 7654;
    private static final int HEALTH_PORT = 8080;
    private static final long SCRIPT_TIMEOUT_S = 180;
    private static final int HTTP_CONNECT_TIMEOUT_MS = 300;
    private static final int HTTP_READ_TIMEOUT_MS = 1_000;
    private static final Pattern GROUP = Pattern.compile("\\{\"group\":(\\d+),\"role\":\"([A-Z_]+)\",\"term\":(\\d+)");
    private static final String NODE_OPTS = "--max-memory 64m --connection-memory 64m --wal-segment-size 4m";
    private static final String JAVA_OPTS = "-Xms64m -Xmx256m";

    private final Path root;
    private final Path dir;
    private final NemesisLog log;

    /**
     * Describes the cluster; nothing starts.
     *
     * @param root the project root.
     * @param dir the cluster directory (node-N/, node-N.pid, node-N.log).
     * @param log where the scripts' output and the actions go.
     */
    ClusterControl(final Path root, final Path dir, final NemesisLog log) {
        this.root = root;
        this.dir = dir.toAbsolutePath();
        this.log = log;
    }

    /**
     * The members' client addresses for {@code ClientContext.nodes}.
     *
     * @return {@code 127.0.0.11:7654,127.0.0.12:7655,127.0.0.13:7656}.
     */
    static String clientAddresses() {
        final StringBuilder text = new StringBuilder();
        for (int n = 0; n < MEMBERS; n++) {
            text.append(n == 0 ? "" : ",").append(ChaosContext.HOSTS.get(n)).append(':').append(CLIENT_PORT + n);
        }
        return text.toString();
    }

    /**
     * A member's name.
     *
     * @param n 0, 1 or 2.
     * @return {@code loomcache-n}.
     */
    static String name(final int n) {
        return "loomcache-" + n;
    }

    Path dir() {
        return dir;
    }

    /** Starts the three members and waits until every one is ready ({@code scripts/cluster up}). */
    void up() {
        script("up");
    }

    /**
     * Stops every member ({@code scripts/cluster down}); never throws.
     *
     * @param wipe also delete the data and the logs.
     */
    void down(final boolean wipe) {
        try {
            if (wipe) {
                script("down", "--wipe");
            } else {
                script("down");
            }
        } catch (final ChaosException ex) {
            log.note("scripts/cluster down failed: " + ex.getMessage());
        }
    }

    void kill(final int n) {
        script("kill", Integer.toString(n));
    }

    void stop(final int n) {
        script("stop", Integer.toString(n));
    }

    void cont(final int n) {
        script("cont", Integer.toString(n));
    }

    void restart(final int n) {
        script("restart", Integer.toString(n));
    }

    /** SIGKILLs every member at once (three {@code scripts/cluster kill N} side by side). */
    void killAll() {
        everyMember("kill");
    }

    /**
     * Restarts every member at once (three {@code scripts/cluster restart N} side by side) and waits until each is
     * live.
     */
    void restartAll() {
        everyMember("restart");
    }

    private void everyMember(final String command) {
        final List<Process> processes = new ArrayList<>();
        try {
            for (int n = 0; n < MEMBERS; n++) {
                processes.add(startScript(command, Integer.toString(n)));
            }
            for (int n = 0; n < MEMBERS; n++) {
                awaitScript(processes.get(n), command + " " + n);
            }
        } finally {
            for (final Process process : processes) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Waits until every member answers {@code /health} with 200 (it knows the leader of each of its groups).
     *
     * @param timeoutMs how long to wait.
     * @return true when all were ready in time.
     */
    boolean awaitReady(final long timeoutMs) {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() - deadline < 0) {
            boolean all = true;
            for (int n = 0; n < MEMBERS && all; n++) {
                all = httpStatus(n, "/health") == 200;
            }
            if (all) {
                return true;
            }
            sleepMs(200);
        }
        return false;
    }

    /**
     * The leader of every group as the members see it: for each group the member that reports itself LEADER in the
     * highest term. A member that does not answer (dead, paused, cut off) says nothing.
     *
     * @return member index per group id, -1 where no member claims it; empty when no member answered.
     */
    int[] groupLeaders() {
        final Map<Integer, long[]> best = new TreeMap<>();
        for (int n = 0; n < MEMBERS; n++) {
            final String page = get(n, "/cluster");
            if (page == null) {
                continue;
            }
            final Matcher matcher = GROUP.matcher(page);
            while (matcher.find()) {
                final int group = Integer.parseInt(matcher.group(1));
                final long term = Long.parseLong(matcher.group(3));
                final long[] current = best.computeIfAbsent(group, g -> new long[] {-1, -1});
                if ("LEADER".equals(matcher.group(2)) && term > current[1]) {
                    current[0] = n;
                    current[1] = term;
                }
            }
        }
        final int[] leaders = new int[best.isEmpty() ? 0 : best.keySet().stream().mapToInt(g -> g).max()
            .orElse(0) + 1];
        Arrays.fill(leaders, -1);
        best.forEach((group, leader) -> leaders[group] = (int)leader[0]);
        return leaders;
    }

    /**
     * Copies the members' logs next to the histories, for a run worth keeping.
     *
     * @param out the output directory.
     * @param run the run's name.
     */
    void copyNodeLogs(final Path out, final String run) {
        for (int n = 0; n < MEMBERS; n++) {
            final Path source = dir.resolve("node-" + n + ".log");
            try {
                if (Files.exists(source)) {
                    Files.copy(source, out.resolve(run + "-node-" + n + ".txt"),
                        StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (final IOException ex) {
                log.note("cannot copy " + source + ": " + ex);
            }
        }
    }

    private void script(final String... args) {
        awaitScript(startScript(args), String.join(" ", args));
    }

    private Process startScript(final String... args) {
        final List<String> command = new ArrayList<>(List.of("bash", root.resolve("scripts/cluster").toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile()));
        final Map<String, String> env = builder.environment();
        env.put("CLUSTER_HOSTS", String.join(" ", ChaosContext.HOSTS));
        env.put("CLUSTER_DIR", dir.toString());
        final String extra = System.getenv("CHAOS_NODE_OPTS");
        env.put("CLUSTER_NODE_OPTS", extra == null || extra.isBlank() ? NODE_OPTS : NODE_OPTS + " " + extra);
        env.put("LOOMCACHE_JAVA_OPTS", JAVA_OPTS);
        env.put("CLUSTER_WAIT", "60");
        log.note("scripts/cluster " + String.join(" ", args));
        try {
            return builder.start();
        } catch (final IOException ex) {
            throw new ChaosException("cannot run scripts/cluster " + String.join(" ", args) + ": " + ex.getMessage(),
                ex);
        }
    }

    private void awaitScript(final Process process, final String what) {
        try {
            if (!process.waitFor(SCRIPT_TIMEOUT_S, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new ChaosException("scripts/cluster " + what + " did not finish in " + SCRIPT_TIMEOUT_S + " s");
            }
        } catch (final InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ChaosException("interrupted during scripts/cluster " + what, ex);
        }
        if (process.exitValue() != 0) {
            throw new ChaosException("scripts/cluster " + what + " failed with exit status " + process.exitValue()
                + " (its output is in " + log.file() + ")");
        }
    }

    private int httpStatus(final int n, final String path) {
        try {
            final HttpURLConnection connection = open(n, path);
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (final IOException ex) {
            return -1;
        }
    }

    private String get(final int n, final String path) {
        try {
            final HttpURLConnection connection = open(n, path);
            try (InputStream in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                connection.disconnect();
            }
        } catch (final IOException ex) {
            return null;
        }
    }

    private static HttpURLConnection open(final int n, final String path) throws IOException {
        final HttpURLConnection connection = (HttpURLConnection)URI.create("http://" + ChaosContext.HOSTS.get(n) + ":"
            + (HEALTH_PORT + n) + path).toURL().openConnection();
        connection.setConnectTimeout(HTTP_CONNECT_TIMEOUT_MS);
        connection.setReadTimeout(HTTP_READ_TIMEOUT_MS);
        return connection;
    }

    static void sleepMs(final long ms) {
        try {
            Thread.sleep(ms);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ChaosException("interrupted", ex);
        }
    }
}
