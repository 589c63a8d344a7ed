package io.loomcache.wal;

import static io.loomcache.wal.Records.append;
import static io.loomcache.wal.Records.entry;
import static io.loomcache.wal.Records.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.loomcache.testkit.Await;

class SegmentSpareTest {
    private static final int SEGMENT_LENGTH = 1024 * 1024;
    private static final int PAYLOAD_LENGTH = 1000;

    @TempDir
    Path directory;

    private WalContext context() {
        return new WalContext().directory(directory).segmentLength(SEGMENT_LENGTH).fsyncPolicy(FsyncPolicy.BATCH);
    }

    @Test
    void shouldPrepareTheNextSegmentInBoundedStepsAndRollOntoItWithoutLosingRecords() throws IOException {
        final Path spareFile = directory.resolve(SegmentSpare.FILE_NAME);
        final List<Records.Entry> expected = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(context())) {
            assertEquals(0, log.prepareNextSegment(), "nothing to prepare while the active segment is nearly empty");
            final long records = 2L * SEGMENT_LENGTH / PAYLOAD_LENGTH;
            final long halfSegment = SEGMENT_LENGTH / 2 / PAYLOAD_LENGTH + 1;
            for (long index = 1; index <= halfSegment; index++) {
                final Records.Entry entry = entry(index, PAYLOAD_LENGTH);
                assertEquals(index, append(log, entry));
                expected.add(entry);
            }
            assertEquals(1, log.prepareNextSegment(), "the preparation starts once the segment is half full");
            assertEquals(0, log.prepareNextSegment(), "and runs on its own thread: nothing more to start");
            Await.until("the spare to be written and forced", log::isSpareReady);
            assertEquals(0, log.prepareNextSegment(), "a ready spare needs nothing");
            assertEquals(SEGMENT_LENGTH, Files.size(spareFile));

            for (long index = halfSegment + 1; index <= records; index++) {
                final Records.Entry entry = entry(index, PAYLOAD_LENGTH);
                assertEquals(index, append(log, entry));
                expected.add(entry);
            }
            assertTrue(log.force() > 0);
            assertFalse(Files.exists(spareFile), "the roll took the spare");
            assertEquals(expected, replay(log, 1));
            for (long index = records + 1; log.prepareNextSegment() == 0; index++) {
                final Records.Entry entry = entry(index, PAYLOAD_LENGTH);
                assertEquals(index, append(log, entry));
                expected.add(entry);
            }
        }
        assertTrue(Files.exists(spareFile), "a spare prepared or under way is left behind at close");
        try (WriteAheadLog reopened = WriteAheadLog.open(context())) {
            assertFalse(Files.exists(spareFile), "open deletes a leftover spare like any temporary file");
            assertEquals(expected, replay(reopened, 1));
        }
    }
}
