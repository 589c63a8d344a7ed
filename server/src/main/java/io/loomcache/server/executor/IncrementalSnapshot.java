package io.loomcache.server.executor;

import java.io.IOException;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;

import io.loomcache.server.log.NodeLog;
import io.loomcache.server.log.NodeLog.Component;
import io.loomcache.store.EntryVisitor;
import io.loomcache.store.OffHeapStore;
import io.loomcache.wal.SnapshotOutput;
import io.loomcache.wal.WriteAheadLog;

/**
 * A fuzzy checkpoint of an executor's store, taken a bounded step per duty cycle while writes go on, so that no
 * write waits for a whole-store copy.
 * <p>
 * {@link #start()} remembers {@code startIndex = log.lastAppendedIndex()} and opens the snapshot file under a
 * temporary name ({@link WriteAheadLog#beginSnapshot}). Each {@link #doWork()} then walks at most
 * {@link #MAX_BLOCKS_PER_STEP} slab blocks or {@link #MAX_BYTES_PER_STEP} entry bytes of the store
 * ({@link OffHeapStore#forEachEntryFrom}) and writes the live entries as {@link WalRecordDescriptor} PUT payloads
 * (page cache only). When the walk ends the log is forced (so every effect the file holds is durable in the log
 * too) and the file sealed; a sync thread of the log forces it and renames it to the snapshot at {@code startIndex},
 * and a later cycle that sees it published deletes the segments up to {@code startIndex}.
 * <p>
 * <b>Why recovery gives exactly the logged state:</b> the walk visits every entry that was live at the start and
 * not written since, with the value it had at the start (see {@link OffHeapStore#forEachEntryFrom}: blocks never
 * move while unwritten). Every other difference between the file and the store at {@code startIndex} is an entry
 * written, removed, evicted or expired during the walk, whose effect is a log record after {@code startIndex}
 * (the log holds effects, tombstones included). Recovery loads the file and replays the records after
 * {@code startIndex} in order; a PUT or REMOVE sets its key whatever it held, so for each key the last record wins
 * and an untouched key keeps its snapshot value. A walk that has written more entry bytes than the store's memory
 * cap (churn made it collect entries that never lived together) is restarted, and counted in {@link #restarts()},
 * so that a snapshot never needs more room to load than a store could hold.
 * <p>
 * Owned by the executor thread; the getters are for any thread. Allocation-free except when a sync thread starts
 * and on errors.
 */
public final class IncrementalSnapshot implements EntryVisitor {
    /** Most slab block positions one duty cycle walks. */
    public static final int MAX_BLOCKS_PER_STEP = 512;
    /** Entry bytes after which a duty cycle's step ends. */
    public static final int MAX_BYTES_PER_STEP = 64 * 1024;
    /**
     * Pace of the walk: entry bytes it may copy per millisecond of wall time (64 MiB/s), however often the duty cycle
     * runs. Without a pace the walk took what the cycle rate gave it: an executor hosted on an event loop, which runs
     * its cycle again at once while it reports work, spent most of the loop's time copying and durable writes fell
     * to less than half. At this pace a store of 1 GiB is walked in 16 s, the copy costs a few percent of a core, and
     * the log it covers grows meanwhile.
     */
    public static final long BYTES_PER_MS = 64 * 1024;
    /**
     * Milliseconds of pace the walk may bank, so that cycles that come late (a timer or a park that overshoots) still
     * get the full pace over time, spread over several steps of at most {@link #MAX_BYTES_PER_STEP}.
     */
    private static final long MAX_CREDIT_MS = 4;
    /** Credit below which a step is not worth taking. */
    private static final long MIN_STEP_BYTES = 4 * 1024;
    private static final long NANOS_PER_MS = 1_000_000L;

