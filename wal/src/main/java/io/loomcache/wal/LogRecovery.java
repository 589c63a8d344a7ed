package io.loomcache.wal;

import static io.loomcache.wal.RecordDescriptor.HEADER_LENGTH;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Rebuilds the segment list when a log opens: keeps the longest chain of intact records, removes what a crash left
 * behind, and refuses to open over corruption that would lose records.
 * <ul>
 *   <li>In each segment, records are read while length, type, index and CRC32C are valid.</li>
 *   <li>The last segment file may end in a torn write: its first invalid or zero-length frame ends the log and
 *   every non-zero byte after it is zeroed.</li>
 *   <li>Any other segment had all its records forced before the next segment file was created (see
 *   {@link WriteAheadLog}), so only its padding header can be missing or torn. When nothing but zeros (or part of
 *   that header) follows its last intact record, a roll or reset was interrupted before its force completed and the
 *   later segments, which hold no acknowledged record, are deleted. Anything else is corruption in the middle of
 *   the log: recovery throws an {@link IOException} naming the file and offset and deletes nothing.</li>
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
     * @throws IOException when a segment cannot be opened, mapped or deleted, or when a segment other than the last
     *     is corrupt; the segments added stay in the list for the caller to close.
     */
    static boolean recover(
        final Path directory, final int segmentLength, final CRC32C crc, final List<Segment> segments)
        throws IOException {
        final long[] bases = SegmentFiles.list(directory);
        boolean directoryChanged = false;
        for (int i = 0; i < bases.length; i++) {
            final Segment segment = SegmentFiles.open(directory, bases[i], segmentLength);
            final int outcome = segment.recover(crc);
            if (!segments.isEmpty() && segments.getLast().lastIndex() + 1 != segment.baseIndex) {
                deleteAll(segments);
                directoryChanged = true;
            }
            segments.add(segment);
            if (outcome == Segment.OPEN_END) {
                final boolean last = i == bases.length - 1;
                if (!last && !segment.isZeroFrom(Math.min(segment.capacity, segment.tail() + HEADER_LENGTH))) {
                    throw new IOException("WAL segment " + segment.file + " is corrupt at offset " + segment.tail()
                        + " (record " + (segment.lastIndex() + 1) + "), and " + (bases.length - 1 - i)
                        + " later segment(s) follow; refusing to discard them: restore the file from a replica");
                }
                segment.zeroFrom(segment.tail());
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
