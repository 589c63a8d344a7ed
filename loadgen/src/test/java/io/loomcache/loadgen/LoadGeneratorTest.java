package io.loomcache.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import io.loomcache.protocol.fake.FakeLoomServer;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void shouldExitTwoWithOneLineAndUsageOnABadFlag() {
        assertEquals(LoadGenerator.EXIT_USAGE, LoadGenerator.run(new String[] {"--connections", "zero"}, out, err));
        final String[] lines = errBytes.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals("loadgen: invalid --connections 'zero': not an integer", lines[0]);
        assertTrue(lines[1].startsWith("usage: loadgen"));
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintUsageOnHelp() {
        assertEquals(LoadGenerator.EXIT_OK, LoadGenerator.run(new String[] {"--help"}, out, err));
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).startsWith("usage: loadgen"));
    }

    @Test
    void shouldExitOneWhenNothingListens() throws IOException {
        final int port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            port = socket.getLocalPort();
        }
        assertEquals(LoadGenerator.EXIT_FAILED, LoadGenerator.run(new String[] {"--port", Integer.toString(port),
            "--requests", "10", "--quiet"}, out, err));
        final String message = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("loadgen: cannot connect to 127.0.0.1:" + port + ": "), message);
        assertEquals(1, message.split("\\R").length, message);
    }

    @Test
    void shouldPrintTheSummary() throws IOException {
        try (FakeLoomServer server = new FakeLoomServer()) {
            assertEquals(LoadGenerator.EXIT_OK, LoadGenerator.run(new String[] {"--port",
                Integer.toString(server.port()), "--connections", "2", "--duration", "500ms", "--warmup", "200ms",
                "--keys", "500"}, out, err));
        }
        final String summary = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(summary.startsWith("loadgen: protocol=loom target=127.0.0.1:"), summary);
        assertTrue(summary.contains("latency (us):    p50 "), summary);
        assertTrue(summary.contains("generator CPU:"), summary);
    }
}
