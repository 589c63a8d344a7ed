package io.loomcache.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.loomcache.protocol.FrameHeaderDescriptor;
import io.loomcache.protocol.FrameHeaderEncoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.raft.Transport;

class PeerBatcherTest {
    private final List<Sent> sent = new ArrayList<>();
    private final Transport recorder = (peerId, buffer, offset, length) -> {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        sent.add(new Sent(peerId, new UnsafeBuffer(bytes)));
        return true;
    };

    @Test
    void shouldPackTheSmallFramesOfACycleToEachMemberIntoOneBatchInOrder() {
        final PeerBatcher batcher = new PeerBatcher(recorder, new int[] {1, 2});
        batcher.send(1, frame(Opcodes.APPEND_ENTRIES, 40, 1), 0, 56);
        batcher.send(2, frame(Opcodes.APPEND_ENTRIES, 40, 2), 0, 56);
        batcher.send(1, frame(Opcodes.APPEND_ENTRIES_RESPONSE, 30, 3), 0, 46);
        batcher.send(1, frame(Opcodes.VOTE_REQUEST, 20, 4), 0, 36);
        assertTrue(sent.isEmpty(), "nothing leaves before the end of the cycle");
        batcher.flush();
        assertEquals(2, sent.size());
        final Sent toOne = sent.get(0);
        assertEquals(1, toOne.peer);
        assertEquals(Opcodes.PEER_BATCH, opcode(toOne.frame, 0));
        assertEquals(56 + 46 + 36, toOne.frame.getInt(0, FrameHeaderDescriptor.BYTE_ORDER));
        assertEquals(Opcodes.APPEND_ENTRIES, opcode(toOne.frame, 16));
        assertEquals(1, toOne.frame.getByte(16 + 16));
        assertEquals(Opcodes.APPEND_ENTRIES_RESPONSE, opcode(toOne.frame, 16 + 56));
        assertEquals(3, toOne.frame.getByte(16 + 56 + 16));
        assertEquals(Opcodes.VOTE_REQUEST, opcode(toOne.frame, 16 + 56 + 46));
        // a single frame goes as it is, without an envelope
        assertEquals(2, sent.get(1).peer);
        assertEquals(Opcodes.APPEND_ENTRIES, opcode(sent.get(1).frame, 0));
        assertEquals(56, sent.get(1).frame.capacity());
        assertEquals(1, batcher.batchesSent());
        assertEquals(3, batcher.framesPacked());
        batcher.flush();
        assertEquals(2, sent.size(), "an empty cycle sends nothing");
    }

    @Test
    void shouldSendWhatIsPackedBeforeALargeFrameSoThatAMembersFramesKeepTheirOrder() {
        final PeerBatcher batcher = new PeerBatcher(recorder, new int[] {1});
        batcher.send(1, frame(Opcodes.APPEND_ENTRIES, 40, 1), 0, 56);
        final int large = PeerBatcher.PACK_LIMIT + 100;
        batcher.send(1, frame(Opcodes.APPEND_ENTRIES, large - 16, 2), 0, large);
        batcher.send(1, frame(Opcodes.APPEND_ENTRIES_RESPONSE, 30, 3), 0, 46);
        batcher.flush();
        assertEquals(3, sent.size());
        assertEquals(1, sent.get(0).frame.getByte(16));
        assertEquals(large, sent.get(1).frame.capacity());
        assertEquals(2, sent.get(1).frame.getByte(16));
        assertEquals(3, sent.get(2).frame.getByte(16));
    }

    @Test
    void shouldSendABatchEarlyWhenItIsFull() {
        final PeerBatcher batcher = new PeerBatcher(recorder, new int[] {1});
        final int frames = PeerBatcher.BATCH_BYTES / 1000 + 1;
        for (int i = 0; i < frames; i++) {
            batcher.send(1, frame(Opcodes.APPEND_ENTRIES, 1000 - 16, i), 0, 1000);
        }
        assertEquals(1, sent.size());
        assertEquals(PeerBatcher.BATCH_BYTES / 1000 * 1000, sent.get(0).frame.getInt(0,
            FrameHeaderDescriptor.BYTE_ORDER));
        batcher.flush();
        assertEquals(2, sent.size());
    }

    private static UnsafeBuffer frame(final int opcode, final int bodyLength, final int mark) {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[16 + bodyLength]);
        new FrameHeaderEncoder().wrap(frame, 0).header(opcode, 0, 0, bodyLength);
        frame.putByte(16, (byte)mark);
        return frame;
    }

    private static int opcode(final DirectBuffer frame, final int offset) {
        return frame.getShort(offset + FrameHeaderDescriptor.OPCODE_OFFSET, FrameHeaderDescriptor.BYTE_ORDER) & 0xFFFF;
    }

    private record Sent(int peer, UnsafeBuffer frame) {
    }
}
