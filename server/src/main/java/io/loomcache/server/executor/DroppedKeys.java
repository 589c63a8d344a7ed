package io.loomcache.server.executor;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import io.loomcache.store.StoreListener;

/**
 * The {@link StoreListener} of a persistent executor's store: it copies the key of every entry the store drops by
 * itself (evicted under the memory cap, or expired) so that the executor can log a tombstone for it once the store
 * call has returned; a listener must not call back into the store, and a tombstone must not be appended while the
 * record of the write that caused it is still claimed. Keys are kept in order, each as a little-endian int32 length
 * followed by the key bytes ({@link #KEY_LENGTH_OFFSET}, {@link #KEY_OFFSET}).
 * <p>
 * While {@link #recording()} is false (store recovery) keys are not kept, only counted. Owned by the executor thread
 * (or the thread recovering the store before it); allocation-free except when one store call drops more key bytes
 * than any call before it, which grows the buffer.
 */
public final class DroppedKeys implements StoreListener {
    /** Offset of the key length in a kept entry. */
    public static final int KEY_LENGTH_OFFSET = 0;
    /** Offset of the key bytes in a kept entry. */
    public static final int KEY_OFFSET = KEY_LENGTH_OFFSET + Integer.BYTES;

    private static final int INITIAL_CAPACITY = 4 * 1024;

    private final ExpandableArrayBuffer keys = new ExpandableArrayBuffer(INITIAL_CAPACITY);
    private boolean recording;
    private int limit;
    private int count;
    private long evictions;
    private long expirations;

    @Override
    public void onEvicted(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
        evictions++;
        keep(keyBuffer, keyOffset, keyLength);
    }

    @Override
    public void onExpired(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
        expirations++;
        keep(keyBuffer, keyOffset, keyLength);
    }

    private void keep(final DirectBuffer keyBuffer, final int keyOffset, final int keyLength) {
        if (!recording) {
            return;
        }
        keys.putInt(limit + KEY_LENGTH_OFFSET, keyLength);
        keys.putBytes(limit + KEY_OFFSET, keyBuffer, keyOffset, keyLength);
        limit += KEY_OFFSET + keyLength;
        count++;
    }

    /**
     * Starts or stops keeping keys; counting goes on either way.
     *
     * @param recording true once the store serves requests, false while it is being recovered.
     */
    public void recording(final boolean recording) {
        this.recording = recording;
        clear();
    }

    /**
     * Whether keys are kept.
     *
     * @return true when keys are kept for tombstones.
     */
    public boolean recording() {
        return recording;
    }

    /**
     * Keys kept since the last {@link #clear()}.
     *
     * @return the count.
     */
    public int count() {
        return count;
    }

    /**
     * The buffer holding the kept keys, from 0 to {@link #limit()}.
     *
     * @return the buffer; valid until the next store call.
     */
    public DirectBuffer buffer() {
        return keys;
    }

    /**
     * End of the kept entries in {@link #buffer()}.
     *
     * @return bytes.
     */
    public int limit() {
        return limit;
    }

    /**
     * Forgets the kept keys.
     */
    public void clear() {
        limit = 0;
        count = 0;
    }

    /**
     * Entries evicted since this listener was made, recording or not.
     *
     * @return the count.
     */
    public long evictions() {
        return evictions;
    }

    /**
     * Entries expired since this listener was made, recording or not.
     *
     * @return the count.
     */
    public long expirations() {
        return expirations;
    }
}
