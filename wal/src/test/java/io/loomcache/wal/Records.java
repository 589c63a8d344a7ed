package io.loomcache.wal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Deterministic test records and a handler that collects what the log replays.
 */
final class Records {
    private Records() {
    }

    /** A record as replayed, payload copied out of the segment. */
    record Entry(int type, long term, long index, byte[] payload) {
        @Override
        public boolean equals(final Object other) {
            return other instanceof Entry that && type == that.type && term == that.term && index == that.index
                && Arrays.equals(payload, that.payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(index) * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Entry[type=" + type + ", term=" + term + ", index=" + index + ", length=" + payload.length + "]";
        }
    }

    static byte[] payload(final long index, final int length) {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte)(index * 131 + i * 7 + 1);
        }
        return bytes;
    }

    static Entry entry(final long index, final int length) {
        return new Entry(typeOf(index), termOf(index), index, payload(index, length));
    }

    static int typeOf(final long index) {
        return (int)(index % 5);
    }

    static long termOf(final long index) {
        return 1 + index / 10;
    }

    static long append(final WriteAheadLog log, final Entry entry) {
        final UnsafeBuffer source = new UnsafeBuffer(entry.payload());
        return log.append(entry.type(), entry.term(), source, 0, entry.payload().length);
    }

    static List<Entry> replay(final WriteAheadLog log, final long fromIndex) {
        final List<Entry> entries = new ArrayList<>();
        log.replay(fromIndex, collector(entries));
        return entries;
    }

    static RecordHandler collector(final List<Entry> entries) {
        return (type, term, index, buffer, offset, length) -> entries.add(copy(type, term, index, buffer, offset,
            length));
    }

    private static Entry copy(
        final int type, final long term, final long index, final DirectBuffer buffer, final int offset,
        final int length) {
        final byte[] payload = new byte[length];
        buffer.getBytes(offset, payload);
        return new Entry(type, term, index, payload);
    }
}
