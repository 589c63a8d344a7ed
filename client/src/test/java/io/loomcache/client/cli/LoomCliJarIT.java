package io.loomcache.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.client.TestServer;

/**
 * Runs the shaded CLI jar as a separate JVM, as scripts/cli does, against the in-process test server.
 */
class LoomCliJarIT {
    private static final long PROCESS_TIMEOUT_S = 60;

    @RegisterExtension
    final TestServer server = new TestServer();

    @Test
    void shouldPutAndGetThroughTheJarWithExitCodes() throws IOException, InterruptedException {
        final String port = Integer.toString(server.port());

        assertEquals(new Outcome(0, "OK\n", ""), cli("--port", port, "put", "k", "v", "--ttl", "1m"));
        assertEquals(new Outcome(0, "v\n", ""), cli("--port", port, "get", "k"));
        assertEquals(new Outcome(1, "", ""), cli("--port", port, "get", "absent"));
        assertEquals(60_000, server.lastTtlMs());
    }

    @Test
    void shouldExitTwoWithOneErrorLineWhenTheServerIsBusy() throws IOException, InterruptedException {
        server.answerBusy(1, 10);

        assertEquals(new Outcome(2, "", "error: SERVER_BUSY: server is busy, retry later\n"),
            cli("--port", Integer.toString(server.port()), "remove", "k"));
    }

    @Test
    void shouldExitTwoOnBadUsage() throws IOException, InterruptedException {
        final Outcome outcome = cli("frobnicate");

        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.err().startsWith("error: unknown command 'frobnicate'\nusage: cli "), outcome.err());
    }

    private static Outcome cli(final String... args) throws IOException, InterruptedException {
        final Path root = Path.of(System.getProperty("loomcache.root"));
        final Path jar = Path.of(System.getProperty("loomcache.cli.jar"));
        assertTrue(Files.isRegularFile(jar), "missing " + jar);
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "@" + root.resolve("jvm.args"), "-jar", jar.toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try {
            process.getOutputStream().close();
            final byte[] out = process.getInputStream().readAllBytes();
            final byte[] err = process.getErrorStream().readAllBytes();
            assertTrue(process.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS), "cli did not exit");
            return new Outcome(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    private record Outcome(int exitCode, String out, String err) {
    }
}
