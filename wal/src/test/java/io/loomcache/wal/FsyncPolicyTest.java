package io.loomcache.wal;

import static io.loomcache.wal.Records.append;
import static io.loomcache.wal.Records.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsyncPolicyTest {
    private static final long START_MS = 1_000_000;
    private static final long INTERVAL_MS = 50;

    @TempDir
    Path directory;

    private final RecordingSyncer syncer = new RecordingSyncer();
    private final CachedEpochClock clock = new CachedEpochClock();

    private WriteAheadLog open(final FsyncPolicy policy) throws IOException {
        clock.update(START_MS);
        return WriteAheadLog.open(new WalContext().directory(directory).segmentLength(4096).fsyncPolicy(policy)
            .fsyncIntervalMs(INTERVAL_MS).syncer(syncer).epochClock(clock));
    }

    @Test
    void whenBatchPolicy_thenDurableIndexAdvancesOnlyAfterOneForceCoveringAllAppends() throws IOException {
        try (WriteAheadLog log = open(FsyncPolicy.BATCH)) {
            assertEquals(0, log.durableIndex());
            final int forcesAtOpen = syncer.mappingForces;
            for (long index = 1; index <= 5; index++) {
                append(log, entry(index, 40));
            }
            assertEquals(5, log.lastAppendedIndex());
            assertEquals(0, log.durableIndex());
            assertEquals(forcesAtOpen, syncer.mappingForces);
            assertEquals(1, log.doWork(START_MS));
            assertEquals(forcesAtOpen + 1, syncer.mappingForces);
            assertEquals(5, log.durableIndex());
            assertEquals(0, log.doWork(START_MS + 1));
            assertEquals(forcesAtOpen + 1, syncer.mappingForces);
            append(log, entry(6, 40));
            assertEquals(5, log.durableIndex());
            assertEquals(6, log.force());
            assertEquals(6, log.durableIndex());
        }
    }

    @Test
    void whenNonePolicy_thenLogNeverForcesByItselfAndReportsNothingDurable() throws IOException {
        try (WriteAheadLog log = open(FsyncPolicy.NONE)) {
            for (long index = 1; index <= 3; index++) {
                append(log, entry(index, 40));
            }
            assertEquals(0, log.doWork(START_MS + 1_000_000));
            assertEquals(0, syncer.mappingForces);
            assertEquals(0, syncer.channelForces);
            assertEquals(0, log.durableIndex());
            assertEquals(3, log.lastAppendedIndex());
            assertEquals(3, log.force());
            assertEquals(3, log.durableIndex());
            assertEquals(1, syncer.mappingForces);
        }
        try (WriteAheadLog log = open(FsyncPolicy.NONE)) {
            assertEquals(3, log.lastAppendedIndex());
            assertEquals(0, log.durableIndex());
        }
    }

    @Test
    void whenIntervalPolicy_thenDoWorkForcesOnlyOnceTheIntervalHasPassed() throws IOException {
        try (WriteAheadLog log = open(FsyncPolicy.INTERVAL)) {
            final int forcesAtOpen = syncer.mappingForces;
            append(log, entry(1, 40));
            assertEquals(0, log.doWork(START_MS + INTERVAL_MS - 1));
            assertEquals(0, log.durableIndex());
            assertEquals(1, log.doWork(START_MS + INTERVAL_MS));
            assertEquals(1, log.durableIndex());
            assertEquals(forcesAtOpen + 1, syncer.mappingForces);
            append(log, entry(2, 40));
            assertEquals(0, log.doWork(START_MS + INTERVAL_MS + 10));
            assertEquals(1, log.durableIndex());
            assertEquals(1, log.doWork(START_MS + 2 * INTERVAL_MS));
            assertEquals(2, log.durableIndex());
            assertEquals(0, log.doWork(START_MS + 10 * INTERVAL_MS));
            assertEquals(forcesAtOpen + 2, syncer.mappingForces);
        }
    }

    @Test
    void whenReopenedWithAForcingPolicy_thenRecoveredRecordsAreForcedAndReportedDurable() throws IOException {
        try (WriteAheadLog log = open(FsyncPolicy.NONE)) {
            for (long index = 1; index <= 4; index++) {
                append(log, entry(index, 40));
            }
        }
        try (WriteAheadLog log = open(FsyncPolicy.BATCH)) {
            assertEquals(1, syncer.mappingForces);
            assertEquals(4, log.durableIndex());
            assertEquals(4, log.lastAppendedIndex());
        }
    }

    @Test
    void whenSegmentRolls_thenItsRecordsAreForcedBeforeTheNextSegmentAndTheNextForceSyncsTheRest() throws IOException {
        try (WriteAheadLog log = open(FsyncPolicy.BATCH)) {
            final int mappingAtOpen = syncer.mappingForces;
            final int channelAtOpen = syncer.channelForces;
            for (long index = 1; index <= 60; index++) {
                append(log, entry(index, 200));
            }
            final int rolls = 3;
            assertEquals(mappingAtOpen + rolls, syncer.mappingForces);
            assertEquals(channelAtOpen, syncer.channelForces);
            assertEquals(0, log.durableIndex());
            assertEquals(60, log.force());
            assertEquals(channelAtOpen + 1, syncer.channelForces);
            assertEquals(mappingAtOpen + rolls + 4, syncer.mappingForces);
        }
    }
}
