package io.loomcache.server.executor;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.agrona.DirectBuffer;

import io.loomcache.store.EntryVisitor;
import io.loomcache.store.OffHeapStore;
import io.loomcache.wal.SnapshotOutput;
import io.loomcache.wal.SnapshotWriter;

/**
 * Writes every live entry of a store into a WAL snapshot body as {@link WalRecordDescriptor} PUT payloads, by
 * {@link OffHeapStore#forEachEntry}, in one call whose time grows with the store's size: used for the snapshot
 * written once after recovery, before the executor thread runs ({@link ExecutorGroup}); the executor's periodic
 * snapshots are {@link IncrementalSnapshot}s. Allocation-free unless writing fails.
 */
public final class StoreSnapshotWriter implements SnapshotWriter, EntryVisitor {
    private final OffHeapStore store;
    private final SnapshotEntryWriter entryWriter = new SnapshotEntryWriter();
    private SnapshotOutput output;
    private long entries;

    /**
     * Creates a writer for one store.
     *
     * @param store the executor's store.
     */
    public StoreSnapshotWriter(final OffHeapStore store) {
        this.store = store;
    }

    @Override
    public void write(final SnapshotOutput output) throws IOException {
        this.output = output;
        entries = 0;
        try {
            store.forEachEntry(this);
        } catch (final UncheckedIOException ex) {
            throw ex.getCause();
        } finally {
            this.output = null;
        }
    }

    @Override
    public void onEntry(
        final DirectBuffer entry,
        final int keyOffset,
        final int keyLength,
        final int valueOffset,
        final int valueLength,
        final long expireAtMs) {
        try {
            entryWriter.write(output, entry, keyOffset, keyLength, valueOffset, valueLength, expireAtMs);
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
        entries++;
    }

    /**
     * Entries written by the last snapshot.
     *
     * @return the count.
     */
    public long entries() {
        return entries;
    }
}
