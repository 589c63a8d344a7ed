package io.loomcache.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @TempDir
    Path dir;

    @Test
    void shouldRejectCompletingAnOperationTwice() {
        final History history = new History();
        final int op = history.invokeWrite(1, 0, 1);
        history.ok(op);
        assertThrows(IllegalStateException.class, () -> history.info(op));
    }

    @Test
    void shouldRejectOkWithoutValueForRead() {
        final History history = new History();
        final int op = history.invokeRead(1, 0);
        assertThrows(IllegalArgumentException.class, () -> history.ok(op));
        assertThrows(IllegalArgumentException.class, () -> history.okRead(history.invokeWrite(2, 0, 1), 1));
    }

    @Test
    void shouldRejectUnknownOperationIdAndStoringNil() {
        final History history = new History();
        assertThrows(IllegalArgumentException.class, () -> history.ok(0));
        assertThrows(IllegalArgumentException.class, () -> history.invokeWrite(1, 0, History.NIL));
        assertThrows(IllegalArgumentException.class, () -> history.invokeCas(1, 0, 1, History.NIL));
        assertEquals(0, history.size());
    }

    @Test
    void shouldGrowPastInitialCapacity() {
        final History history = new History();
        for (int i = 0; i < 1000; i++) {
            history.ok(history.invokeWrite(i, i % 3, i));
        }
        assertEquals(1000, history.size());
        assertTrue(LinearizabilityChecker.check(history).isLinearizable());
    }

    @Test
    void shouldParseJepsenLinesWithAnyWhitespace() throws IOException {
        final Path file = write("INFO  jepsen.util - 0\t:invoke\t:write\t3\n"
            + "\n"
            + "INFO jepsen.util - 1 :invoke :cas [3  4]\n"
            + "  INFO  jepsen.util - 0   :ok :write 3  \n"
            + "INFO  jepsen.util - 1\t:ok\t:cas\t[3 4]\n"
            + "INFO  jepsen.util - 2\t:invoke\t:read\tnil\n"
            + "INFO  jepsen.util - 2\t:ok\t:read\t4\n"
            + "INFO  jepsen.util - 3\t:invoke\t:cas\t[nil 1]\n"
            + "INFO  jepsen.util - 3\t:info\t:cas\t:timed-out\n");
        final History history = History.parseJepsen(file);
        assertEquals(4, history.size());
        assertTrue(LinearizabilityChecker.check(history).isLinearizable());
        assertEquals("process 2 read -> 4 ok (lines 6-7)", history.describeOp(2));
        assertEquals("process 3 cas [nil 1] unknown outcome (lines 8-9, timed out)", history.describeOp(3));
    }

    @Test
    void shouldReportLineNumberOfMalformedLine() throws IOException {
        assertParseError("INFO  jepsen.util - 0\t:invoke\t:write\t3\nINFO  jepsen.util - 0\t:ok\t:write\tthree\n",
            ":2: value 'three' is neither a number nor nil");
        assertParseError("INFO  jepsen.util - 0\t:invoke\t:append\t3\n", ":1: unknown operation :append");
        assertParseError("garbage\n", ":1: expected '<process>");
        assertParseError("INFO  jepsen.util - 0\t:ok\t:read\t3\n", ":1: process 0 completes an operation");
        assertParseError("INFO  jepsen.util - 0\t:invoke\t:cas\t[1]\n", ":1: cas value must be [from to]");
        assertParseError("INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:invoke\t:read\tnil\n",
            ":2: process 0 invokes while its operation from line 1 is still pending");
        assertParseError("INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:write\t1\n",
            ":2: completion does not match");
        assertParseError("INFO  jepsen.util - 0\t:invoke\t:write\t1\nINFO  jepsen.util - 0\t:ok\t:write\t2\n",
            ":2: ok value differs");
    }

    @Test
    void shouldWriteJepsenLogThatParsesBackToTheSameHistory() throws IOException {
        final History history = new History();
        final int write = history.invokeWrite(0, 5, 1);
        final int cas = history.invokeCas(1, 5, 1, 2);
        final int read = history.invokeRead(2, 5);
        history.ok(write);
        history.okRead(read, History.NIL);
        history.info(cas);
        history.fail(history.invokeCas(3, 5, 7, 8));
        history.invokeWrite(4, 5, 9);
        final StringWriter out = new StringWriter();
        history.writeJepsen(out);
        final History parsed = History.parseJepsen(write(out.toString()));
        assertEquals(history.size(), parsed.size());
        for (int op = 0; op < history.size(); op++) {
            assertEquals(history.describeOp(op).replace("event", "line"), parsed.describeOp(op));
        }
        final StringWriter again = new StringWriter();
        parsed.writeJepsen(again);
        assertEquals(out.toString(), again.toString());
    }

    @Test
    void shouldRefuseToWriteMultiKeyHistoryAsJepsenLog() {
        final History history = new History();
        history.invokeRead(0, 1);
        history.invokeRead(1, 2);
        assertThrows(IllegalStateException.class, () -> history.writeJepsen(new StringWriter()));
    }

    private void assertParseError(final String content, final String expectedMessagePart) throws IOException {
        final Path file = write(content);
        final IOException error = assertThrows(IOException.class, () -> History.parseJepsen(file));
        assertTrue(error.getMessage().startsWith(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains(expectedMessagePart), error.getMessage());
    }

    private Path write(final String content) throws IOException {
        final Path file = Files.createTempFile(dir, "history", ".log");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
