package io.loomcache.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Naming, listing, creation and deletion of segment files. A segment is named by the index of its first record,
 * zero padded to 20 digits ({@code 00000000000000000001.dat}); it is created as {@code <name>.tmp}, preallocated,
 * then renamed, so a file with the final name always has all its blocks. Stateless.
 */
final class SegmentFiles {
    static final String SEGMENT_SUFFIX = ".dat";
    static final String TEMPORARY_SUFFIX = ".tmp";
    static final int NAME_DIGITS = 20;

    private SegmentFiles() {
    }

    static String fileName(final long baseIndex) {
        final String digits = Long.toString(baseIndex);
        return "0".repeat(NAME_DIGITS - digits.length()) + digits + SEGMENT_SUFFIX;
    }

    static Path path(final Path directory, final long baseIndex) {
        return directory.resolve(fileName(baseIndex));
    }

    /**
     * Parses a segment file name.
     *
     * @return the base index, or -1 when the name is not a segment name.
     */
    static long parseBaseIndex(final String fileName) {
        return parseIndexName(fileName, SEGMENT_SUFFIX);
    }

    /**
     * Parses a name made of 20 digits and a suffix.
     *
     * @return the number, or -1 when the name does not have that form.
     */
    static long parseIndexName(final String fileName, final String suffix) {
        if (fileName.length() != NAME_DIGITS + suffix.length() || !fileName.endsWith(suffix)) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < NAME_DIGITS; i++) {
            final char c = fileName.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Base indexes of the segment files in the directory, ascending.
     */
    static long[] list(final Path directory) throws IOException {
        long[] bases = new long[16];
        int count = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SEGMENT_SUFFIX)) {
            for (final Path file : stream) {
                final long base = parseBaseIndex(file.getFileName().toString());
                if (base > 0 && Files.isRegularFile(file)) {
                    if (count == bases.length) {
                        bases = Arrays.copyOf(bases, count * 2);
                    }
                    bases[count++] = base;
                }
            }
        }
        final long[] result = Arrays.copyOf(bases, count);
        Arrays.sort(result);
        return result;
    }

    /**
     * Deletes leftovers of interrupted segment or snapshot creation.
     *
     * @return true when any file was deleted.
     */
    static boolean deleteTemporaryFiles(final Path directory) throws IOException {
        boolean deleted = false;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + TEMPORARY_SUFFIX)) {
            for (final Path file : stream) {
                deleted |= Files.deleteIfExists(file);
            }
        }
        return deleted;
    }

    /**
     * Creates, preallocates and maps a new segment under a temporary name, then renames it atomically to its final
     * name, replacing a file of that name (an empty segment being replaced). The mapping is made before the rename,
     * so once the file carries its final name nothing can fail any more; on failure nothing is left behind.
     *
     * @throws IOException with a message naming the segment, its size and the reason (e.g. no space left).
     */
    static Segment create(final Path directory, final long baseIndex, final int length) throws IOException {
        return create(directory, baseIndex, length, null);
    }

    /**
     * Like {@link #create(Path, long, int)}, from a spare file already preallocated, zero-filled and forced at
     * {@code length} bytes (see {@link SegmentSpare}), which is renamed instead of written; null to write one.
     */
    static Segment create(final Path directory, final long baseIndex, final int length, final Path spare)
        throws IOException {
        final Path file = path(directory, baseIndex);
        final Path temporary = directory.resolve(fileName(baseIndex) + TEMPORARY_SUFFIX);
        Segment segment = null;
        try {
            Files.deleteIfExists(temporary);
            if (spare != null) {
                Files.move(spare, temporary, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Preallocator.preallocate(temporary, length);
            }
            segment = Segment.map(temporary, file, baseIndex, length);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return segment;
        } catch (final IOException ex) {
            if (segment != null) {
                segment.close();
            }
            Files.deleteIfExists(temporary);
            throw new IOException("cannot create WAL segment " + file + " of " + length + " bytes: "
                + ex.getMessage(), ex);
        }
    }

    /**
     * Maps an existing segment at its own size (extended with zeros to the record alignment). A file shorter than
     * {@link WalContext#MIN_SEGMENT_LENGTH} was cut short and is first extended with zeros to {@code length}.
     */
    static Segment open(final Path directory, final long baseIndex, final int length) throws IOException {
        final Path file = path(directory, baseIndex);
        long size = Files.size(file);
        if (size < WalContext.MIN_SEGMENT_LENGTH) {
            Preallocator.preallocate(file, length);
            size = length;
        } else if (size % RecordDescriptor.ALIGNMENT != 0) {
            size = RecordDescriptor.alignedLength((int)Math.min(size, WalContext.MAX_SEGMENT_LENGTH));
            Preallocator.preallocate(file, size);
        }
        if (size > WalContext.MAX_SEGMENT_LENGTH) {
            throw new IOException("WAL segment " + file + " is " + size + " bytes, more than the maximum "
                + WalContext.MAX_SEGMENT_LENGTH);
        }
        return Segment.map(file, baseIndex, (int)size);
    }
}
