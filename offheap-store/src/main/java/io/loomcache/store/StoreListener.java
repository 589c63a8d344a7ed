package io.loomcache.store;

import org.agrona.DirectBuffer;

/**
 * Told by an {@link OffHeapStore}, on its owner thread, when it drops an entry by itself: eviction under the
 * memory cap or expiry of its TTL (lazy or by sweep). Explicit remove and clear are not reported.
 * <p>
 * The key is a view into the store's native memory, valid only during the call. A listener must not call back
 * into the store.
 */
public interface StoreListener {
    /**
     * Listener that ignores every notification.
     */
    StoreListener NO_OP = new StoreListener() {
    };

    /**
     * An entry was evicted to stay under the memory cap.
     *
     * @param keyBuffer holding the key, valid only during this call.
     * @param keyOffset at which the key starts.
     * @param keyLength of the key in bytes.
     */
    default void onEvicted(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
    }

    /**
     * An entry was removed because its TTL had run out.
     *
     * @param keyBuffer holding the key, valid only during this call.
     * @param keyOffset at which the key starts.
     * @param keyLength of the key in bytes.
     */
    default void onExpired(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
    }
}
