package io.loomcache.protocol.raft;

import static io.loomcache.protocol.FrameHeaderDescriptor.BODY_LENGTH_OFFSET;
import static io.loomcache.protocol.FrameHeaderDescriptor.BYTE_ORDER;
import static io.loomcache.protocol.FrameHeaderDescriptor.HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_ENTRIES_HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.APPEND_ENTRY_COUNT_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.ENTRY_HEADER_LENGTH;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.ENTRY_LENGTH_OFFSET;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.SNAPSHOT_CHUNK_LENGTH_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderEncoder;
import io.loomcache.protocol.Opcodes;
import io.loomcache.testkit.gen.Gen;
import io.loomcache.testkit.gen.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RaftDecoderRejectionPropertyTest {
    private static final int[] RAFT_OPCODES = {
        Opcodes.APPEND_ENTRIES, Opcodes.APPEND_ENTRIES_RESPONSE, Opcodes.VOTE_REQUEST, Opcodes.VOTE_RESPONSE,
        Opcodes.PRE_VOTE_REQUEST, Opcodes.PRE_VOTE_RESPONSE, Opcodes.INSTALL_SNAPSHOT,
        Opcodes.INSTALL_SNAPSHOT_RESPONSE, Opcodes.TIMEOUT_NOW,
    };

    @Test
    void shouldRejectEveryTruncationOfAValidFrameWithoutReadingPastIt() {
        Property.forAll(300, g -> truncations(new RandomRaftFrames(g).frame(g.ints(0, RandomRaftFrames.KINDS - 1))));
    }

    private static void truncations(final byte[] frame) {
        final UnsafeBuffer whole = new UnsafeBuffer(frame);
        assertEquals(1, RaftFrameChecks.decodeWithEveryDecoder(whole, 0, frame.length));
        for (int length = 0; length < frame.length; length++) {
            assertEquals(0, RaftFrameChecks.decodeWithEveryDecoder(whole, 0, length), "length " + length);
            // The same prefix alone in a buffer of exactly its size, its header telling the truncated length.
            final UnsafeBuffer truncated = new UnsafeBuffer(java.util.Arrays.copyOf(frame, length));
            if (length >= HEADER_LENGTH) {
                truncated.putInt(BODY_LENGTH_OFFSET, length - HEADER_LENGTH, BYTE_ORDER);
            }
            assertEquals(0, RaftFrameChecks.decodeWithEveryDecoder(truncated, 0, length), "patched " + length);
        }
    }

    @Test
    void shouldNeverThrowOnArbitraryBytesOffsetsAndLengths() {
        Property.forAll(1000, g -> arbitraryBytes(g.bytes(600), g.anyInt(), g.anyInt()));
    }

    private static void arbitraryBytes(final byte[] data, final int offset, final int length) {
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        RaftFrameChecks.decodeWithEveryDecoder(buffer, 0, data.length);
        RaftFrameChecks.decodeWithEveryDecoder(buffer, offset, length);
        RaftFrameChecks.decodeWithEveryDecoder(buffer, Math.floorMod(offset, data.length + 1), length);
    }

    @Test
    void shouldNeverThrowOnArbitraryBodiesBehindAValidRaftHeader() {
        Property.forAll(1000, g -> arbitraryBody(g.ints(0, RAFT_OPCODES.length - 1), g.bytes(400)));
    }

    private static void arbitraryBody(final int opcodeIndex, final byte[] body) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADER_LENGTH + body.length]);
        new FrameHeaderEncoder().wrap(buffer, 0).header(RAFT_OPCODES[opcodeIndex], 0, 0, body.length);
        buffer.putBytes(HEADER_LENGTH, body);
        RaftFrameChecks.decodeWithEveryDecoder(buffer, 0, buffer.capacity());
    }

    @Test
    void shouldNeverThrowOnAValidFrameWithCorruptedBytes() {
        Property.forAll(2000, g -> corrupted(new RandomRaftFrames(g).frame(g.ints(0, RandomRaftFrames.KINDS - 1)),
            g.list(1, 4, Gen::anyInt), g.bytes(4, 4)));
    }

    private static void corrupted(final byte[] frame, final List<Integer> positions, final byte[] values) {
        for (int i = 0; i < positions.size(); i++) {
            frame[Math.floorMod(positions.get(i), frame.length)] = values[i];
        }
        RaftFrameChecks.decodeWithEveryDecoder(new UnsafeBuffer(frame), 0, frame.length);
    }

    @Test
    void shouldRejectNegativeEntryLength() {
        Property.forAll(1000, g -> negativeEntryLength(new RandomRaftFrames(g).appendEntries(1), g.ints(
            Integer.MIN_VALUE, -1), g.ints(0, 5)));
    }

    private static void negativeEntryLength(final byte[] frame, final int entryLength, final int entry) {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int count = buffer.getInt(HEADER_LENGTH + APPEND_ENTRY_COUNT_OFFSET, BYTE_ORDER);
        buffer.putInt(entryOffset(buffer, entry % count) + ENTRY_LENGTH_OFFSET, entryLength, BYTE_ORDER);
        assertEquals(ErrorCode.MALFORMED_FRAME, new AppendEntriesDecoder().wrap(buffer, 0, frame.length));
    }

    @Test
    void shouldRejectEntryLengthRunningPastTheFrame() {
        Property.forAll(1000, g -> entryPastTheFrame(new RandomRaftFrames(g).appendEntries(1), g.ints(
            1, Integer.MAX_VALUE), g.ints(0, 5)));
    }

    private static void entryPastTheFrame(final byte[] frame, final int extra, final int entry) {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int count = buffer.getInt(HEADER_LENGTH + APPEND_ENTRY_COUNT_OFFSET, BYTE_ORDER);
        final int entryStart = entryOffset(buffer, entry % count);
        final int index = entryStart + ENTRY_LENGTH_OFFSET;
        final long rest = frame.length - (entryStart + ENTRY_HEADER_LENGTH);
        final int grown = (int)Math.min(Integer.MAX_VALUE, rest + extra);
        buffer.putInt(index, grown, BYTE_ORDER);
        assertEquals(ErrorCode.MALFORMED_FRAME, new AppendEntriesDecoder().wrap(buffer, 0, frame.length));
    }

    @Test
    void shouldRejectNegativeOrWrongEntryCount() {
        Property.forAll(1000, g -> wrongEntryCount(new RandomRaftFrames(g).frame(4), g.anyInt()));
    }

    private static void wrongEntryCount(final byte[] frame, final int entryCount) {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int actual = buffer.getInt(HEADER_LENGTH + APPEND_ENTRY_COUNT_OFFSET, BYTE_ORDER);
        buffer.putInt(HEADER_LENGTH + APPEND_ENTRY_COUNT_OFFSET, entryCount, BYTE_ORDER);
        final AppendEntriesDecoder decoder = new AppendEntriesDecoder();
        final int result = decoder.wrap(buffer, 0, frame.length);
        if (entryCount >= 0 && entryCount <= actual) {
            assertEquals(ErrorCode.NONE, result, "entries after the count are a newer peer's trailing bytes");
            assertEquals(entryCount, decoder.entryCount());
        } else {
            assertEquals(ErrorCode.MALFORMED_FRAME, result);
        }
    }

    @Test
    void shouldRejectNegativeOrWrongChunkLength() {
        Property.forAll(1000, g -> wrongChunkLength(new RandomRaftFrames(g).frame(g.bool() ? 8 : 7), g.anyInt()));
    }

    private static void wrongChunkLength(final byte[] frame, final int chunkLength) {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int actual = buffer.getInt(HEADER_LENGTH + SNAPSHOT_CHUNK_LENGTH_OFFSET, BYTE_ORDER);
        buffer.putInt(HEADER_LENGTH + SNAPSHOT_CHUNK_LENGTH_OFFSET, chunkLength, BYTE_ORDER);
        final int result = new InstallSnapshotDecoder().wrap(buffer, 0, frame.length);
        if (chunkLength >= 0 && chunkLength <= actual) {
            assertEquals(ErrorCode.NONE, result, "chunk bytes after the length are a newer peer's trailing bytes");
        } else {
            assertEquals(ErrorCode.MALFORMED_FRAME, result);
        }
        assertNotEquals(ErrorCode.NONE, new InstallSnapshotDecoder().wrap(buffer, 0, frame.length - 1));
    }

    private static int entryOffset(final UnsafeBuffer buffer, final int entry) {
        int position = APPEND_ENTRIES_HEADER_LENGTH;
        for (int i = 0; i < entry; i++) {
            position += ENTRY_HEADER_LENGTH + buffer.getInt(position + ENTRY_LENGTH_OFFSET, BYTE_ORDER);
        }
        return position;
    }
}
