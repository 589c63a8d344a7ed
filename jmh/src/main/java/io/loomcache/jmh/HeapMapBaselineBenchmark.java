package io.loomcache.jmh;

import java.util.HashMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The on-heap peer of {@link OffHeapStoreBenchmark}: a {@code java.util.HashMap} of 16-byte keys to 100-byte
 * {@code byte[]} values, visited in the same scrambled order, so the store's figures can be read against what a
 * plain Java map does on the same machine in the same run (a heap map allocates a key per lookup and a value per
 * put, and its entries are traced by the GC).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HeapMapBaselineBenchmark {
    private static final long SCRAMBLE = 0x9E37_79B9_7F4A_7C15L;
    private static final int BATCH = 16;

    /** Entries loaded before measuring. */
    @Param({"10000", "1000000"})
    public int entries;

    /** Value bytes per entry. */
    @Param({"100"})
    public int valueLength;

    private HashMap<Key, byte[]> map;
    private byte[] value;
    private final byte[] valueOut = new byte[4096];
    private final int[] batchKeys = new int[BATCH];
    private long counter;

    /** A 16-byte key as a heap object, the way an on-heap cache holds it. */
    record Key(long high, long low) {
    }

    /** Loads the map. */
    @Setup(Level.Trial)
    public void setUp() {
        value = new byte[valueLength];
        map = new HashMap<>(entries * 2);
        for (int i = 0; i < entries; i++) {
            map.put(new Key(i, ~(long)i), value.clone());
        }
    }

    /**
     * A hit copied into a caller buffer, as {@link OffHeapStoreBenchmark#getCopy()}.
     *
     * @return the value length.
     */
    @Benchmark
    public int getCopy() {
        final int i = nextKey();
        final byte[] found = map.get(new Key(i, ~(long)i));
        System.arraycopy(found, 0, valueOut, 0, found.length);
        return found.length;
    }

    /**
     * A batch of {@value #BATCH} hits, as {@link OffHeapStoreBenchmark#getBatch()}; the figure is per get.
     *
     * @return the sum of the value lengths.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int getBatch() {
        for (int i = 0; i < BATCH; i++) {
            batchKeys[i] = nextKey();
        }
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            final int k = batchKeys[i];
            final byte[] found = map.get(new Key(k, ~(long)k));
            System.arraycopy(found, 0, valueOut, 0, found.length);
            sum += found.length;
        }
        return sum;
    }

    /**
     * Overwrites a present key with a fresh copy of the value, as a server holding values on the heap must.
     *
     * @return the previous value's length.
     */
    @Benchmark
    public int putReplace() {
        final int i = nextKey();
        return map.put(new Key(i, ~(long)i), value.clone()).length;
    }

    private int nextKey() {
        return (int)(Long.remainderUnsigned(++counter * SCRAMBLE, entries));
    }
}
