package io.loomcache.wal;

import org.agrona.DirectBuffer;

/**
 * Receives records read from the log in index order; the payload is a view into the mapped segment.
 * <p>
 * View lifetime: {@code buffer} is the segment's own mapped buffer. Copy what must outlive the call. A buffer kept
 * anyway stays readable only until its segment is removed by {@link WriteAheadLog#deleteSegmentsUpTo},
 * {@link WriteAheadLog#truncateAfter}, {@link WriteAheadLog#reset} or {@link WriteAheadLog#close}; it then has zero
 * capacity and every access throws {@link IndexOutOfBoundsException} instead of touching unmapped memory.
 */
@FunctionalInterface
public interface RecordHandler {
    /**
     * Called once per record. Must not modify the log; rely on the view only during the call.
     *
     * @param type          the caller-defined record type.
     * @param term          the term stored with the record.
     * @param index         the record's log index.
     * @param buffer        the segment buffer holding the payload.
     * @param offset        offset of the payload in {@code buffer}.
     * @param payloadLength payload length in bytes.
     */
    void onRecord(int type, long term, long index, DirectBuffer buffer, int offset, int payloadLength);
}
