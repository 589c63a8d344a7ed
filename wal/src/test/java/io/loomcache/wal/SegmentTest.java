package io.loomcache.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentTest {
    private static final int SEGMENT_LENGTH = 64 * 1024;
    private static final int FRAME_LENGTH = 2000;
    private static final int RECORDS = 9;

    @TempDir
    Path directory;

    @Test
    void shouldKeepEveryMutableFieldPrivateSoThatOnlySegmentMethodsChangeItsState() {
        for (final Field field : Segment.class.getDeclaredFields()) {
            final int modifiers = field.getModifiers();
            if (!Modifier.isStatic(modifiers) && !Modifier.isFinal(modifiers)) {
                assertTrue(Modifier.isPrivate(modifiers), "mutable field " + field.getName() + " must be private");
            }
        }
    }

    @Test
    void shouldDirtyExactlyThePagesHoldingRecordsWithoutChangingAByte() throws IOException {
        final Segment segment = SegmentFiles.create(directory, 1, SEGMENT_LENGTH);
        try {
            final CRC32C crc = new CRC32C();
            for (int i = 0; i < RECORDS; i++) {
                segment.buffer.setMemory(segment.tail() + RecordDescriptor.HEADER_LENGTH,
                    FRAME_LENGTH - RecordDescriptor.HEADER_LENGTH, (byte)(i + 1));
                segment.commit(FRAME_LENGTH, 1, 1, 1 + i, crc);
            }
            Syncer.system().forceMapping(segment.mapping, segment.file);
            segment.markClean();
            assertEquals(0, MappedPages.dirtyKilobytes(segment.file));
            final byte[] before = new byte[SEGMENT_LENGTH];
            segment.buffer.getBytes(0, before);

            final int pages = segment.dirtyRecordPages();

            final int expectedPages = (RECORDS * FRAME_LENGTH + Segment.MIN_PAGE_LENGTH - 1) / Segment.MIN_PAGE_LENGTH;
            assertEquals(expectedPages, pages);
            assertTrue(segment.isDirty());
            // The page cache may track dirtiness per large folio (ext4 on 6.x kernels, pages written by the zero
            // fill), so at least every record page is dirty, possibly its folio neighbours too.
            final long dirtyKilobytes = MappedPages.dirtyKilobytes(segment.file);
            assertTrue(dirtyKilobytes >= expectedPages * (Segment.MIN_PAGE_LENGTH / 1024L),
                "dirty KiB " + dirtyKilobytes + " for " + expectedPages + " record pages");
            final byte[] after = new byte[SEGMENT_LENGTH];
            segment.buffer.getBytes(0, after);
            assertArrayEquals(before, after);
        } finally {
            segment.close();
        }
    }

    @Test
    void shouldPointTheBufferAtZeroBytesBeforeUnmapping() throws IOException {
        final Segment segment = SegmentFiles.create(directory, 1, SEGMENT_LENGTH);
        segment.close();
        segment.close();
        assertEquals(0, segment.buffer.capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> segment.buffer.getLong(0));
    }
}
