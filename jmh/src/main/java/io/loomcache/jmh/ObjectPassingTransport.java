package io.loomcache.jmh;

import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.model.message.RaftMessage;
import io.microraft.transport.Transport;

/**
 * An in-memory MicroRaft {@link Transport} for a group driven by one thread: {@link #send} hands the message object
 * itself (no serialization, no copy) to the destination's {@link RaftNode#handle}, which queues its handler on that
 * member's {@link QueueRaftNodeExecutor}. No faults, no delays, no reordering. Not thread-safe.
 */
final class ObjectPassingTransport implements Transport {
    private final RaftNode[] nodes;
    private long messagesSent;
    private long messagesDropped;

    /** @param maxMemberId highest member id that may receive messages; ids start at 0. */
    ObjectPassingTransport(final int maxMemberId) {
        this.nodes = new RaftNode[maxMemberId + 1];
    }

    /**
     * Routes the messages addressed to {@code memberId} to {@code node}.
     *
     * @param memberId a member id in [0, maxMemberId].
     * @param node the member that receives them.
     */
    void attach(final int memberId, final RaftNode node) {
        nodes[memberId] = node;
    }

    @Override
    public void send(final RaftEndpoint target, final RaftMessage message) {
        final int id = ((MicroRaftEndpoint)target).memberId();
        if (id < 0 || id >= nodes.length || nodes[id] == null) {
            messagesDropped++;
            return;
        }
        messagesSent++;
        nodes[id].handle(message);
    }

    @Override
    public boolean isReachable(final RaftEndpoint endpoint) {
        final int id = ((MicroRaftEndpoint)endpoint).memberId();
        return id >= 0 && id < nodes.length && nodes[id] != null;
    }

    /** @return messages handed over so far. */
    long messagesSent() {
        return messagesSent;
    }

    /** @return messages addressed to an unknown member. */
    long messagesDropped() {
        return messagesDropped;
    }
}