    private final OffHeapStore store;
    private final WriteAheadLog log;
    private final NanoClock nanoClock;
    private final NodeLog nodeLog;
    private final String site;
    private final int maxBlocksPerStep;
    private final int maxBytesPerStep;
    private final boolean paced;
    private final SnapshotEntryWriter entryWriter = new SnapshotEntryWriter();
    private SnapshotOutput output;
    private IOException writeError;
    private int cursor = OffHeapStore.WALK_DONE;
    private boolean syncing;
    private long startIndex;
    private long startNs;
    private long credit;
    private long creditNs;
    private long entries;
    private long bytes;
    private volatile boolean inProgress;
    private volatile long snapshots;
    private volatile long restarts;
    private volatile long failures;
    private volatile long lastDurationNs;
    private volatile long lastEntries;

    /**
     * Creates the task for one executor.
     *
     * @param store the executor's store.
     * @param log the executor's log.
     * @param nanoClock times a snapshot, for {@link #lastDurationNs()}.
     * @param nodeLog where failures are reported.
     * @param roleName the executor's name, for messages.
     */
    public IncrementalSnapshot(
        final OffHeapStore store, final WriteAheadLog log, final NanoClock nanoClock, final NodeLog nodeLog,
        final String roleName) {
        this(store, log, nanoClock, nodeLog, roleName, MAX_BLOCKS_PER_STEP, MAX_BYTES_PER_STEP, true);
    }

    /**
     * Creates the task with other step bounds, for tests that interleave writes with many small steps; unpaced
     * unless asked, so that each {@link #doWork()} takes a whole step whatever the clock says.
     */
    IncrementalSnapshot(
        final OffHeapStore store, final WriteAheadLog log, final NanoClock nanoClock, final NodeLog nodeLog,
        final String roleName, final int maxBlocksPerStep, final int maxBytesPerStep, final boolean paced) {
        this.maxBlocksPerStep = maxBlocksPerStep;
        this.maxBytesPerStep = maxBytesPerStep;
        this.paced = paced;
        this.store = store;
        this.log = log;
        this.nanoClock = nanoClock;
        this.nodeLog = nodeLog;
        this.site = roleName + " snapshot";
    }

    /**
     * Starts a snapshot at the log's last appended index unless one is in progress.
     *
     * @return true when one started; false when one is in progress or the file could not be created (reported).
     */
    public boolean start() {
        if (inProgress) {
            return false;
        }
        startNs = nanoClock.nanoTime();
        creditNs = startNs;
        credit = maxBytesPerStep;
        if (!begin()) {
            return false;
        }
        inProgress = true;
        return true;
    }

    /**
     * One bounded step: walks a piece of the store into the file, or seals the file at the end of the walk, or
     * polls the sync thread (one volatile read) and, once the snapshot is published, deletes the covered segments.
     * Once the log has failed, the snapshot in progress is abandoned.
     *
     * @return 1 when it did some work, else 0.
     */
    public int doWork() {
        if (!inProgress) {
            return 0;
        }
        if (log.isFailed()) {
            fail(log.lastError());
            return 1;
        }
        if (syncing) {
            return poll();
        }
        long stepBytes = maxBytesPerStep;
        if (paced) {
            final long nowNs = nanoClock.nanoTime();
            final long earned = (nowNs - creditNs) * BYTES_PER_MS / NANOS_PER_MS;
            credit += earned;
            if (credit >= MAX_CREDIT_MS * BYTES_PER_MS) {
                // a long pause is not made up in a burst
                credit = MAX_CREDIT_MS * BYTES_PER_MS;
                creditNs = nowNs;
            } else {
                // only the time turned into credit is spent: calls closer together than a byte's worth still add up
                creditNs += earned * NANOS_PER_MS / BYTES_PER_MS;
            }
            if (credit < MIN_STEP_BYTES) {
                return 0;
            }
            stepBytes = Math.min(credit, maxBytesPerStep);
        }
        final long bytesBefore = bytes;
        cursor = store.forEachEntryFrom(cursor, maxBlocksPerStep, stepBytes, this);
        credit -= bytes - bytesBefore;
        if (writeError != null) {
            fail(writeError);
        } else if (bytes > store.maxMemoryBytes()) {
            log.abandonSnapshot();
            restarts++;
            if (!begin()) {
                inProgress = false;
            }
        } else if (cursor == OffHeapStore.WALK_DONE) {
            seal();
        }
        return 1;
    }

