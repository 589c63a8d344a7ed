package io.loomcache.wal;

/**
 * When a {@link WriteAheadLog} forces its appended bytes to storage on its own; {@link WriteAheadLog#force()}
 * always works on demand whatever the policy.
 */
public enum FsyncPolicy {
    /** The log never forces by itself; the OS writes pages back when it likes and durableIndex stays put. */
    NONE,
    /** {@link WriteAheadLog#doWork(long)} forces when at least the configured interval has passed since the last. */
    INTERVAL,
    /** Group commit: {@link WriteAheadLog#doWork(long)} forces whenever appends are pending; one force covers all. */
    BATCH
}
