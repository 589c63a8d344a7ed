package io.loomcache.loadgen.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.loomcache.testkit.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short trial of every nemesis, as {@code scripts/chaos --nemesis all --time 8s --interval 2s} runs it: a real
 * 3-node cluster started by {@code scripts/cluster} on 127.0.0.11-13, a killed, a paused and a partitioned leader
 * and a restart of every member, each history written and checked. Partition needs root and iptables: without them
 * it is skipped by the tool (this test then says so), and under CI, which installs iptables and runs as root, the
 * test fails instead.
 */
class ChaosTrialTest {
    private static final int KEYS = 3;

    @TempDir
    Path out;

    @Test
    void shouldFindEveryHistoryLinearizableUnderEachNemesis() throws Exception {
        Prerequisites.requireTool("curl", "apt-get install curl");
        final String firewall = Firewall.unavailableReason();
        final String ci = System.getenv("CI");
        if (firewall != null && ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci.strip())) {
            fail("the partition nemesis cannot run: " + firewall + " (CI=" + ci + " installs iptables and runs as "
                + "root, so it must not be skipped)");
        }
        final Path root = Path.of(System.getProperty("loomcache.root", "..")).toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(root.resolve("scripts/cluster")), "no scripts/cluster under " + root);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream output = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        final int status = ChaosMain.run(root, new String[] {"--nemesis", "all", "--time", "8s", "--interval", "2s",
            "--clients", "4", "--keys", Integer.toString(KEYS), "--out", out.toString()}, output, output);
        final String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        assertEquals(ChaosMain.EXIT_LINEARIZABLE, status, text);
        final List<NemesisKind> ran = new ArrayList<>(List.of(NemesisKind.values()));
        if (firewall != null) {
            ran.remove(NemesisKind.PARTITION);
            assertTrue(text.contains("partition    skipped: "), text);
            System.out.println("partition was skipped: " + firewall);
        }
        for (final NemesisKind kind : ran) {
            assertTrue(text.lines().anyMatch(line -> line.startsWith(kind.label() + " ")
                && line.contains("linearizable: " + KEYS + "/" + KEYS + " histories")), kind + ":\n" + text);
            for (int key = 0; key < KEYS; key++) {
                final Path history = out.resolve(kind.label() + "-1-" + ChaosContext.keyName(key) + ".log");
                assertTrue(Files.size(history) > 0, history + " is empty");
                final HistoryVerdict verdict = HistoryVerdict.check(history);
                assertTrue(verdict.linearizable(), verdict.line());
                assertTrue(verdict.operations() > 0, verdict.line());
            }
        }
        assertTrue(Files.readString(out.resolve("summary.txt")).contains("fault 1"), text);
        assertTrue(Files.notExists(out.resolve("cluster")) || isEmptyTree(out.resolve("cluster")),
            "the cluster directories were not cleaned up");
    }

    private static boolean isEmptyTree(final Path dir) throws Exception {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.findAny().isEmpty();
        }
    }
}
