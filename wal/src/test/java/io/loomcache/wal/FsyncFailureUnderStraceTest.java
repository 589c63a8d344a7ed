package io.loomcache.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.loomcache.testkit.JavaCommand;
import io.loomcache.testkit.Prerequisites;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real fsync failures: a child JVM runs {@link FsyncProbe} under {@code strace -f} with msync, fsync and fdatasync
 * made to fail with EIO; the probe must see its force fail and never report the record durable. A control run under
 * strace without injection shows that the same probe reports durability when the kernel succeeds. Without strace
 * the tests skip, or fail when the CI variable is set ({@link Prerequisites}).
 */
class FsyncFailureUnderStraceTest {
    private static final String SYNC_CALLS = "fsync,fdatasync,msync";

    @TempDir
    Path root;

    private Path strace;
    private Path logDirectory;

    @BeforeEach
    void createLogWhileFsyncWorks() throws IOException {
        strace = Prerequisites.requireTool("strace", "apt-get install strace");
        logDirectory = root.resolve("wal");
        try (WriteAheadLog log = WriteAheadLog.open(new WalContext().directory(logDirectory).segmentLength(64 * 1024)
            .fsyncPolicy(FsyncPolicy.BATCH))) {
            assertEquals(0, log.force());
        }
    }

    @Test
    void whenKernelFailsEveryFsyncWithEio_thenAppendIsNeverReportedDurableAndTheErrorSurfaces() throws Exception {
        final Map<String, String> result = runProbe(true);
        assertEquals("1", result.get("appended"), result.get("output"));
        assertEquals(String.valueOf(WriteAheadLog.LOG_FAILED), result.get("force"), result.get("output"));
        assertEquals("0", result.get("durable"), result.get("output"));
        assertEquals("true", result.get("failed"), result.get("output"));
        assertEquals(String.valueOf(WriteAheadLog.LOG_FAILED), result.get("secondAppend"), result.get("output"));
        assertEquals(String.valueOf(WriteAheadLog.LOG_FAILED), result.get("secondForce"), result.get("output"));
        assertEquals("0", result.get("finalDurable"), result.get("output"));
        assertTrue(result.get("error").contains("Input/output_error"), result.get("output"));
    }

    @Test
    void whenKernelSucceedsUnderTheSameTracer_thenTheSameProbeReportsTheAppendDurable() throws Exception {
        final Map<String, String> result = runProbe(false);
        assertEquals("1", result.get("force"), result.get("output"));
        assertEquals("1", result.get("durable"), result.get("output"));
        assertEquals("false", result.get("failed"), result.get("output"));
        assertEquals("2", result.get("secondForce"), result.get("output"));
    }

    private Map<String, String> runProbe(final boolean injectEio) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(strace.toString(), "-f", "-qq", "--seccomp-bpf",
            "-o", "/dev/null", "-e", "trace=" + SYNC_CALLS));
        if (injectEio) {
            command.add("-e");
            command.add("inject=" + SYNC_CALLS + ":error=EIO");
        }
        command.addAll(JavaCommand.forMainClass(FsyncProbe.class, List.of("-XX:-UsePerfData"),
            List.of(logDirectory.toString())));
        return ChildJvm.runForResult(command, root);
    }
}
