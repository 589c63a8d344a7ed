package io.loomcache.raft.storage;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.raft.EntryType;
import io.loomcache.raft.RaftLog;

/**
 * Deterministic test entries: an entry's type, length and bytes follow from its index and term, so any entry read
 * back can be checked without keeping a copy.
 */
final class LogEntries {
    /** An index whose payload is empty. */
    static final long EMPTY_INDEX = 50;
    static final int MAX_LENGTH = 600;

    private static final UnsafeBuffer SCRATCH = new UnsafeBuffer(new byte[MAX_LENGTH]);

    private LogEntries() {
    }

    static int length(final long index) {
        return index % EMPTY_INDEX == 0 ? 0 : (int)(index * 37 % MAX_LENGTH);
    }

    static int type(final long index) {
        if (index % 17 == 0) {
            return EntryType.CONFIG;
        }
        return index % 10 == 1 ? EntryType.NOOP : EntryType.COMMAND;
    }

    static byte payloadByte(final long index, final long term, final int position) {
        return (byte)(index * 31 + term * 7 + position);
    }

    /** Writes the payload of (index, term) into {@code buffer} at {@code offset}; returns its length. */
    static int fill(final MutableDirectBuffer buffer, final int offset, final long index, final long term) {
        final int length = length(index);
        for (int i = 0; i < length; i++) {
            buffer.putByte(offset + i, payloadByte(index, term, i));
        }
        return length;
    }

    /** Appends the entry (index, term); not thread safe (one scratch buffer). */
    static boolean append(final RaftLog log, final long index, final long term) {
        final int length = fill(SCRATCH, 0, index, term);
        return log.append(index, term, type(index), SCRATCH, 0, length);
    }

    static UnsafeBuffer snapshotBytes(final int length, final int seed) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        for (int i = 0; i < length; i++) {
            buffer.putByte(i, (byte)(i * seed + (i >>> 8)));
        }
        return buffer;
    }

    static byte[] bytes(final UnsafeBuffer buffer, final int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /** Reads the whole snapshot in chunks of {@code chunkLength} bytes. */
    static byte[] readSnapshot(final RaftLog log, final int chunkLength) {
        final int length = log.snapshotLength();
        final UnsafeBuffer whole = new UnsafeBuffer(new byte[length]);
        final UnsafeBuffer chunk = new UnsafeBuffer(new byte[chunkLength]);
        int position = 0;
        while (position < length) {
            final int copied = log.copySnapshot(position, chunk, 0, chunkLength);
            if (copied <= 0) {
                throw new AssertionError("no progress at " + position + " of " + length);
            }
            whole.putBytes(position, chunk, 0, copied);
            position += copied;
        }
        return whole.byteArray();
    }
}
