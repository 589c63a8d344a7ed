package io.loomcache.raft;

/**
 * Callbacks of a {@link RaftNode} to its owner, on the thread that drives the group. Implementations must not call
 * back into the node re-entrantly except through its public request methods.
 */
public interface RaftListener {
    /**
     * A linearizable read may now be served from the state machine: leadership was confirmed after the read was
     * requested (by a quorum heartbeat, §6.4, or by the lease, §6.4.1) and the state machine has applied at least
     * {@code readIndex}.
     *
     * @param correlationId the id given to {@link RaftNode#read(long, boolean)}.
     * @param readIndex the commit index the read observes.
     */
    void onReadReady(long correlationId, long readIndex);

    /**
     * A read cannot be served here (leadership lost or never confirmed); the caller retries at the leader.
     *
     * @param correlationId the id given to {@link RaftNode#read(long, boolean)}.
     */
    void onReadRejected(long correlationId);

    /**
     * The member's role or term changed.
     *
     * @param role one of the {@code RaftNode} role constants.
     * @param term the current term.
     * @param leaderId the known leader, or -1.
     */
    void onRoleChange(int role, long term, int leaderId);
}
