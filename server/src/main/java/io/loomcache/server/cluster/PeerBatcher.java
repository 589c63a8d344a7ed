package io.loomcache.server.cluster;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.FrameHeaderEncoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.raft.Transport;

/**
 * One executor's {@link Transport} to the other members: the small Raft frames its groups send one member in a duty
 * cycle (heartbeats, acknowledgements, votes, short appends) leave as one {@link Opcodes#PEER_BATCH} frame, so an
 * idle cluster sends one frame per member pair and executor per heartbeat interval however many groups it holds.
 * <p>
 * Order is kept: the frames to a member are packed in the order sent, and a frame too large to pack first sends
 * what is packed for that member. {@link #flush()} sends everything packed; the executor calls it at the end of
 * each duty cycle. A frame packed is taken (true); if the link drops the batch, its frames are lost as any frame
 * on a broken link is, and Raft resends. Owned by the executor's thread; allocation-free after construction.
 */
public final class PeerBatcher implements Transport {
    /** Largest frame packed; larger ones (appends with entries, snapshot chunks) are sent as they are. */
    static final int PACK_LIMIT = 1024;
    /** Bytes of packed frames per member before the batch is sent early. */
    static final int BATCH_BYTES = 32 * 1024;

    private final Transport links;
    private final Int2ObjectHashMap<Batch> byMember = new Int2ObjectHashMap<>();
    private final Batch[] batches;
    private final FrameHeaderEncoder header = new FrameHeaderEncoder();
    private long batchesSent;
    private long framesPacked;

    /**
     * @param links the transport that delivers frames to members (the node's peer links).
     * @param memberIds every other member's id.
     */
    public PeerBatcher(final Transport links, final int[] memberIds) {
        this.links = links;
        this.batches = new Batch[memberIds.length];
        for (int i = 0; i < memberIds.length; i++) {
            batches[i] = new Batch(memberIds[i]);
            byMember.put(memberIds[i], batches[i]);
        }
    }

    @Override
    public boolean send(final int peerId, final DirectBuffer buffer, final int offset, final int length) {
        final Batch batch = byMember.get(peerId);
        if (batch == null || length > PACK_LIMIT) {
            if (batch != null) {
                batch.send();
            }
            return links.send(peerId, buffer, offset, length);
        }
        if (batch.length + length > BATCH_BYTES) {
            batch.send();
        }
        batch.add(buffer, offset, length);
        return true;
    }

    /** Sends what is packed for every member; the end of the executor's duty cycle. */
    public void flush() {
        for (final Batch batch : batches) {
            batch.send();
        }
    }

    /** @return PEER_BATCH frames sent. */
    public long batchesSent() {
        return batchesSent;
    }

    /** @return frames that left inside a PEER_BATCH. */
    public long framesPacked() {
        return framesPacked;
    }

    /** The frames packed for one member: a PEER_BATCH frame whose header is written when it is sent. */
    private final class Batch {
        private final int memberId;
        private final UnsafeBuffer frame = new UnsafeBuffer(
            ByteBuffer.allocateDirect(FrameHeaderDescriptor.HEADER_LENGTH + BATCH_BYTES));
        private int length;
        private int count;

        Batch(final int memberId) {
            this.memberId = memberId;
        }

        void add(final DirectBuffer buffer, final int offset, final int frameLength) {
            frame.putBytes(FrameHeaderDescriptor.HEADER_LENGTH + length, buffer, offset, frameLength);
            length += frameLength;
            count++;
        }

        void send() {
            if (count == 0) {
                return;
            }
            if (count == 1) {
                // one frame alone goes as it is: the envelope would only add a header
                links.send(memberId, frame, FrameHeaderDescriptor.HEADER_LENGTH, length);
            } else {
                header.wrap(frame, 0).header(Opcodes.PEER_BATCH, 0, 0, length);
                links.send(memberId, frame, 0, FrameHeaderDescriptor.HEADER_LENGTH + length);
                batchesSent++;
                framesPacked += count;
            }
            length = 0;
            count = 0;
        }
    }
}
