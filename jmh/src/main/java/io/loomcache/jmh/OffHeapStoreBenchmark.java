package io.loomcache.jmh;

import java.util.concurrent.TimeUnit;

import io.loomcache.store.EvictionPolicy;
import io.loomcache.store.OffHeapStore;
import io.loomcache.store.StoreContext;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * get / put / remove on an off-heap store holding {@code entries} entries of 16-byte keys and 100-byte values,
 * keys visited in a scrambled order so the index is hit the way a cache server hits it (cache misses included).
 * Run with {@code -prof gc}: every benchmark must show a {@code gc.alloc.rate.norm} of 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OffHeapStoreBenchmark {
    private static final int KEY_LENGTH = 16;
    private static final int BATCH = 16;
    private static final long SCRAMBLE = 0x9E37_79B9_7F4A_7C15L;

    /** Entries loaded before measuring. */
    @Param({"10000", "1000000"})
    public int entries;

    /** Value bytes per entry. */
    @Param({"100"})
    public int valueLength;

    /**
     * Time source of the store: {@code system} reads the wall clock on every operation; {@code cached} is an Agrona
     * {@code CachedEpochClock} that the owning executor advances once per duty cycle, as the server drives it.
     */
    @Param({"system", "cached"})
    public String clock;

    /**
     * Whether the store maps its index and chunks for transparent huge pages ({@code StoreContext.hugePages}); the
     * setup fails when {@code true} is asked for and the system does not offer them, so a figure is never mislabelled.
     */
    @Param({"true", "false"})
    public boolean hugePages;

    private final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_LENGTH]);
    private final UnsafeBuffer batchKeys = new UnsafeBuffer(new byte[BATCH * KEY_LENGTH]);
    private final UnsafeBuffer valueOut = new UnsafeBuffer(new byte[4096]);
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);
    private UnsafeBuffer value;
    private OffHeapStore store;
    private long counter;

    /** Loads the store with {@code entries} entries. */
    @Setup(Level.Trial)
    public void setUp() {
        value = new UnsafeBuffer(new byte[valueLength]);
        for (int i = 0; i < valueLength; i++) {
            value.putByte(i, (byte)i);
        }
        store = new OffHeapStore(new StoreContext()
            .evictionPolicy(EvictionPolicy.NONE)
            .initialCapacity(entries * 2)
            .maxMemoryBytes(4L * 1024 * 1024 * 1024)
            .epochClock(epochClock())
            .hugePages(hugePages)
            .conclude());
        if (store.hugePagesAdvised() != hugePages) {
            throw new IllegalStateException("huge pages asked " + hugePages + ", advised " + store.hugePagesAdvised());
        }
        for (int i = 0; i < entries; i++) {
            keyFor(i);
            if (store.put(key, 0, KEY_LENGTH, value, 0, valueLength, 0) != OffHeapStore.INSERTED) {
                throw new IllegalStateException("load failed at " + i);
            }
        }
    }

    private EpochClock epochClock() {
        if ("cached".equals(clock)) {
            final CachedEpochClock cached = new CachedEpochClock();
            cached.update(System.currentTimeMillis());
            return cached;
        }
        return SystemEpochClock.INSTANCE;
    }

    /** Frees the store's native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    /**
     * A hit: copies the value of a present key into a caller buffer.
     *
     * @return the value length.
     */
    @Benchmark
    public int getCopy() {
        keyFor(nextKey());
        return store.get(key, 0, KEY_LENGTH, valueOut, 0);
    }

    /**
     * A hit read through a view of the store's memory, without a copy.
     *
     * @return the value length.
     */
    @Benchmark
    public int getView() {
        keyFor(nextKey());
        return store.getView(key, 0, KEY_LENGTH, valueView);
    }

    /**
     * A pipelined batch of {@value #BATCH} hits, served one after the other as an executor drains them; the figure
     * is per get.
     *
     * @return the sum of the value lengths.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int getBatch() {
        fillBatch();
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += store.get(batchKeys, i * KEY_LENGTH, KEY_LENGTH, valueOut, 0);
        }
        return sum;
    }

    /**
     * The batch of {@link #getBatch()} with every key prefetched first ({@code OffHeapStore.prefetch}), so the
     * batch's cache misses overlap; the figure is per get.
     *
     * @return the sum of the value lengths.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int getBatchPrefetched() {
        fillBatch();
        for (int i = 0; i < BATCH; i++) {
            store.prefetch(batchKeys, i * KEY_LENGTH, KEY_LENGTH);
        }
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += store.get(batchKeys, i * KEY_LENGTH, KEY_LENGTH, valueOut, 0);
        }
        return sum;
    }

    /**
     * Overwrites the value of a present key (same size, so the entry's memory is reused in place or recycled).
     *
     * @return the store's result code.
     */
    @Benchmark
    public int putReplace() {
        keyFor(nextKey());
        return store.put(key, 0, KEY_LENGTH, value, 0, valueLength, 0);
    }

    /**
     * Removes a present key and puts it back, so the store stays at {@code entries}; the figure is for the pair.
     *
     * @return the put's result code.
     */
    @Benchmark
    public int removeThenPut() {
        keyFor(nextKey());
        store.remove(key, 0, KEY_LENGTH);
        return store.put(key, 0, KEY_LENGTH, value, 0, valueLength, 0);
    }

    private void fillBatch() {
        for (int i = 0; i < BATCH; i++) {
            final int k = nextKey();
            batchKeys.putLong(i * KEY_LENGTH, k);
            batchKeys.putLong(i * KEY_LENGTH + Long.BYTES, ~(long)k);
        }
    }

    private int nextKey() {
        return (int)(Long.remainderUnsigned(++counter * SCRAMBLE, entries));
    }

    private void keyFor(final int i) {
        key.putLong(0, i);
        key.putLong(Long.BYTES, ~(long)i);
    }
}
