package io.loomcache.wal;

import static io.loomcache.wal.Records.append;
import static io.loomcache.wal.Records.entry;
import static io.loomcache.wal.Records.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Seeded random sequences of appends, truncations, resets, forces and reopens checked against an in-memory list
 * of records; a failure names its seed, which reproduces it.
 */
class WriteAheadLogModelTest {
    private static final int SEGMENT_LENGTH = 512;
    private static final int SEQUENCES = 60;
    private static final int MAX_ACTIONS = 80;

    @Test
    void shouldReplayExactlyWhatAnInMemoryModelHoldsForRandomOperationSequences() throws IOException {
        for (long seed = 1; seed <= SEQUENCES; seed++) {
            final SplittableRandom random = new SplittableRandom(seed);
            final List<Integer> actions = new ArrayList<>();
            final int count = random.nextInt(MAX_ACTIONS + 1);
            for (int i = 0; i < count; i++) {
                actions.add(random.nextInt(100_000));
            }
            try {
                checkAgainstModel(actions);
            } catch (final AssertionError | RuntimeException ex) {
                throw new AssertionError("failing seed " + seed + ", actions " + actions, ex);
            }
        }
    }

    private static void checkAgainstModel(final List<Integer> actions) throws IOException {
        final Path directory = Files.createTempDirectory("wal-model");
        final List<Records.Entry> model = new ArrayList<>();
        long nextIndex = 1;
        WriteAheadLog log = open(directory);
        try {
            for (final int action : actions) {
                final int parameter = action / 10;
                switch (action % 10) {
                    case 6 -> {
                        final long keep = parameter % nextIndex;
                        assertEquals(keep, log.truncateAfter(keep));
                        model.removeIf(entry -> entry.index() > keep);
                        nextIndex = keep + 1;
                    }
                    case 7 -> {
                        log.close();
                        log = open(directory);
                    }
                    case 8 -> assertEquals(nextIndex - 1, log.force());
                    case 9 -> {
                        final long lastIncluded = nextIndex - 1 + parameter % 4;
                        assertEquals(lastIncluded, log.reset(lastIncluded));
                        model.clear();
                        nextIndex = lastIncluded + 1;
                    }
                    default -> {
                        final Records.Entry entry = entry(nextIndex, parameter % (SEGMENT_LENGTH - 32 + 1));
                        assertEquals(nextIndex, append(log, entry));
                        model.add(entry);
                        nextIndex++;
                    }
                }
                assertEquals(nextIndex - 1, log.lastAppendedIndex());
            }
            assertEquals(model, replay(log, 0));
            log.close();
            log = open(directory);
            assertEquals(model, replay(log, 0));
            assertEquals(nextIndex - 1, log.lastAppendedIndex());
        } finally {
            log.close();
            deleteTree(directory);
        }
    }

    private static WriteAheadLog open(final Path directory) throws IOException {
        return WriteAheadLog.open(new WalContext().directory(directory).segmentLength(SEGMENT_LENGTH)
            .fsyncPolicy(FsyncPolicy.NONE));
    }

    private static void deleteTree(final Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
