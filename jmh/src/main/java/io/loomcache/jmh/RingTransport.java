package io.loomcache.jmh;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;

import io.loomcache.raft.RaftNode;
import io.loomcache.raft.Transport;

/**
 * An in-memory network for Raft members driven by one thread: {@link #send} copies each frame into the
 * destination's inbox, an Agrona {@link ExpandableRingBuffer} over direct memory, and {@link #deliverAll()} drains
 * the inboxes into {@link RaftNode#onMessage} until none holds a frame. No faults, no delays, no reordering within a
 * link. Allocation-free once the rings have grown to the largest backlog; not thread-safe.
 */
final class RingTransport implements Transport {
    private final Inbox[] inboxes;
    private final int maxDeliveryPasses;
    private long framesSent;
    private long bytesSent;
    private long framesDropped;

    /**
     * @param maxMemberId highest member id that may receive frames; ids start at 0.
     * @param initialCapacityBytes initial size of each inbox ring (rounded up to a power of two).
     * @param maxCapacityBytes size an inbox may grow to; a frame beyond it is dropped and counted.
     * @param maxDeliveryPasses passes over all inboxes after which {@link #deliverAll()} gives up.
     */
    RingTransport(final int maxMemberId, final int initialCapacityBytes, final int maxCapacityBytes,
        final int maxDeliveryPasses) {
        this.inboxes = new Inbox[maxMemberId + 1];
        for (int id = 0; id <= maxMemberId; id++) {
            inboxes[id] = new Inbox(new ExpandableRingBuffer(initialCapacityBytes, maxCapacityBytes, true));
        }
        this.maxDeliveryPasses = maxDeliveryPasses;
    }

    /**
     * Routes the frames addressed to {@code memberId} to {@code node}.
     *
     * @param memberId a member id in [0, maxMemberId].
     * @param node the member that receives them.
     */
    void attach(final int memberId, final RaftNode node) {
        inboxes[memberId].node = node;
    }

    @Override
    public boolean send(final int peerId, final DirectBuffer buffer, final int offset, final int length) {
        if (peerId < 0 || peerId >= inboxes.length || inboxes[peerId].node == null
            || !inboxes[peerId].ring.append(buffer, offset, length)) {
            framesDropped++;
            return false;
        }
        framesSent++;
        bytesSent += length;
        return true;
    }

    /**
     * Delivers frames, the replies they cause and so on, until every inbox is empty. A member never sends to
     * itself, so an inbox is never appended to while it is being drained.
     *
     * @return number of frames delivered.
     * @throws IllegalStateException if the members are still talking after {@code maxDeliveryPasses} passes.
     */
    int deliverAll() {
        int delivered = 0;
        for (int pass = 0; pass < maxDeliveryPasses; pass++) {
            int frames = 0;
            for (final Inbox inbox : inboxes) {
                frames += inbox.drain();
            }
            if (frames == 0) {
                return delivered;
            }
            delivered += frames;
        }
        throw new IllegalStateException("messages still flowing after " + maxDeliveryPasses + " delivery passes");
    }

    /** @return frames taken by {@link #send} so far. */
    long framesSent() {
        return framesSent;
    }

    /** @return frame bytes taken by {@link #send} so far. */
    long bytesSent() {
        return bytesSent;
    }

    /** @return frames refused (unknown member, or an inbox at its maximum capacity). */
    long framesDropped() {
        return framesDropped;
    }

    /** @return largest current capacity of an inbox ring, bytes. */
    int maxInboxCapacityBytes() {
        int capacity = 0;
        for (final Inbox inbox : inboxes) {
            capacity = Math.max(capacity, inbox.ring.capacity());
        }
        return capacity;
    }

    /** One member's inbox; is its own consumer so that draining captures nothing per call. */
    private static final class Inbox implements ExpandableRingBuffer.MessageConsumer {
        private final ExpandableRingBuffer ring;
        private RaftNode node;
        private int delivered;

        private Inbox(final ExpandableRingBuffer ring) {
            this.ring = ring;
        }

        /** @return frames delivered by this call. */
        private int drain() {
            delivered = 0;
            if (!ring.isEmpty()) {
                ring.consume(this, Integer.MAX_VALUE);
            }
            return delivered;
        }

        @Override
        public boolean onMessage(final MutableDirectBuffer buffer, final int offset, final int length,
            final int headOffset) {
            node.onMessage(buffer, offset, length);
            delivered++;
            return true;
        }
    }
}
