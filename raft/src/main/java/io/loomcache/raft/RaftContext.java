package io.loomcache.raft;

import java.util.Arrays;

/**
 * Validated configuration of one Raft member. Defaults suit a LAN or loopback cluster: heartbeats every 50 ms,
 * election timeouts drawn uniformly from [300, 600) ms. Build with the fluent setters, then call
 * {@link #validate()} (the {@link RaftNode} constructor does); a bad value throws {@link IllegalArgumentException}
 * naming the setting.
 */
public final class RaftContext {
    private int groupId;
    private int memberId = -1;
    private int[] initialVoters = new int[0];
    private long electionTimeoutMinMs = 300;
    private long electionTimeoutMaxMs = 600;
    private long heartbeatIntervalMs = 50;
    private int maxAppendBytes = 256 * 1024;
    private int maxInflightAppends = 8;
    private int maxUncommittedEntries = 8192;
    private long snapshotEveryEntries = 10_000;
    private int snapshotChunkBytes = 128 * 1024;
    private boolean preVote = true;
    private boolean leaseReads = true;
    private double maxClockDriftRatio = 0.1;
    private int maxApplyBatch = 4096;
    private long randomSeed = System.nanoTime();

    /**
     * @param groupId the Raft group this member belongs to (carried in every message).
     * @return this.
     */
    public RaftContext groupId(final int groupId) {
        this.groupId = groupId;
        return this;
    }

    /**
     * @param memberId this member's id, unique in the group, non-negative.
     * @return this.
     */
    public RaftContext memberId(final int memberId) {
        this.memberId = memberId;
        return this;
    }

    /**
     * Sets the voters of a new group (the configuration before any configuration entry); every founding member is
     * given the same list; a member that joins later is given an empty list and learns its configuration from the
     * leader.
     *
     * @param voters member ids.
     * @return this.
     */
    public RaftContext initialVoters(final int... voters) {
        this.initialVoters = voters.clone();
        return this;
    }

    /**
     * @param minMs lower bound of the randomised election timeout, ms; also the length of the leader's lease.
     * @param maxMs upper bound (exclusive), ms.
     * @return this.
     */
    public RaftContext electionTimeoutMs(final long minMs, final long maxMs) {
        this.electionTimeoutMinMs = minMs;
        this.electionTimeoutMaxMs = maxMs;
        return this;
    }

    /**
     * @param intervalMs how often an idle leader sends AppendEntries to each follower, ms.
     * @return this.
     */
    public RaftContext heartbeatIntervalMs(final long intervalMs) {
        this.heartbeatIntervalMs = intervalMs;
        return this;
    }

    /**
     * @param bytes most payload bytes of entries batched into one AppendEntries frame.
     * @return this.
     */
    public RaftContext maxAppendBytes(final int bytes) {
        this.maxAppendBytes = bytes;
        return this;
    }

    /**
     * @param count most AppendEntries in flight to one follower before an answer (pipelining window).
     * @return this.
     */
    public RaftContext maxInflightAppends(final int count) {
        this.maxInflightAppends = count;
        return this;
    }

    /**
     * @param count most entries the leader holds uncommitted before {@link RaftNode#propose} answers
     *     {@link RaftNode#BACK_PRESSURED}.
     * @return this.
     */
    public RaftContext maxUncommittedEntries(final int count) {
        this.maxUncommittedEntries = count;
        return this;
    }

    /**
     * @param entries take a snapshot (and compact the log) after this many applied entries; 0 never.
     * @return this.
     */
    public RaftContext snapshotEveryEntries(final long entries) {
        this.snapshotEveryEntries = entries;
        return this;
    }

    /**
     * @param bytes size of one InstallSnapshot chunk.
     * @return this.
     */
    public RaftContext snapshotChunkBytes(final int bytes) {
        this.snapshotChunkBytes = bytes;
        return this;
    }

    /**
     * @param enabled whether a member runs a pre-vote round (§9.6) before a real election.
     * @return this.
     */
    public RaftContext preVote(final boolean enabled) {
        this.preVote = enabled;
        return this;
    }

    /**
     * @param enabled whether the leader may answer reads from its lease without a heartbeat round (§6.4.1).
     * @return this.
     */
    public RaftContext leaseReads(final boolean enabled) {
        this.leaseReads = enabled;
        return this;
    }

