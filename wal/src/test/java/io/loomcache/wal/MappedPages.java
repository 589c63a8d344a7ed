package io.loomcache.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the kernel's view of this process's mappings of one file from {@code /proc/self/smaps}: how many of the
 * mapped pages are dirty (written through the mapping and not yet written back). Linux only.
 */
final class MappedPages {
    private static final Path SMAPS = Path.of("/proc/self/smaps");

    private MappedPages() {
    }

    /**
     * Sum of Shared_Dirty and Private_Dirty over every mapping of {@code file}.
     *
     * @return kilobytes, 0 when the file is not mapped.
     */
    static long dirtyKilobytes(final Path file) throws IOException {
        final String name = file.toRealPath().toString();
        final List<String> lines = Files.readAllLines(SMAPS);
        long kilobytes = 0;
        boolean inFile = false;
        for (final String line : lines) {
            if (isMappingHeader(line)) {
                inFile = line.endsWith(" " + name);
            } else if (inFile && (line.startsWith("Shared_Dirty:") || line.startsWith("Private_Dirty:"))) {
                final String[] fields = line.trim().split("\\s+");
                kilobytes += Long.parseLong(fields[1]);
            }
        }
        return kilobytes;
    }

    private static boolean isMappingHeader(final String line) {
        final int dash = line.indexOf('-');
        final int space = line.indexOf(' ');
        return dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
