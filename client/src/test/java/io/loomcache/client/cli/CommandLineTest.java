package io.loomcache.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.loomcache.protocol.options.UsageException;

class CommandLineTest {
    @Test
    void shouldUseDefaultsWithoutOptions() {
        final CommandLine line = CommandLine.parse(List.of("get", "k"), true);

        assertEquals("127.0.0.1:7654", line.address());
        assertEquals(5_000, line.timeoutMs());
        assertEquals(Command.GET, line.command());
        assertEquals(List.of("k"), line.arguments());
    }

    @Test
    void shouldAcceptOptionsAnywhereInBothForms() {
        final CommandLine line = CommandLine.parse(
            List.of("--host", "127.0.0.2", "put", "k", "--ttl=10s", "v", "--port=7000", "--timeout", "500ms"), true);

        assertEquals("127.0.0.2:7000", line.address());
        assertEquals(500, line.timeoutMs());
        assertEquals(10_000, line.ttlMs());
        assertEquals(List.of("k", "v"), line.arguments());
    }

    @Test
    void shouldTakeTheNodesOfACluster() {
        final CommandLine line = CommandLine.parse(List.of("--nodes", "127.0.0.1:7654, 127.0.0.2:7655", "ping"), true);

        assertEquals("127.0.0.1:7654,127.0.0.2:7655", line.nodes());
        assertEquals("127.0.0.1:7654,127.0.0.2:7655", line.address());
        assertNull(CommandLine.parse(List.of("ping"), true).nodes());
    }

    @Test
    void shouldRejectNodesThatAreNotHostAndPortOrThatComeWithHostOrPort() {
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--nodes", "127.0.0.1", "ping"), true));
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--nodes", "a:1,,b:2", "ping"), true));
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--nodes", "a:0", "ping"), true));
        assertThrows(UsageException.class,
            () -> CommandLine.parse(List.of("--nodes", "a:1", "--port", "7654", "ping"), true));
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--nodes", "a:1", "ping"), false));
    }

    @Test
    void shouldTakeWordsWithOneDashAndWordsAfterDoubleDashAsArguments() {
        assertEquals(List.of("k", "-5"), CommandLine.parse(List.of("put", "k", "-5"), true).arguments());
        assertEquals(List.of("--ttl", "--x"),
            CommandLine.parse(List.of("put", "--", "--ttl", "--x"), true).arguments());
    }

    @Test
    void shouldGiveNoCommandForTheInteractivePrompt() {
        assertNull(CommandLine.parse(List.of("--port", "7001"), true).command());
        assertTrue(CommandLine.parse(List.of("--help"), true).help());
    }

    @Test
    void shouldRejectLinesThatBreakTheUsage() {
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("frobnicate"), true));
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("get"), true));
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("get", "a", "b"), true));
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("get", "k", "--ttl", "1s"), true));
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--ttl", "1s"), true));
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("get", "k", "--port"), true));
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--port", "0", "size"), true));
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--port", "x", "size"), true));
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--color", "on", "size"), true));
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--timeout", "0s", "size"), true));
    }

    @Test
    void shouldRefuseConnectionOptionsOnInteractiveLines() {
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--port", "7001", "size"), false));
        assertEquals(1_000, CommandLine.parse(List.of("put", "k", "v", "--ttl", "1s"), false).ttlMs());
    }

    @Test
    void shouldSplitInteractiveLinesOnBlanksAndQuotes() {
        assertEquals(List.of("put", "my key", "it's \"quoted\""),
            InteractiveShell.split("  put 'my key'   \"it's \\\"quoted\\\"\" "));
        assertEquals(List.of("put", "k", ""), InteractiveShell.split("put k ''"));
        assertEquals(List.of(), InteractiveShell.split("   "));
        assertThrows(UsageException.class, () -> InteractiveShell.split("put k \"open"));
    }
}
