package io.loomcache.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.loomcache.testkit.Prerequisites;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Jepsen etcd histories of ../shared/testdata/jepsen-etcd (or the identical copy bundled in the test resources,
 * for checkouts without the shared folder) with their known verdicts (EXPECTED).
 */
class JepsenHistoriesTest {
    private static final Pattern STUCK = Pattern.compile(
        "cannot linearize next: process (\\d+) (read|write|cas) .*\\(lines (\\d+)-(\\d+)");

    private static Path directory;
    private static Map<String, String> expected;

    @BeforeAll
    static void findCorpus() throws IOException {
        final String root = System.getProperty("loomcache.testdata");
        final Path shared = root == null ? null : Path.of(root, "jepsen-etcd");
        final Path bundled = bundled();
        final Path candidate = shared != null && Files.isRegularFile(shared.resolve("EXPECTED")) ? shared : bundled;
        Prerequisites.require(Files.isRegularFile(candidate.resolve("EXPECTED")),
            "Jepsen test data not present: " + shared + " nor " + bundled);
        directory = candidate;
        expected = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(directory.resolve("EXPECTED"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                final String[] fields = line.strip().split("\\s+");
                expected.put(fields[0], fields[1]);
            }
        }
    }

    private static Path bundled() {
        return Path.of(System.getProperty("loomcache.testdata.bundled", "src/test/resources/jepsen-etcd"));
    }

    @Test
    void shouldBundleExactlyTheSharedHistoriesWhenBothArePresent() throws IOException {
        final String root = System.getProperty("loomcache.testdata");
        final Path shared = root == null ? null : Path.of(root, "jepsen-etcd");
        final Path bundled = bundled();
        Assumptions.assumeTrue(shared != null && Files.isRegularFile(shared.resolve("EXPECTED")),
            "no shared copy next to this checkout");
        for (final String name : expected.keySet()) {
            assertTrue(Arrays.equals(Files.readAllBytes(shared.resolve(name)),
                Files.readAllBytes(bundled.resolve(name))), name + " differs between " + shared + " and " + bundled);
        }
        assertTrue(Arrays.equals(Files.readAllBytes(shared.resolve("EXPECTED")),
            Files.readAllBytes(bundled.resolve("EXPECTED"))));
    }

    @Test
    void shouldMatchExpectedVerdictForEveryFileAndRecordTiming() throws IOException {
        assertEquals(70, expected.size());
        final List<String> mismatches = new ArrayList<>();
        String largest = null;
        long largestSize = -1;
        final long allStartNs = System.nanoTime();
        for (final Map.Entry<String, String> entry : expected.entrySet()) {
            final Path file = directory.resolve(entry.getKey());
            final CheckResult result = LinearizabilityChecker.check(History.parseJepsen(file));
            final String verdict = result.isLinearizable() ? "linearizable" : "not-linearizable";
            if (!verdict.equals(entry.getValue())) {
                mismatches.add(entry.getKey() + " expected " + entry.getValue() + " got " + verdict);
            }
            if (Files.size(file) > largestSize) {
                largestSize = Files.size(file);
                largest = entry.getKey();
            }
        }
        final long allMs = (System.nanoTime() - allStartNs) / 1_000_000;
        assertEquals(List.of(), mismatches);

        final long startNs = System.nanoTime();
        final History history = History.parseJepsen(directory.resolve(largest));
        final CheckResult result = LinearizabilityChecker.check(history);
        final long largestMs = (System.nanoTime() - startNs) / 1_000_000;
        assertEquals(expected.get(largest), result.isLinearizable() ? "linearizable" : "not-linearizable");
        final String timingFile = System.getProperty("checker.timing.file");
        if (timingFile != null) {
            Files.writeString(Path.of(timingFile),
                "largest=" + largest + " ops=" + history.size() + " ms=" + largestMs + " states="
                    + result.statesExplored() + "\nall=" + expected.size() + " files ms=" + allMs + "\n",
                StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldNameRealOperationsInCounterexample() throws IOException {
        for (final Map.Entry<String, String> entry : expected.entrySet()) {
            if (!"not-linearizable".equals(entry.getValue())) {
                continue;
            }
            final Path file = directory.resolve(entry.getKey());
            final CheckResult result = LinearizabilityChecker.check(History.parseJepsen(file));
            final List<String> lines = result.counterexample();
            assertFalse(lines.isEmpty(), entry.getKey());
            assertEquals(0, result.failingKey());
            final Matcher stuck = STUCK.matcher(lines.get(lines.size() - 1 - pendingLines(lines)));
            assertTrue(stuck.find(), entry.getKey() + ": " + lines);
            final List<String> log = Files.readAllLines(file, StandardCharsets.UTF_8);
            final String invoke = log.get(Integer.parseInt(stuck.group(3)) - 1);
            final String complete = log.get(Integer.parseInt(stuck.group(4)) - 1);
            final String process = "- " + stuck.group(1);
            final String op = ":" + stuck.group(2);
            assertTrue(invoke.contains(process) && invoke.contains(":invoke") && invoke.contains(op), invoke);
            assertTrue(complete.contains(process) && complete.contains(":ok") && complete.contains(op), complete);
        }
    }

    private static int pendingLines(final List<String> lines) {
        int count = 0;
        for (int i = lines.size() - 1; i >= 0 && lines.get(i).contains("also pending"); i--) {
            count++;
        }
        return count;
    }
}
