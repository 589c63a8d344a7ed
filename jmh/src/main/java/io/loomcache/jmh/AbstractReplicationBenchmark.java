package io.loomcache.jmh;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The replication measurement both Raft implementations run (JMH runs the inherited {@code @Benchmark} methods on
 * each subclass): an invocation commits a batch of {@value #COMMAND_LENGTH}-byte commands on the leader of a
 * three-member group driven by one thread in memory. Each method fixes its batch size in
 * {@code @OperationsPerInvocation}, so the score is committed entries per second and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes allocated per committed entry. A trial fails if leadership moved or the
 * network dropped anything.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public abstract class AbstractReplicationBenchmark {
    /** Length of every command, bytes. */
    static final int COMMAND_LENGTH = 64;
    /** Seed of the members' election randomness. */
    static final long SEED = 42;

    /**
     * Applied entries between snapshots on every member. A snapshot compacts the in-memory log, which keeps memory
     * bounded over a run of any length; 10,000 is the project's production default.
     */
    @Param({"10000"})
    public long snapshotEveryEntries;

    private ReplicatedGroup group;
    private long roleChangesAtStart;

    /**
     * Builds the group and elects a leader.
     *
     * @param snapshotEveryEntries applied entries between snapshots on every member.
     * @param seed seed of the members' election randomness.
     * @return the group, with a leader every member knows.
     */
    protected abstract ReplicatedGroup startGroup(long snapshotEveryEntries, long seed);

    /**
     * Commits {@code batch} commands of {@link #COMMAND_LENGTH} bytes on the leader of the group from
     * {@link #startGroup}.
     *
     * @param batch commands to commit.
     * @return the index of the last command, now committed.
     */
    protected abstract long commitBatch(int batch);

    /** Builds the group and elects a leader. */
    @Setup(Level.Trial)
    public void setUp() {
        group = startGroup(snapshotEveryEntries, SEED);
        roleChangesAtStart = group.roleChanges();
    }

    /** Fails the trial if leadership moved or the network dropped anything during it. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (group.roleChanges() != roleChangesAtStart || group.dropped() != 0) {
            throw new IllegalStateException("the group did not stay quiet: " + group.describe());
        }
    }

    /**
     * Commits one entry per invocation.
     *
     * @return the committed index.
     */
    @Benchmark
    @OperationsPerInvocation(1)
    public long batch001() {
        return commitBatch(1);
    }

    /**
     * Commits a batch of 16 entries per invocation; the score counts entries.
     *
     * @return the last committed index.
     */
    @Benchmark
    @OperationsPerInvocation(16)
    public long batch016() {
        return commitBatch(16);
    }

    /**
     * Commits a batch of 128 entries per invocation; the score counts entries.
     *
     * @return the last committed index.
     */
    @Benchmark
    @OperationsPerInvocation(128)
    public long batch128() {
        return commitBatch(128);
    }
}
