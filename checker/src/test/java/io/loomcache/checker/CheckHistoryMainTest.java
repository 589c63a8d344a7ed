package io.loomcache.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckHistoryMainTest {
    private static final String GOOD = "INFO  jepsen.util - 0\t:invoke\t:write\t3\n"
        + "INFO  jepsen.util - 0\t:ok\t:write\t3\n"
        + "INFO  jepsen.util - 1\t:invoke\t:read\tnil\n"
        + "INFO  jepsen.util - 1\t:ok\t:read\t3\n";
    private static final String BAD = GOOD
        + "INFO  jepsen.util - 2\t:invoke\t:read\tnil\n"
        + "INFO  jepsen.util - 2\t:ok\t:read\tnil\n";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldExitZeroAndSayLinearizableForGoodFile() throws IOException {
        final Path good = write("good.log", GOOD);
        assertEquals(CheckHistoryMain.EXIT_LINEARIZABLE, run(good.toString()));
        assertEquals(good + ": linearizable\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitOneAndPrintCounterexampleWhenAnyFileIsNotLinearizable() throws IOException {
        final Path good = write("good.log", GOOD);
        final Path bad = write("bad.log", BAD);
        assertEquals(CheckHistoryMain.EXIT_NOT_LINEARIZABLE, run(good.toString(), bad.toString()));
        final String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith(good + ": linearizable\n" + bad + ": not linearizable\n"), printed);
        assertTrue(printed.contains("1. process 0 write 3 ok (lines 1-2) => register 3"), printed);
        assertTrue(printed.contains("cannot linearize next: process 2 read -> nil ok (lines 5-6) while the register "
            + "holds 3"), printed);
    }

    @Test
    void shouldExitTwoOnUsageAndParseErrors() throws IOException {
        assertEquals(CheckHistoryMain.EXIT_ERROR, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: check-history FILE..."));
        err.reset();
        final Path malformed = write("malformed.log", GOOD + "INFO  jepsen.util - 3\t:invoke\t:cas\t[1 x]\n");
        final Path missing = dir.resolve("missing.log");
        final Path bad = write("bad.log", BAD);
        assertEquals(CheckHistoryMain.EXIT_ERROR, run(malformed.toString(), missing.toString(), bad.toString()));
        final String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("check-history: " + malformed + ":5: value 'x' is neither a number nor nil"),
            errors);
        assertTrue(errors.contains("check-history: " + missing + ": no such file"), errors);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith(bad + ": not linearizable"));
    }

    @Test
    void shouldPrintUsageOnHelp() {
        assertEquals(CheckHistoryMain.EXIT_LINEARIZABLE, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: check-history FILE..."));
    }

    private int run(final String... args) {
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            return CheckHistoryMain.run(args, outStream, errStream);
        }
    }

    private Path write(final String name, final String content) throws IOException {
        final Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
