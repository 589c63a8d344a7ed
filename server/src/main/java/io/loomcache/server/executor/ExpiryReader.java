package io.loomcache.server.executor;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.loomcache.store.EntryDescriptor;
import io.loomcache.store.OffHeapStore;

/**
 * Reads a live entry's absolute deadline, which {@link OffHeapStore} has no getter for yet: the value view that
 * {@link OffHeapStore#getView} returns points into the entry laid out by the store's public
 * {@link EntryDescriptor}, whose header sits {@link EntryDescriptor#valueOffset(int)} bytes before the value.
 * Used by MAP_TTL, by MAP_REPLACE (which keeps the TTL, and compares the value before claiming a WAL record) and by
 * the read-modify-writes that keep a TTL or read the value (MAP_INCREMENT, MAP_APPEND, MAP_SET_RANGE, MAP_PERSIST,
 * MAP_PUT_KEEP_TTL).
 * Counts as a read of the entry (hit, LRU/LFU touch). Owned by the executor thread; allocation-free.
 */
final class ExpiryReader {
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);

    /**
     * The value of the entry the last {@link #read} found, valid until the next call into the store.
     *
     * @return a view of the value.
     */
    UnsafeBuffer value() {
        return valueView;
    }

    /**
     * The deadline of a key.
     *
     * @param store the store.
     * @param key buffer holding the key.
     * @param keyOffset offset of the key.
     * @param keyLength key bytes.
     * @param entryView a spare view to wrap over the entry header.
     * @return epoch ms, 0 for no TTL, or -1 when the key has no live entry.
     */
    long read(
        final OffHeapStore store,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final UnsafeBuffer entryView) {
        if (store.getView(key, keyOffset, keyLength, valueView) < 0) {
            return -1;
        }
        final long entryAddress = valueView.addressOffset() - EntryDescriptor.valueOffset(keyLength);
        entryView.wrap(entryAddress, EntryDescriptor.HEADER_LENGTH);
        return entryView.getLong(EntryDescriptor.EXPIRE_AT_MS_OFFSET);
    }
}
