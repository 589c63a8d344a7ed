package io.loomcache.server.config;

import java.nio.charset.StandardCharsets;

import io.loomcache.server.cluster.ClusterMembers;
import io.loomcache.server.executor.ExecutorGroup;

/**
 * The cluster part of a {@link ServerContext}: the member list and the Raft settings ({@code cluster.*} keys),
 * checked by {@link ServerContext#conclude()}. Not thread-safe, like its context.
 */
public final class ClusterContext {
    private String nodes = "";
    private int raftGroups;
    private long electionTimeoutMs;
    private long heartbeatMs;
    private int snapshotEvery;
    private boolean leaseReads;
    private ClusterMembers members;
    private long fingerprint;

    ClusterContext() {
    }

    void conclude(final String nodeName, final boolean persistenceEnabled, final int maxFrameLength,
        final int partitions) {
        if (nodes.isEmpty()) {
            return;
        }
        try {
            members = ClusterMembers.parse(nodes, nodeName);
        } catch (final IllegalArgumentException ex) {
            throw new ConfigException(Setting.NODES, nodes, ex.getMessage());
        }
        if (raftGroups > partitions) {
            throw new ConfigException(Setting.RAFT_GROUPS, Integer.toString(raftGroups),
                "more Raft groups than partitions (" + partitions + "): some would hold none");
        }
        if (!persistenceEnabled) {
            throw new ConfigException(Setting.SERVER_PERSISTENCE_ENABLED, "false",
                "a cluster member needs persistence: Raft's vote and log must survive a restart");
        }
        final StringBuilder settings = new StringBuilder();
        for (final ClusterMembers.Member member : members.members()) {
            settings.append(member.name()).append('@').append(member.address()).append(',');
        }
        settings.append(" groups=").append(raftGroups).append(" partitions=").append(partitions)
            .append(" partitioner=").append(ExecutorGroup.PARTITIONER)
            .append(" max-frame-length=").append(maxFrameLength);
        fingerprint = fnv64(settings.toString());
        if (heartbeatMs * 2 > electionTimeoutMs) {
            throw new ConfigException(Setting.RAFT_HEARTBEAT, heartbeatMs + "ms",
                "must be at most half of cluster.election-timeout (" + electionTimeoutMs + "ms)");
        }
    }

    /**
     * Sets the cluster's members; empty for a single node.
     *
     * @param nodes {@code name@host:port,...}, checked when the context is concluded.
     * @return this.
     */
    public ClusterContext nodes(final String nodes) {
        this.nodes = nodes;
        return this;
    }

    /**
     * Sets the number of Raft groups the partitions are spread over.
     *
     * @param groups 1 to the partition count ({@link ServerContext#partitions()}).
     * @return this.
     */
    public ClusterContext raftGroups(final int groups) {
        this.raftGroups = groups;
        return this;
    }

    /**
     * Sets the minimum Raft election timeout; the maximum is twice it.
     *
     * @param ms milliseconds.
     * @return this.
     */
    public ClusterContext electionTimeoutMs(final long ms) {
        this.electionTimeoutMs = ms;
        return this;
    }

    /**
     * Sets the Raft heartbeat period.
     *
     * @param ms milliseconds.
     * @return this.
     */
    public ClusterContext heartbeatMs(final long ms) {
        this.heartbeatMs = ms;
        return this;
    }

    /**
     * Sets how many applied entries a Raft group snapshots after.
     *
     * @param entries 0 for never.
     * @return this.
     */
    public ClusterContext snapshotEvery(final int entries) {
        this.snapshotEvery = entries;
        return this;
    }

    /**
     * Sets whether a leader serves reads under its lease without a heartbeat round.
     *
     * @param lease true for lease reads, false for ReadIndex.
     * @return this.
     */
    public ClusterContext leaseReads(final boolean lease) {
        this.leaseReads = lease;
        return this;
    }

    private static long fnv64(final String text) {
        long hash = 0xCBF2_9CE4_8422_2325L;
        for (final byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xFF)) * 0x0000_0100_0000_01B3L;
        }
        return hash;
    }

    /**
     * What members must agree on, hashed: the member list in order, the group and partition counts and the frame
     * limit (a different one would make a member skip entries others apply). Peers exchange it in PEER_HELLO.
     *
     * @return the FNV-1a 64-bit hash, 0 for a single node.
     */
    public long fingerprint() {
        return fingerprint;
    }

    /** @return the members once concluded, or null for a single node. */
    public ClusterMembers members() {
        return members;
    }

    /** @return the number of Raft groups. */
    public int raftGroups() {
        return raftGroups;
    }

    /** @return the minimum election timeout in ms. */
    public long electionTimeoutMs() {
        return electionTimeoutMs;
    }

    /** @return the heartbeat period in ms. */
    public long heartbeatMs() {
        return heartbeatMs;
    }

    /** @return applied entries between two snapshots of a group, 0 for never. */
    public int snapshotEvery() {
        return snapshotEvery;
    }

    /** @return whether reads may be served under the leader's lease. */
    public boolean leaseReads() {
        return leaseReads;
    }
}
