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
 * The peer of {@link RaftReplicationBenchmark}: the same measurement for MicroRaft 0.7 (see {@link MicroRaftCluster}).
 * An invocation replicates a batch of 64-byte commands on the leader of a three-member group driven by one thread in
 * memory and runs timers and task queues until every future of the batch is complete. Each method fixes its batch
 * size in {@code @OperationsPerInvocation}, so the score is committed entries per second and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes allocated per committed entry, including the fresh {@code byte[64]} each
 * command is (MicroRaft keeps operation objects in its log; LoomCache copies the bytes). Messages are passed as
 * objects, not encoded. The name ends in {@code RaftReplicationBenchmark} so one JMH pattern runs both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MicroRaftReplicationBenchmark {
    private static final int COMMAND_LENGTH = 64;
    private static final long SEED = 42;

    /** Commits between snapshots on every member, as in {@link RaftReplicationBenchmark#snapshotEveryEntries}. */
    @Param({"10000"})
    public int snapshotEveryEntries;

    private MicroRaftCluster cluster;
    private long roleChangesAtStart;

    /** Builds the group and elects a leader. */
    @Setup(Level.Trial)
    public void setUp() {
        cluster = new MicroRaftCluster(snapshotEveryEntries, SEED);
        cluster.electLeader();
        roleChangesAtStart = cluster.roleChanges();
    }

    /** Fails the trial if leadership moved or a message was dropped during it. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (cluster.roleChanges() != roleChangesAtStart || cluster.transport().messagesDropped() != 0) {
            throw new IllegalStateException("the group did not stay quiet: " + cluster.describe());
        }
    }

    /**
     * Commits one entry per invocation.
     *
     * @return the commit index.
     */
    @Benchmark
    @OperationsPerInvocation(1)
    public long batch001() {
        return cluster.commitBatch(COMMAND_LENGTH, 1);
    }

    /**
     * Commits a batch of 16 entries per invocation; the score counts entries.
     *
     * @return the last commit index.
     */
    @Benchmark
    @OperationsPerInvocation(16)
    public long batch016() {
        return cluster.commitBatch(COMMAND_LENGTH, 16);
    }

    /**
     * Commits a batch of 128 entries per invocation; the score counts entries.
     *
     * @return the last commit index.
     */
    @Benchmark
    @OperationsPerInvocation(128)
    public long batch128() {
        return cluster.commitBatch(COMMAND_LENGTH, 128);
    }
}
