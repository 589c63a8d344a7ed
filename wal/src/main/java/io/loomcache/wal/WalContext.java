package io.loomcache.wal;

import java.nio.file.Path;
import java.util.Objects;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * Configuration of a {@link WriteAheadLog}: set with the fluent setters, then {@link #conclude()} validates it.
 * Not thread safe; hand it to {@link WriteAheadLog#open(WalContext)} and do not change it afterwards.
 */
public final class WalContext {
    /** Default size in bytes of a segment file: 64 MiB. */
    public static final int DEFAULT_SEGMENT_LENGTH = 64 * 1024 * 1024;
    /** Smallest segment size accepted, in bytes. */
    public static final int MIN_SEGMENT_LENGTH = 4 * RecordDescriptor.HEADER_LENGTH;
    /** Largest segment size accepted, in bytes (1 GiB); one segment is one mapping. */
    public static final int MAX_SEGMENT_LENGTH = 1024 * 1024 * 1024;
    /** Default interval of {@link FsyncPolicy#INTERVAL} in milliseconds. */
    public static final long DEFAULT_FSYNC_INTERVAL_MS = 10;
    /** Default number of snapshot files kept, newest first. */
    public static final int DEFAULT_SNAPSHOTS_TO_RETAIN = 2;

    private Path directory;
    private int segmentLength = DEFAULT_SEGMENT_LENGTH;
    private FsyncPolicy fsyncPolicy = FsyncPolicy.BATCH;
    private long fsyncIntervalMs = DEFAULT_FSYNC_INTERVAL_MS;
    private Syncer syncer = Syncer.system();
    private EpochClock epochClock = SystemEpochClock.INSTANCE;
    private int snapshotsToRetain = DEFAULT_SNAPSHOTS_TO_RETAIN;

    /**
     * Checks every setting and returns this context.
     *
     * @return this.
     * @throws IllegalStateException naming the first invalid setting.
     */
    public WalContext conclude() {
        if (directory == null) {
            throw new IllegalStateException("directory is not set");
        }
        if (segmentLength < MIN_SEGMENT_LENGTH || segmentLength > MAX_SEGMENT_LENGTH
            || segmentLength % RecordDescriptor.ALIGNMENT != 0) {
            throw new IllegalStateException("segmentLength must be a multiple of " + RecordDescriptor.ALIGNMENT
                + " in [" + MIN_SEGMENT_LENGTH + ", " + MAX_SEGMENT_LENGTH + "]: " + segmentLength);
        }
        if (fsyncIntervalMs < 0) {
            throw new IllegalStateException("fsyncIntervalMs must not be negative: " + fsyncIntervalMs);
        }
        if (snapshotsToRetain < 1) {
            throw new IllegalStateException("snapshotsToRetain must be at least 1: " + snapshotsToRetain);
        }
        Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
        Objects.requireNonNull(syncer, "syncer");
        Objects.requireNonNull(epochClock, "epochClock");
        return this;
    }

    /**
     * Sets the directory holding segment and snapshot files; created when missing.
     *
     * @param directory the log directory.
     * @return this.
     */
    public WalContext directory(final Path directory) {
        this.directory = directory;
        return this;
    }

    /**
     * The directory holding segment and snapshot files.
     *
     * @return the log directory, or null when not set.
     */
    public Path directory() {
        return directory;
    }

    /**
     * Sets the size in bytes of new segment files; existing segments keep their own size.
     *
     * @param segmentLength bytes, a multiple of 8 in [{@link #MIN_SEGMENT_LENGTH}, {@link #MAX_SEGMENT_LENGTH}].
     * @return this.
     */
    public WalContext segmentLength(final int segmentLength) {
        this.segmentLength = segmentLength;
        return this;
    }

    /**
     * The size in bytes of new segment files.
     *
     * @return segment length in bytes.
     */
    public int segmentLength() {
        return segmentLength;
    }

    /**
     * Sets when the log forces on its own.
     *
     * @param fsyncPolicy the policy; default {@link FsyncPolicy#BATCH}.
     * @return this.
     */
    public WalContext fsyncPolicy(final FsyncPolicy fsyncPolicy) {
        this.fsyncPolicy = fsyncPolicy;
        return this;
    }

    /**
     * When the log forces on its own.
     *
     * @return the fsync policy.
     */
    public FsyncPolicy fsyncPolicy() {
        return fsyncPolicy;
    }

    /**
     * Sets the interval of {@link FsyncPolicy#INTERVAL}.
     *
     * @param fsyncIntervalMs milliseconds between forces, not negative.
     * @return this.
     */
    public WalContext fsyncIntervalMs(final long fsyncIntervalMs) {
        this.fsyncIntervalMs = fsyncIntervalMs;
        return this;
    }

    /**
     * The interval of {@link FsyncPolicy#INTERVAL}.
     *
     * @return milliseconds between forces.
     */
    public long fsyncIntervalMs() {
        return fsyncIntervalMs;
    }

    /**
     * Sets the hook that forces bytes to storage; tests inject faults here.
     *
     * @param syncer the syncer; default {@link Syncer#system()}.
     * @return this.
     */
    public WalContext syncer(final Syncer syncer) {
        this.syncer = syncer;
        return this;
    }

    /**
     * The hook that forces bytes to storage.
     *
     * @return the syncer.
     */
    public Syncer syncer() {
        return syncer;
    }

    /**
     * Sets the clock read once at open to start the first {@link FsyncPolicy#INTERVAL} period.
     *
     * @param epochClock milliseconds clock; default the system clock.
     * @return this.
     */
    public WalContext epochClock(final EpochClock epochClock) {
        this.epochClock = epochClock;
        return this;
    }

    /**
     * The clock read at open.
     *
     * @return the epoch clock.
     */
    public EpochClock epochClock() {
        return epochClock;
    }

    /**
     * Sets how many snapshot files are kept; older ones are deleted after each snapshot written.
     *
     * @param snapshotsToRetain at least 1.
     * @return this.
     */
    public WalContext snapshotsToRetain(final int snapshotsToRetain) {
        this.snapshotsToRetain = snapshotsToRetain;
        return this;
    }

    /**
     * How many snapshot files are kept.
     *
     * @return the retention count.
     */
    public int snapshotsToRetain() {
        return snapshotsToRetain;
    }
}
