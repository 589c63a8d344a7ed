package io.loomcache.raft.sim;

import io.loomcache.raft.RaftNode;

/**
 * One simulated member: its storage (which survives crashes as far as it was forced), its state machine and
 * {@link RaftNode} (rebuilt on every restart), and its clock: {@code offset + simulatedTime * rate}, so clocks
 * drift apart at a bounded rate and can jump forward.
 */
final class SimMember {
    final int id;
    CheckedLog log;
    RegisterStateMachine stateMachine;
    RaftNode node;
    boolean alive;
    /** Whether it was in the founding configuration and still has that storage (else it joined later). */
    boolean founding = true;
    /** Removed from the group and replaced by a server with a new id: never restarted. */
    boolean retired;
    /** Incarnation, bumped by every restart (volatile state is new). */
    int incarnation;
    double clockRate = 1.0;
    long clockOffsetNs;
    long diskLatencyNs;
    long forceCountAtEventStart;

    SimMember(final int id) {
        this.id = id;
    }

    long nowNs(final long simNs) {
        return clockOffsetNs + (long)(simNs * clockRate);
    }
}
