package io.loomcache.jmh;

import static io.loomcache.wal.RecordDescriptor.BYTE_ORDER;
import static io.loomcache.wal.RecordDescriptor.CRC_OFFSET;
import static io.loomcache.wal.RecordDescriptor.FRAME_LENGTH_OFFSET;
import static io.loomcache.wal.RecordDescriptor.INDEX_OFFSET;
import static io.loomcache.wal.RecordDescriptor.alignedLength;
import static io.loomcache.wal.RecordDescriptor.frameLength;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.loomcache.testkit.Cleanup;

/**
 * The two mappings behind {@link MappedLogBenchmark} do the same work: the same records give byte-identical files in
 * the WAL's layout (CRC32C checked here independently), a full segment answers FULL, and a rewind starts over at 0.
 */
class MappedRecordLogTest {
    private static final int CAPACITY = 64 * 1024;
    private static final int PAYLOAD_LENGTH = 100;

    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    @Test
    void shouldWriteTheSameRecordsInTheWalLayoutThroughBothMappings() throws IOException {
        final Path dir = cleanup.tempDir();
        final byte[] ffm = fill(dir.resolve("ffm.log"), true);
        final byte[] chronicle = fill(dir.resolve("chronicle.log"), false);
        assertArrayEquals(ffm, chronicle);

        final ByteBuffer file = ByteBuffer.wrap(ffm).order(BYTE_ORDER);
        final int recordLength = alignedLength(frameLength(PAYLOAD_LENGTH));
        final int records = CAPACITY / recordLength;
        for (int i = 0; i < records; i++) {
            final int position = i * recordLength;
            final int frameLength = file.getInt(position + FRAME_LENGTH_OFFSET);
            assertEquals(frameLength(PAYLOAD_LENGTH), frameLength);
            final CRC32C crc = new CRC32C();
            crc.update(ffm, position + FRAME_LENGTH_OFFSET, frameLength - FRAME_LENGTH_OFFSET);
            assertEquals((int)crc.getValue(), file.getInt(position + CRC_OFFSET), "record " + i);
            final long expectedIndex = i < 3 ? records + 1 + i : i + 1;
            assertEquals(expectedIndex, file.getLong(position + INDEX_OFFSET), "record " + i);
        }
        assertNotEquals(0, file.getInt(CRC_OFFSET));
    }

    /**
     * Appends until FULL, forcing every 16, rewinds, appends three more (over the first three), forces, closes.
     */
    private byte[] fill(final Path file, final boolean ffm) throws IOException {
        MappedRecordLog.preallocate(file, CAPACITY);
        final byte[] payload = new byte[PAYLOAD_LENGTH];
        for (int i = 0; i < PAYLOAD_LENGTH; i++) {
            payload[i] = (byte)(i * 7);
        }
        final MappedRecordLog log = cleanup.add(ffm ? new FfmRecordLog(file, CAPACITY)
            : new ChronicleRecordLog(file, CAPACITY));
        long index = 1;
        while (log.append(1, 3, index, payload, PAYLOAD_LENGTH) != MappedRecordLog.FULL) {
            if (index++ % 16 == 0) {
                log.force();
            }
        }
        log.force();
        log.rewind();
        for (int i = 0; i < 3; i++) {
            assertEquals(i * alignedLength(frameLength(PAYLOAD_LENGTH)), log.append(1, 3, index++, payload,
                PAYLOAD_LENGTH));
        }
        log.force();
        log.close();
        return Files.readAllBytes(file);
    }
}
