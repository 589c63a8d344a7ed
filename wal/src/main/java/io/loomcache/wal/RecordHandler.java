package io.loomcache.wal;

import org.agrona.DirectBuffer;

/**
 * Receives records read from the log in index order; the payload is a view into the mapped segment.
 */
@FunctionalInterface
public interface RecordHandler {
    /**
     * Called once per record. Must not modify the log; the view is valid only during the call.
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
