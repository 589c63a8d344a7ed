package io.loomcache.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

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
 * The raw disk doing the same fsync pattern as {@link WalAppendBenchmark}: write {@code recordBytes}, and every
 * {@code batch} writes force them, once through {@code FileChannel.write + force} (fdatasync) and once through a
 * mapped file and {@code MappedByteBuffer.force} (msync), which is what the WAL does. This is the ceiling the WAL's
 * durable append is compared against in docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DiskSyncBenchmark {
    private static final int FILE_LENGTH = 256 * 1024 * 1024;

    /** Bytes written per operation: a WAL record of 100 bytes of payload plus its header, 8-byte aligned. */
    @Param({"136"})
    public int recordBytes;

    /** Writes per force: 1 is fsync per write, larger is a group commit of that many writes. */
    @Param({"1", "16"})
    public int batch;

    /** Directory of the scratch file; the default is the working directory's disk, like the WAL's. */
    @Param({"target/disk-sync-bench"})
    public String dir;

    private Path file;
    private FileChannel channel;
    private MappedByteBuffer mapped;
    private ByteBuffer record;
    private long channelPosition;
    private int mappedPosition;
    private int pending;

    /**
     * Creates and preallocates the scratch file.
     *
     * @throws IOException if the file cannot be created.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        final Path directory = Path.of(dir);
        Files.createDirectories(directory);
        file = Files.createTempFile(directory, "disk-sync-", ".dat");
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        final ByteBuffer zeros = ByteBuffer.allocateDirect(1024 * 1024);
        for (long position = 0; position < FILE_LENGTH; position += zeros.capacity()) {
            zeros.clear();
            channel.write(zeros, position);
        }
        channel.force(true);
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_LENGTH);
        record = ByteBuffer.allocateDirect(recordBytes);
        for (int i = 0; i < recordBytes; i++) {
            record.put(i, (byte)i);
        }
    }

    /**
     * Removes the scratch file.
     *
     * @throws IOException if it cannot be removed.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        IoUtil.unmap(mapped);
        channel.close();
        Files.deleteIfExists(file);
    }

    /**
     * One write through the channel; every {@code batch}-th write is followed by fdatasync.
     *
     * @return the position written, so the work is not eliminated.
     * @throws IOException on a write or sync failure.
     */
    @Benchmark
    public long channelWriteAndForce() throws IOException {
        if (channelPosition + recordBytes > FILE_LENGTH) {
            channelPosition = 0;
        }
        record.clear();
        channel.write(record, channelPosition);
        channelPosition += recordBytes;
        if (++pending >= batch) {
            pending = 0;
            channel.force(false);
        }
        return channelPosition;
    }

    /**
     * One copy into the mapping; every {@code batch}-th write is followed by msync of the written range.
     *
     * @return the position written, so the work is not eliminated.
     */
    @Benchmark
    public int mappedWriteAndForce() {
        if (mappedPosition + recordBytes > FILE_LENGTH) {
            mappedPosition = 0;
        }
        final int start = mappedPosition;
        mapped.put(start, record, 0, recordBytes);
        mappedPosition += recordBytes;
        if (++pending >= batch) {
            final int forceStart = mappedPosition - pending * recordBytes;
            pending = 0;
            mapped.force(Math.max(0, forceStart), mappedPosition - Math.max(0, forceStart));
        }
        return start;
    }
}
