package io.loomcache.store;

/**
 * What an {@link OffHeapStore} does when an insert would take it over its memory cap.
 */
public enum EvictionPolicy {
    /**
     * Never evict live entries: the write fails with {@link OffHeapStore#STORE_FULL} and nothing changes.
     */
    NONE,

    /**
     * Approximated least recently used (Redis style): sample a few entries, evict the one idle the longest.
     */
    LRU,

    /**
     * Approximated least frequently used (Redis style): sample a few entries, evict the one with the lowest
     * logarithmic access counter after decay.
     */
    LFU
}
