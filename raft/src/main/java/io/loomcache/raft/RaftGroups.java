package io.loomcache.raft;

import java.util.Arrays;

import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.raft.RaftMessageDescriptor;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * The Raft groups one executor owns: many cheap {@link RaftNode}s driven by one duty cycle, with inbound frames
 * routed by the group id every Raft message carries. No thread per group. Owned by the executor's thread, which
 * feeds a cycle's inbound frames through {@link #onMessage(DirectBuffer, int, int)} and then calls
 * {@link #doWork(long)}: the followers acknowledge in {@code doWork}, so the groups' forces can be shared.
 */
public final class RaftGroups {
    private final Int2ObjectHashMap<RaftNode> byGroup = new Int2ObjectHashMap<>();
    private RaftNode[] nodes = new RaftNode[0];
    private long unknownGroupFrames;

    /**
     * Adds a group member; allocates (called when partitions are assigned, not on the hot path).
     *
     * @param node a member of a group this executor does not hold yet.
     * @throws IllegalArgumentException if the group is already held.
     */
    public void add(final RaftNode node) {
        if (byGroup.containsKey(node.groupId())) {
            throw new IllegalArgumentException("group already held: " + node.groupId());
        }
        byGroup.put(node.groupId(), node);
        final RaftNode[] next = Arrays.copyOf(nodes, nodes.length + 1);
        next[nodes.length] = node;
        nodes = next;
    }

    /**
     * Runs one duty cycle of every group, in two passes: first every leader sends the entries it holds beyond its
     * durable index, then every group runs its {@link RaftNode#doWork(long)} (followers' acknowledgements of the
     * cycle, timers, the leader's force, commit, apply, reads). When the groups share one log, the first force of
     * the second pass (a leader's, or a follower's acknowledging what the cycle's frames brought) makes every
     * group's appends durable, so the groups after it find nothing left to force, and every group's entries left
     * for the followers before that force, to be written there in parallel (§10.2.1).
     *
     * @param nowNs the current time of the executor's clock.
     * @return total work done.
     */
    public int doWork(final long nowNs) {
        final RaftNode[] nodes = this.nodes;
        int work = 0;
        for (final RaftNode node : nodes) {
            work += node.sendUnforced(nowNs);
        }
        for (final RaftNode node : nodes) {
            work += node.doWork(nowNs);
        }
        return work;
    }

    /**
     * Routes one Raft frame to its group; frames of unknown groups (or too short to carry one) are counted.
     *
     * @param buffer holds the frame.
     * @param offset index of the frame's first byte.
     * @param length frame length.
     */
    public void onMessage(final DirectBuffer buffer, final int offset, final int length) {
        if (length < FrameHeaderDescriptor.HEADER_LENGTH + RaftMessageDescriptor.GROUP_ID_OFFSET + Integer.BYTES) {
            unknownGroupFrames++;
            return;
        }
        final RaftNode node = byGroup.get(RaftMessageDescriptor.groupId(buffer, offset));
        if (node == null) {
            unknownGroupFrames++;
            return;
        }
        node.onMessage(buffer, offset, length);
    }

    /**
     * @param groupId a group id.
     * @return the member of that group held here, or null.
     */
    public RaftNode group(final int groupId) {
        return byGroup.get(groupId);
    }

    /** @return number of groups held. */
    public int size() {
        return nodes.length;
    }

    /** @return frames dropped because their group is not held here. */
    public long unknownGroupFrames() {
        return unknownGroupFrames;
    }
}
