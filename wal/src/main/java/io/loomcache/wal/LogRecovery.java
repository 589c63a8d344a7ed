package io.loomcache.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Rebuilds the segment list when a log opens: keeps the longest chain of intact records and removes the rest.
 * <ul>
 *   <li>In each segment, records are read while length, type, index and CRC32C are valid; the first invalid or
 *   zero-length frame ends the log there and every non-zero byte after it is zeroed (torn or corrupt tail).</li>
 *   <li>Segments after a segment that ended that way are deleted: their records follow a hole.</li>
 *   <li>A segment whose base index does not follow the previous sealed segment means a deletion from the front
 *   or a reset was interrupted; the segments before it are the stale ones and are deleted.</li>
 * </ul>
 */
final class LogRecovery {
    private LogRecovery() {
    }

    /**
     * Opens and checks every segment in the directory, adding the kept ones to {@code segments} in order.
     *
     * @return true when a file was deleted, so the directory needs an fsync.
     * @throws IOException when a segment cannot be opened, mapped or deleted; the segments added stay in the list.
     */
    static boolean recover(
        final Path directory, final int segmentLength, final CRC32C crc, final List<Segment> segments)
        throws IOException {
        final long[] bases = SegmentFiles.list(directory);
        boolean directoryChanged = false;
        for (int i = 0; i < bases.length; i++) {
            final Segment segment = SegmentFiles.open(directory, bases[i], segmentLength);
            final int outcome = segment.recover(crc);
            if (!segments.isEmpty() && segments.getLast().lastIndex + 1 != segment.baseIndex) {
                deleteAll(segments);
                directoryChanged = true;
            }
            segments.add(segment);
            if (outcome == Segment.OPEN_END) {
                segment.zeroFrom(segment.tail);
                for (int j = bases.length - 1; j > i; j--) {
                    Files.delete(SegmentFiles.path(directory, bases[j]));
                    directoryChanged = true;
                }
                break;
            }
        }
        return directoryChanged;
    }

    private static void deleteAll(final List<Segment> segments) throws IOException {
        while (!segments.isEmpty()) {
            final Segment stale = segments.removeLast();
            stale.close();
            Files.delete(stale.file);
        }
    }
}
