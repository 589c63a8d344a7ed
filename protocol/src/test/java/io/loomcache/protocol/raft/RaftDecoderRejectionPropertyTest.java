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

import io.loomcache.protocol.ErrorCode;
import io.loomcache.protocol.FrameHeaderEncoder;
import io.loomcache.protocol.Opcodes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Negative;
import net.jqwik.api.constraints.Positive;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

class RaftDecoderRejectionPropertyTest {
    private static final int[] RAFT_OPCODES = {
        Opcodes.APPEND_ENTRIES, Opcodes.APPEND_ENTRIES_RESPONSE, Opcodes.VOTE_REQUEST, Opcodes.VOTE_RESPONSE,
        Opcodes.PRE_VOTE_REQUEST, Opcodes.PRE_VOTE_RESPONSE, Opcodes.INSTALL_SNAPSHOT,
        Opcodes.INSTALL_SNAPSHOT_RESPONSE, Opcodes.TIMEOUT_NOW,
    };

    @Property(tries = 300)
    void shouldRejectEveryTruncationOfAValidFrameWithoutReadingPastIt(
        @ForAll final long seed, @ForAll @IntRange(max = RandomRaftFrames.KINDS - 1) final int kind) {
        final byte[] frame = new RandomRaftFrames(seed).frame(kind);
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

    @Property
    void shouldNeverThrowOnArbitraryBytesOffsetsAndLengths(
        @ForAll @Size(max = 600) final byte[] data, @ForAll final int offset, @ForAll final int length) {
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        RaftFrameChecks.decodeWithEveryDecoder(buffer, 0, data.length);
        RaftFrameChecks.decodeWithEveryDecoder(buffer, offset, length);
        RaftFrameChecks.decodeWithEveryDecoder(buffer, Math.floorMod(offset, data.length + 1), length);
    }

    @Property
    void shouldNeverThrowOnArbitraryBodiesBehindAValidRaftHeader(
        @ForAll @IntRange(max = 8) final int opcodeIndex, @ForAll @Size(max = 400) final byte[] body) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADER_LENGTH + body.length]);
        new FrameHeaderEncoder().wrap(buffer, 0).header(RAFT_OPCODES[opcodeIndex], 0, 0, body.length);
        buffer.putBytes(HEADER_LENGTH, body);
        RaftFrameChecks.decodeWithEveryDecoder(buffer, 0, buffer.capacity());
    }

    @Property(tries = 2000)
    void shouldNeverThrowOnAValidFrameWithCorruptedBytes(
        @ForAll final long seed,
        @ForAll @IntRange(max = RandomRaftFrames.KINDS - 1) final int kind,
        @ForAll @Size(min = 1, max = 4) final int[] positions,
        @ForAll @Size(min = 4, max = 4) final byte[] values) {
        final byte[] frame = new RandomRaftFrames(seed).frame(kind);
        for (int i = 0; i < positions.length; i++) {
            frame[Math.floorMod(positions[i], frame.length)] = values[i];
        }
        RaftFrameChecks.decodeWithEveryDecoder(new UnsafeBuffer(frame), 0, frame.length);
    }

    @Property
    void shouldRejectNegativeEntryLength(
        @ForAll final long seed, @ForAll @Negative final int entryLength, @ForAll @IntRange(max = 5) final int entry) {
        final byte[] frame = appendEntriesWithAtLeastOneEntry(seed);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int count = buffer.getInt(HEADER_LENGTH + APPEND_ENTRY_COUNT_OFFSET, BYTE_ORDER);
        buffer.putInt(entryOffset(buffer, entry % count) + ENTRY_LENGTH_OFFSET, entryLength, BYTE_ORDER);
        assertEquals(ErrorCode.MALFORMED_FRAME, new AppendEntriesDecoder().wrap(buffer, 0, frame.length));
    }

    @Property
    void shouldRejectEntryLengthRunningPastTheFrame(
        @ForAll final long seed, @ForAll @Positive final int extra, @ForAll @IntRange(max = 5) final int entry) {
        final byte[] frame = appendEntriesWithAtLeastOneEntry(seed);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int count = buffer.getInt(HEADER_LENGTH + APPEND_ENTRY_COUNT_OFFSET, BYTE_ORDER);
        final int index = entryOffset(buffer, entry % count) + ENTRY_LENGTH_OFFSET;
        final int grown = (int)Math.min(Integer.MAX_VALUE, (long)buffer.getInt(index, BYTE_ORDER) + extra);
        buffer.putInt(index, grown, BYTE_ORDER);
        assertEquals(ErrorCode.MALFORMED_FRAME, new AppendEntriesDecoder().wrap(buffer, 0, frame.length));
    }

    @Property
    void shouldRejectNegativeOrWrongEntryCount(@ForAll final long seed, @ForAll final int entryCount) {
        final byte[] frame = new RandomRaftFrames(seed).frame(4);
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

    @Property
    void shouldRejectNegativeOrWrongChunkLength(
        @ForAll final long seed, @ForAll final boolean claimed, @ForAll final int chunkLength) {
        final byte[] frame = new RandomRaftFrames(seed).frame(claimed ? 8 : 7);
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

    private static byte[] appendEntriesWithAtLeastOneEntry(final long seed) {
        final RandomRaftFrames frames = new RandomRaftFrames(seed);
        byte[] frame = frames.frame(5);
        while (frame.length == APPEND_ENTRIES_HEADER_LENGTH) {
            frame = frames.frame(5);
        }
        return frame;
    }

    private static int entryOffset(final UnsafeBuffer buffer, final int entry) {
        int position = APPEND_ENTRIES_HEADER_LENGTH;
        for (int i = 0; i < entry; i++) {
            position += ENTRY_HEADER_LENGTH + buffer.getInt(position + ENTRY_LENGTH_OFFSET, BYTE_ORDER);
        }
        return position;
    }
}