    /**
     * Drops the snapshot in progress, if any (its temporary file is deleted; the log keeps every segment).
     */
    public void abandon() {
        if (inProgress) {
            log.abandonSnapshot();
            inProgress = false;
            syncing = false;
            output = null;
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
        if (writeError != null) {
            return;
        }
        try {
            bytes += entryWriter.write(output, entry, keyOffset, keyLength, valueOffset, valueLength, expireAtMs);
        } catch (final IOException ex) {
            writeError = ex;
            return;
        }
        entries++;
    }

    /**
     * Bytes the snapshot in progress has written so far (the last one's, when none is); the executor thread.
     *
     * @return bytes of entries and their headers.
     */
    long bytesWritten() {
        return bytes;
    }

    /**
     * Whether a snapshot is being walked or synced; any thread.
     *
     * @return true while one is in progress.
     */
    public boolean inProgress() {
        return inProgress;
    }

    /**
     * Snapshots published since start; any thread.
     *
     * @return the count.
     */
    public long snapshots() {
        return snapshots;
    }

    /**
     * Walks restarted because they had collected more entry bytes than the memory cap; any thread.
     *
     * @return the count.
     */
    public long restarts() {
        return restarts;
    }

    /**
     * Snapshots given up on an I/O error (reported to the node log); any thread.
     *
     * @return the count.
     */
    public long failures() {
        return failures;
    }

    /**
     * From the start of the last published snapshot to its publication, restarts included; any thread.
     *
     * @return nanoseconds, 0 before the first.
     */
    public long lastDurationNs() {
        return lastDurationNs;
    }

    /**
     * Entries in the last published snapshot; any thread.
     *
     * @return the count.
     */
    public long lastEntries() {
        return lastEntries;
    }

    private boolean begin() {
        startIndex = log.lastAppendedIndex();
        try {
            output = log.beginSnapshot(startIndex, 0);
        } catch (final IOException | RuntimeException ex) {
            failures++;
            nodeLog.error(Component.EXECUTOR, site, ex);
            return false;
        }
        cursor = OffHeapStore.WALK_START;
        entries = 0;
        bytes = 0;
        writeError = null;
        return true;
    }

    private void seal() {
        output = null;
        if (log.force() < 0) {
            fail(log.lastError());
            return;
        }
        try {
            log.sealSnapshot();
        } catch (final IOException | RuntimeException ex) {
            failures++;
            inProgress = false;
            nodeLog.error(Component.EXECUTOR, site, ex);
            return;
        }
        syncing = true;
    }

    private int poll() {
        final int state = log.pollSnapshot();
        if (state == WriteAheadLog.SNAPSHOT_SYNCING) {
            return 0;
        }
        syncing = false;
        inProgress = false;
        if (state != WriteAheadLog.SNAPSHOT_PUBLISHED) {
            failures++;
            nodeLog.error(Component.EXECUTOR, site, log.lastSnapshotError() != null ? log.lastSnapshotError() :
                new IOException("snapshot ended in state " + state));
            return 1;
        }
        lastEntries = entries;
        lastDurationNs = nanoClock.nanoTime() - startNs;
        snapshots++;
        try {
            log.deleteSegmentsUpTo(startIndex);
        } catch (final IOException ex) {
            nodeLog.error(Component.EXECUTOR, site, ex);
        }
        return 1;
    }

    private void fail(final IOException error) {
        log.abandonSnapshot();
        output = null;
        failures++;
        syncing = false;
        inProgress = false;
        nodeLog.error(Component.EXECUTOR, site, error != null ? error : new IOException("the WAL failed"));
    }
}
