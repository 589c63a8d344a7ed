package io.loomcache.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.loomcache.wal.WalContext;
import org.agrona.IoUtil;
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
 * The WAL's mapping layer, FFM (what wal's {@code Segment} does) against Chronicle Bytes' {@code MappedBytes}:
 * appends of 100-byte records in the WAL's record layout (payload copied in, header, CRC32C) into a preallocated
 * 64 MiB segment, and every {@code batch} appends a force of the dirty pages. {@code batch} 0 never forces: the
 * cost of the append path over each mapping. A full segment is unmapped and mapped again from position 0 (a roll
 * onto a preallocated file), the same for both. Same shape as {@link WalAppendBenchmark}; the operation is one
 * append, durable once its batch's force returns.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class MappedLogBenchmark {
    private static final int RECORD_TYPE = 1;
    private static final long TERM = 1;

    /** Mapping layer: FFM as the WAL maps today, or Chronicle Bytes. */
    @Param({"FFM", "CHRONICLE"})
    public String mapping;

    /** Appends per force (group commit size); 0 never forces. */
    @Param({"0", "1", "16"})
    public int batch;

    /** Payload bytes per record. */
    @Param({"100"})
    public int payloadLength;

    /** Directory of the segment file; the default is on the working directory's disk, like the WAL's. */
    @Param({"target/mapped-log-bench"})
    public String dir;

    private Path directory;
    private MappedRecordLog log;
    private byte[] payload;
    private long nextIndex = 1;
    private int pending;

    /**
     * Preallocates the segment file and maps it.
     *
     * @throws IOException if it cannot be created or mapped.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        final Path parent = Path.of(dir);
        Files.createDirectories(parent);
        directory = Files.createTempDirectory(parent, "mapped-");
        final Path file = directory.resolve("segment.log");
        final int capacity = WalContext.DEFAULT_SEGMENT_LENGTH;
        MappedRecordLog.preallocate(file, capacity);
        log = switch (mapping) {
            case "FFM" -> new FfmRecordLog(file, capacity);
            case "CHRONICLE" -> new ChronicleRecordLog(file, capacity);
            default -> throw new IllegalArgumentException("unknown mapping " + mapping);
        };
        payload = new byte[payloadLength];
        for (int i = 0; i < payloadLength; i++) {
            payload[i] = (byte)i;
        }
    }

    /** Unmaps and deletes the file. */
    @TearDown(Level.Trial)
    public void tearDown() {
        log.close();
        IoUtil.delete(directory.toFile(), true);
    }

    /**
     * Appends one record; every {@code batch}-th append forces the pending ones.
     *
     * @return the record's position.
     * @throws IOException if a force or a remap fails.
     */
    @Benchmark
    public int append() throws IOException {
        int position = log.append(RECORD_TYPE, TERM, nextIndex, payload, payloadLength);
        if (position == MappedRecordLog.FULL) {
            if (pending > 0) {
                log.force();
                pending = 0;
            }
            log.rewind();
            position = log.append(RECORD_TYPE, TERM, nextIndex, payload, payloadLength);
        }
        nextIndex++;
        if (batch > 0 && ++pending >= batch) {
            pending = 0;
            log.force();
        }
        return position;
    }
}
