package io.loomcache.store;

import org.agrona.DirectBuffer;

/**
 * Receives the live entries of an {@link OffHeapStore} from {@link OffHeapStore#forEachEntry(EntryVisitor)}, e.g.
 * to write a snapshot. Called on the store's owner thread; the buffer is a view of native memory valid only during
 * the call, and the visitor must not call back into the store.
 */
@FunctionalInterface
public interface EntryVisitor {
    /**
     * One live entry.
     *
     * @param entry       view of the entry's memory, valid only during this call.
     * @param keyOffset   of the key in {@code entry}.
     * @param keyLength   of the key in bytes.
     * @param valueOffset of the value in {@code entry}.
     * @param valueLength of the value in bytes.
     * @param expireAtMs  absolute expiry in epoch milliseconds, or 0 when the entry has no TTL.
     */
    void onEntry(
        DirectBuffer entry, int keyOffset, int keyLength, int valueOffset, int valueLength, long expireAtMs);
}
