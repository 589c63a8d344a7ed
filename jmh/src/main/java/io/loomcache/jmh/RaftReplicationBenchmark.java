package io.loomcache.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

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
 * Raft replication in a three-member group driven by one thread, in memory, with no faults (see
 * {@link ReplicationCluster}): an invocation proposes a batch of 64-byte commands on the leader and runs duty
 * cycles and deliveries until the leader has committed them. Each method fixes its batch size in
 * {@code @OperationsPerInvocation}, so the score is committed entries per second and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes allocated per committed entry. The cost covers all three members: encoding and
 * decoding AppendEntries and their responses, copying into and out of the in-memory logs, the commit rule, applying
 * on every member, heartbeats every 50 ms of fake time and a snapshot (with log compaction) every
 * {@code snapshotEveryEntries} applied entries. There is no disk and no socket: this is the protocol's CPU cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RaftReplicationBenchmark {
    private static final int COMMAND_LENGTH = 64;
    private static final long SEED = 42;

    /**
     * Applied entries between snapshots on every member. A snapshot compacts the in-memory log, which keeps memory
     * bounded over a run of any length; 10,000 is the project's production default.
     */
    @Param({"10000"})
    public long snapshotEveryEntries;

    private ReplicationCluster cluster;
    private UnsafeBuffer command;
    private long roleChangesAtStart;

    /** Builds the group and elects a leader. */
    @Setup(Level.Trial)
    public void setUp() {
        cluster = new ReplicationCluster(snapshotEveryEntries, SEED);
        cluster.electLeader();
        roleChangesAtStart = cluster.roleChanges();
        command = new UnsafeBuffer(ByteBuffer.allocateDirect(COMMAND_LENGTH));
        for (int i = 0; i < COMMAND_LENGTH; i++) {
            command.putByte(i, (byte)i);
        }
    }

    /** Fails the trial if leadership moved or a frame was dropped during it. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (cluster.roleChanges() != roleChangesAtStart || cluster.transport().framesDropped() != 0) {
            throw new IllegalStateException("the group did not stay quiet: " + cluster.describe());
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
        return cluster.commitBatch(command, COMMAND_LENGTH, 1);
    }

    /**
     * Commits a batch of 16 entries per invocation; the score counts entries.
     *
     * @return the last committed index.
     */
    @Benchmark
    @OperationsPerInvocation(16)
    public long batch016() {
        return cluster.commitBatch(command, COMMAND_LENGTH, 16);
    }

    /**
     * Commits a batch of 128 entries per invocation; the score counts entries.
     *
     * @return the last committed index.
     */
    @Benchmark
    @OperationsPerInvocation(128)
    public long batch128() {
        return cluster.commitBatch(command, COMMAND_LENGTH, 128);
    }
}
