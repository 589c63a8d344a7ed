package io.loomcache.wal;

/**
 * When a {@link WriteAheadLog} forces its appended bytes to storage on its own; {@link WriteAheadLog#force()}
 * always works on demand whatever the policy.
 */
public enum FsyncPolicy {
    /**
     * The log forces no append by itself and durableIndex stays put; the OS writes pages back when it likes. The
     * crash-ordering forces still happen: a full segment's records when the log rolls, the directory when
     * {@link WriteAheadLog#truncateAfter} or {@link WriteAheadLog#reset} delete segments.
     */
    NONE,
    /** {@link WriteAheadLog#doWork(long)} forces when at least the configured interval has passed since the last. */
    INTERVAL,
    /** Group commit: {@link WriteAheadLog#doWork(long)} forces whenever appends are pending; one force covers all. */
    BATCH
}
