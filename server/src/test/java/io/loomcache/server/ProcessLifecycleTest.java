package io.loomcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.Cleanup;
import io.loomcache.testkit.JavaCommand;

class ProcessLifecycleTest {
    private static final int REQUESTS = 5_000;

    @TempDir
    Path workDir;

    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    @Test
    void shouldDrainAnswerInFlightRequestsFlushTheWalAndExitZeroOnSigterm() throws Exception {
        final Set<Long> acknowledged = new HashSet<>();
        try (NodeProcess node = NodeProcess.start(workDir, "--wal-fsync", "none", "--drain-timeout", "5s")) {
            try (RawClient client = new RawClient(node.port())) {
                final ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
                for (int i = 0; i < REQUESTS; i++) {
                    pipeline.write(client.frame(Opcodes.MAP_PUT, i, 0, RawClient.bytes("key-" + i), null,
                        RawClient.bytes("value-" + i)));
                }
                client.send(pipeline.toByteArray());
                final RawClient.Response first = client.read();
                acknowledged.add(first.correlationId());
                node.signal("TERM");
                final Set<Long> answered = new HashSet<>(acknowledged);
                try {
                    while (true) {
                        final RawClient.Response response = client.read();
                        assertTrue(answered.add(response.correlationId()), "one answer per request");
                        if (response.opcode() == Opcodes.RESPONSE_OK) {
                            acknowledged.add(response.correlationId());
                        } else {
                            assertEquals(ErrorCode.SHUTTING_DOWN, response.errorCode());
                        }
                    }
                } catch (final IOException closedByServer) {
                    assertTrue(answered.size() <= REQUESTS);
                }
            }
            assertEquals(0, node.awaitExit(30_000), "graceful exit status");
            final String log = node.output();
            for (final String phase : List.of("shutdown 1/5", "shutdown 2/5",
                "shutdown 3/5: in-flight requests drained", "shutdown 4/5", "shutdown 5/5")) {
                assertTrue(log.contains(phase), "missing phase " + phase + " in " + log);
            }
        }
        try (NodeProcess node = NodeProcess.start(workDir, "--wal-fsync", "none");
             RawClient client = new RawClient(node.port())) {
            for (final long key : acknowledged) {
                assertEquals("value-" + key, client.get(key, "key-" + key).valueAsString());
            }
        }
    }

    @Test
    void shouldPrintOneLineAndExitTwoOnAnInvalidSetting() throws Exception {
        final ProcessBuilder builder = new ProcessBuilder(
            JavaCommand.forMainClass(Main.class, List.of(), List.of("--health-port", "0"))).redirectErrorStream(true);
        builder.environment().put("LOOMCACHE_SERVER_PORT", "abc");
        final Process process = cleanup.add(builder.start());
        process.getOutputStream().close();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        assertEquals("loomcache: invalid setting LOOMCACHE_SERVER_PORT=abc: not a port number (0-65535)\n", output);
    }

    @Test
    void shouldRefuseToStartWithOneLineAndExitTwoWhenTheConnectionLimitDoesNotFitTheHeap() throws Exception {
        final Process process = cleanup.add(new ProcessBuilder(JavaCommand.forMainClass(Main.class, List.of("-Xmx64m"),
            List.of("--health-port", "0", "--metrics-port", "0", "--port", "0", "--bind-address", "127.0.0.1",
                "--persistence", "false"))).redirectErrorStream(true).start());
        process.getOutputStream().close();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.startsWith("loomcache: invalid setting LOOMCACHE_MAX_CONNECTIONS=10000: idle " +
            "connections"), output);
        assertEquals(1, output.lines().count(), output);
    }
}
