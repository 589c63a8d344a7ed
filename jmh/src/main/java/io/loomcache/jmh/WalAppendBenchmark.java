package io.loomcache.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.loomcache.wal.FsyncPolicy;
import io.loomcache.wal.WalContext;
import io.loomcache.wal.WriteAheadLog;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appends of 100-byte records to the write-ahead log under each fsync policy. With {@code BATCH} one force covers
 * {@code batch} appends (group commit) and an operation is one durable append; compare with
 * {@link DiskSyncBenchmark} at the same {@code batch}, which is what the disk does for the same fsync pattern.
 * {@code NONE} never forces (the page cache writes back): it is the cost of the append path itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class WalAppendBenchmark {
    private static final int RECORD_TYPE = 1;
    private static final long TERM = 1;

    /** Fsync policy of the log. */
    @Param({"NONE", "BATCH"})
    public FsyncPolicy policy;

    /** Appends per force under BATCH (group commit size). */
    @Param({"1", "16"})
    public int batch;

    /** Payload bytes per record. */
    @Param({"100"})
    public int payloadLength;

    /** Directory that holds the log's directory; the default is on the working directory's disk. */
    @Param({"target/wal-bench"})
    public String dir;

    private Path directory;
    private WriteAheadLog log;
    private UnsafeBuffer payload;
    private int pending;

    /**
     * Opens a fresh log.
     *
     * @throws IOException if it cannot be created.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        final Path parent = Path.of(dir);
        Files.createDirectories(parent);
        directory = Files.createTempDirectory(parent, "wal-");
        log = WriteAheadLog.open(new WalContext()
            .directory(directory)
            .segmentLength(WalContext.DEFAULT_SEGMENT_LENGTH)
            .fsyncPolicy(policy)
            .conclude());
        payload = new UnsafeBuffer(new byte[payloadLength]);
        for (int i = 0; i < payloadLength; i++) {
            payload.putByte(i, (byte)i);
        }
    }

    /** Closes the log and deletes its files. */
    @TearDown(Level.Trial)
    public void tearDown() {
        log.close();
        IoUtil.delete(directory.toFile(), true);
    }

    /**
     * Appends one record; under BATCH every {@code batch}-th append forces all pending ones, so the returned index
     * is durable once the force returns.
     *
     * @return the durable index under BATCH, else the appended index.
     */
    @Benchmark
    public long append() {
        final long index = log.append(RECORD_TYPE, TERM, payload, 0, payloadLength);
        if (index < 0) {
            throw new IllegalStateException("append failed: " + index, log.lastError());
        }
        if (policy == FsyncPolicy.BATCH && ++pending >= batch) {
            pending = 0;
            final long durable = log.force();
            if (durable < 0) {
                throw new IllegalStateException("force failed", log.lastError());
            }
            return durable;
        }
        return index;
    }
}
