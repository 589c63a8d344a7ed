package io.loomcache.client.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in process with captured streams. */
record CliRun(int exitCode, String out, String err, byte[] outBytes) {
    static CliRun run(final String... args) {
        return run(new ByteArrayInputStream(new byte[0]), false, args);
    }

    static CliRun run(final InputStream in, final boolean terminal, final String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exitCode = new LoomCli(in, outStream, errStream, terminal).run(args);
        }
        return new CliRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
            out.toByteArray());
    }
}
