package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.testkit.Prerequisites;

/**
 * Debian's redis-cli and redis-benchmark, run as processes by the test against a node's Redis port: commands from
 * arguments and from stdin, {@code --pipe} mass insertion, RESP3 with {@code -3}, and a bounded redis-benchmark run
 * of SET and GET at pipeline 16 that must finish every request.
 */
class RedisToolsTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();

    @Test
    void shouldServeRedisCli() throws Exception {
        final Path cli = Prerequisites.requireTool("redis-cli", "apt-get install redis-tools");
        final LoomCacheNode node = nodes.start(nodes.context("netty").respPort(0));
        final String port = Integer.toString(node.respPort());
        assertEquals("OK\n", run(null, cli.toString(), "-p", port, "set", "tool", "redis-cli"));
        assertEquals("redis-cli\n", run(null, cli.toString(), "-p", port, "get", "tool"));
        assertEquals("1\n", run(null, cli.toString(), "-p", port, "incr", "visits"));
        assertEquals("PONG\nOK\nb\n", run("ping\nset a b\nget a\n", cli.toString(), "-p", port));
        assertTrue(run(null, cli.toString(), "-3", "-p", port, "hello", "3").contains("proto 3\n"));
        assertTrue(run(null, cli.toString(), "-p", port, "info", "server").contains("redis_version:"));

        final StringBuilder mass = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            mass.append(new String(RespTestClient.encode("SET", "mass:" + i, "v" + i), StandardCharsets.UTF_8));
        }
        final String piped = run(mass.toString(), cli.toString(), "-p", port, "--pipe");
        assertTrue(piped.contains("errors: 0, replies: 10000"), piped);
        assertEquals("10003\n", run(null, cli.toString(), "-p", port, "dbsize"));
    }

    @Test
    void shouldFinishABoundedRedisBenchmarkRun() throws Exception {
        final Path benchmark = Prerequisites.requireTool("redis-benchmark", "apt-get install redis-tools");
        final LoomCacheNode node = nodes.start(nodes.context("netty").respPort(0));
        final String output = run(null, benchmark.toString(), "-h", "127.0.0.1", "-p",
            Integer.toString(node.respPort()), "-t", "set,get", "-n", "20000", "-c", "10", "-P", "16", "-d", "100",
            "-r", "1000", "--csv");
        final List<String> rows = new ArrayList<>();
        for (final String line : output.split("\n")) {
            if (line.startsWith("\"SET\"") || line.startsWith("\"GET\"")) {
                rows.add(line);
                final double rps = Double.parseDouble(line.split(",")[1].replace("\"", ""));
                assertTrue(rps > 0, line);
            }
        }
        assertEquals(2, rows.size(), output);
        try (RespTestClient client = new RespTestClient(node.respPort())) {
            final long keys = (Long)client.call("DBSIZE");
            assertTrue(keys > 0 && keys <= 1000, "keys " + keys);
        }
    }

    private static String run(final String stdin, final String... command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
            assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
            return output;
        } finally {
            process.destroyForcibly();
        }
    }
}
