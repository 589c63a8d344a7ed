package io.loomcache.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.loadgen.Compare;
import io.loomcache.loadgen.LoadGenerator;
import io.loomcache.protocol.fake.FakeLoomServer;
import io.loomcache.testkit.Prerequisites;

/**
 * The plot page as a browser shows it: a run's {@code --plot} page and a {@code loadgen-compare} page of two saved
 * runs, opened from disk by Debian's Chromium in headless mode (no network: the chart library is inlined), must
 * build their three charts and draw each run's series in its color on the screenshot.
 */
class PlotPageTest {
    /** More than the table swatch and the three legend markers of a color hold (about 350 pixels): lines. */
    private static final int MIN_SERIES_PIXELS = 2_000;

    @TempDir
    Path dir;

    @Test
    void shouldDrawARunsPageAndAComparisonOfTwoRunsInAHeadlessBrowser() throws Exception {
        final Path chromium = Prerequisites.requireTool("chromium", "apt-get install chromium");
        final Path plot = dir.resolve("run.html");
        final Path first = dir.resolve("first.json");
        final Path second = dir.resolve("second.json");
        try (FakeLoomServer server = new FakeLoomServer()) {
            run(server, "--plot", plot.toString(), "--json", first.toString(), "--label", "fast run");
            run(server, "--json", second.toString(), "--label", "second run", "--pipeline", "1");
        }
        final Path comparison = dir.resolve("compare.html");
        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(table, true, StandardCharsets.UTF_8)) {
            assertEquals(LoadGenerator.EXIT_OK, Compare.run(new String[] {"--out", comparison.toString(),
                first.toString(), second.toString()}, out, out));
        }
        final String text = table.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("fast run") && text.contains("second run") && text.contains("ops/first"), text);

        final String runDom = dom(chromium, plot);
        assertEquals(3, count(runDom, "<canvas"), "three charts built");
        assertTrue(runDom.contains("fast run"), "legend and table name the run");
        final BufferedImage runShot = screenshot(chromium, plot, "run.png");
        final int drawn = pixels(runShot, PlotPage.COLORS[0]);
        assertTrue(drawn > MIN_SERIES_PIXELS, "the run's series drawn: " + drawn + " pixels");

        final String comparisonDom = dom(chromium, comparison);
        assertEquals(3, count(comparisonDom, "<canvas"));
        assertTrue(comparisonDom.contains("fast run") && comparisonDom.contains("second run"));
        final BufferedImage comparisonShot = screenshot(chromium, comparison, "compare.png");
        assertTrue(pixels(comparisonShot, PlotPage.COLORS[0]) > MIN_SERIES_PIXELS, "the first run drawn");
        assertTrue(pixels(comparisonShot, PlotPage.COLORS[1]) > MIN_SERIES_PIXELS, "the second run drawn");
    }

    private static void run(final FakeLoomServer server, final String... extra) throws IOException {
        final List<String> args = new ArrayList<>(List.of("--port", Integer.toString(server.port()), "--connections",
            "2", "--duration", "2500ms", "--warmup", "500ms", "--keys", "100", "--quiet"));
        args.addAll(List.of(extra));
        try (PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            assertEquals(LoadGenerator.EXIT_OK, LoadGenerator.run(args.toArray(String[]::new), sink, sink));
        }
    }

    private String dom(final Path chromium, final Path page) throws Exception {
        return chromium(chromium, "--dump-dom", page.toUri().toString());
    }

    private BufferedImage screenshot(final Path chromium, final Path page, final String name) throws Exception {
        final Path png = dir.resolve(name);
        chromium(chromium, "--screenshot=" + png, page.toUri().toString());
        final BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null && image.getWidth() == 1200, "a screenshot of the page");
        return image;
    }

    /** Runs headless Chromium with the flags of a machine without network, and returns what it printed. */
    private String chromium(final Path chromium, final String... action) throws Exception {
        final List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir,
                "chromium"), "--hide-scrollbars", "--window-size=1200,1500", "--virtual-time-budget=3000"));
        command.addAll(List.of(action));
        final Path output = Files.createTempFile(dir, "chromium", ".out");
        final Process process = new ProcessBuilder(command).redirectErrorStream(false)
            .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "chromium finished");
            assertEquals(0, process.exitValue(), "chromium's exit code");
        } finally {
            process.destroyForcibly();
        }
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    private static int count(final String text, final String what) {
        final Matcher matcher = Pattern.compile(Pattern.quote(what)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    /** Pixels within a small distance of a color (lines are anti-aliased). */
    private static int pixels(final BufferedImage image, final String color) {
        final int target = Integer.parseInt(color.substring(1), 16);
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                final int rgb = image.getRGB(x, y);
                final int distance = Math.abs((rgb >> 16 & 0xFF) - (target >> 16 & 0xFF)) +
                    Math.abs((rgb >> 8 & 0xFF) - (target >> 8 & 0xFF)) + Math.abs((rgb & 0xFF) - (target & 0xFF));
                if (distance < 40) {
                    count++;
                }
            }
        }
        return count;
    }
}
