package io.loomcache.server.executor;

import static io.loomcache.server.executor.WalRecordDescriptor.EXPIRE_AT_MS_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.HEADER_LENGTH;
import static io.loomcache.server.executor.WalRecordDescriptor.KEY_LENGTH_OFFSET;
import static io.loomcache.server.executor.WalRecordDescriptor.VALUE_LENGTH_OFFSET;

import java.io.IOException;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.wal.SnapshotOutput;

/**
 * Writes one store entry into a snapshot body as a {@link WalRecordDescriptor} PUT payload (header, key, value),
 * the layout {@link StoreRecovery} reads back; shared by the whole-store {@link StoreSnapshotWriter} and the
 * executor's {@link IncrementalSnapshot}. One per writing thread; allocation-free.
 */
final class SnapshotEntryWriter {
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[HEADER_LENGTH]);

    /**
     * Writes one entry.
     *
     * @param output the snapshot body.
     * @param entry the store's view of the entry.
     * @param keyOffset of the key in {@code entry}.
     * @param keyLength key bytes.
     * @param valueOffset of the value in {@code entry}.
     * @param valueLength value bytes.
     * @param expireAtMs absolute deadline, 0 for none.
     * @return bytes written.
     * @throws IOException when the file cannot be written.
     */
    int write(
        final SnapshotOutput output,
        final DirectBuffer entry,
        final int keyOffset,
        final int keyLength,
        final int valueOffset,
        final int valueLength,
        final long expireAtMs) throws IOException {
        header.putLong(EXPIRE_AT_MS_OFFSET, expireAtMs);
        header.putInt(KEY_LENGTH_OFFSET, keyLength);
        header.putInt(VALUE_LENGTH_OFFSET, valueLength);
        output.write(header, 0, HEADER_LENGTH);
        output.write(entry, keyOffset, keyLength);
        output.write(entry, valueOffset, valueLength);
        return WalRecordDescriptor.length(keyLength, valueLength);
    }
}