    /**
     * @param ratio the largest relative difference between the rates of two members' clocks the lease must
     *     survive, in [0, 0.5); the lease lasts {@code electionTimeoutMin * (1 - ratio)} from the start of the
     *     heartbeat round a quorum acknowledged.
     * @return this.
     */
    public RaftContext maxClockDriftRatio(final double ratio) {
        this.maxClockDriftRatio = ratio;
        return this;
    }

    /**
     * @param entries most committed entries applied in one duty cycle.
     * @return this.
     */
    public RaftContext maxApplyBatch(final int entries) {
        this.maxApplyBatch = entries;
        return this;
    }

    /**
     * @param seed seed of the member's election-timeout randomness (the simulation fixes it).
     * @return this.
     */
    public RaftContext randomSeed(final long seed) {
        this.randomSeed = seed;
        return this;
    }

    /**
     * Checks every setting.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public RaftContext validate() {
        require(memberId >= 0, "memberId must be >= 0: " + memberId);
        require(electionTimeoutMinMs > 0 && electionTimeoutMaxMs > electionTimeoutMinMs,
            "electionTimeoutMs needs 0 < min < max: " + electionTimeoutMinMs + ", " + electionTimeoutMaxMs);
        require(heartbeatIntervalMs > 0 && heartbeatIntervalMs * 2 <= electionTimeoutMinMs,
            "heartbeatIntervalMs must be > 0 and at most half the minimum election timeout: " + heartbeatIntervalMs);
        require(maxAppendBytes >= 1024, "maxAppendBytes must be >= 1024: " + maxAppendBytes);
        require(maxInflightAppends >= 1, "maxInflightAppends must be >= 1: " + maxInflightAppends);
        require(maxUncommittedEntries >= 1, "maxUncommittedEntries must be >= 1: " + maxUncommittedEntries);
        require(snapshotEveryEntries >= 0, "snapshotEveryEntries must be >= 0: " + snapshotEveryEntries);
        require(snapshotChunkBytes >= 64, "snapshotChunkBytes must be >= 64: " + snapshotChunkBytes);
        require(maxClockDriftRatio >= 0 && maxClockDriftRatio < 0.5,
            "maxClockDriftRatio must be in [0, 0.5): " + maxClockDriftRatio);
        require(maxApplyBatch >= 1, "maxApplyBatch must be >= 1: " + maxApplyBatch);
        final int[] sorted = initialVoters.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            require(sorted[i] >= 0 && (i == 0 || sorted[i] != sorted[i - 1]),
                "initialVoters must be distinct non-negative ids: " + Arrays.toString(initialVoters));
        }
        return this;
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** @return the group id. */
    public int groupId() {
        return groupId;
    }

    /** @return this member's id. */
    public int memberId() {
        return memberId;
    }

    /** @return a copy of the founding voters. */
    public int[] initialVoters() {
        return initialVoters.clone();
    }

    /** @return lower bound of the election timeout, ms. */
    public long electionTimeoutMinMs() {
        return electionTimeoutMinMs;
    }

    /** @return upper bound (exclusive) of the election timeout, ms. */
    public long electionTimeoutMaxMs() {
        return electionTimeoutMaxMs;
    }

    /** @return heartbeat interval, ms. */
    public long heartbeatIntervalMs() {
        return heartbeatIntervalMs;
    }

    /** @return most entry payload bytes per AppendEntries. */
    public int maxAppendBytes() {
        return maxAppendBytes;
    }

    /** @return pipelining window per follower, in messages. */
    public int maxInflightAppends() {
        return maxInflightAppends;
    }

    /** @return most uncommitted entries before proposals are refused. */
    public int maxUncommittedEntries() {
        return maxUncommittedEntries;
    }

    /** @return applied entries between snapshots, 0 for never. */
    public long snapshotEveryEntries() {
        return snapshotEveryEntries;
    }

    /** @return InstallSnapshot chunk size, bytes. */
    public int snapshotChunkBytes() {
        return snapshotChunkBytes;
    }

    /** @return whether pre-vote is on. */
    public boolean preVote() {
        return preVote;
    }

    /** @return whether lease reads are on. */
    public boolean leaseReads() {
        return leaseReads;
    }

    /** @return the clock drift the lease tolerates. */
    public double maxClockDriftRatio() {
        return maxClockDriftRatio;
    }

    /** @return most entries applied per duty cycle. */
    public int maxApplyBatch() {
        return maxApplyBatch;
    }

    /** @return the seed of the election randomness. */
    public long randomSeed() {
        return randomSeed;
    }
}
