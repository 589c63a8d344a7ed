package io.loomcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CleanupTest {
    @Test
    void shouldCloseEveryResourceLastFirstAndReportTheFirstFailureWithTheOthersSuppressed() {
        final Cleanup cleanup = new Cleanup();
        final List<String> closed = new ArrayList<>();
        cleanup.add(() -> closed.add("first"));
        cleanup.add(() -> {
            closed.add("second");
            throw new IllegalStateException("second failed");
        });
        cleanup.add(() -> {
            closed.add("third");
            throw new IllegalStateException("third failed");
        });

        final IllegalStateException failure = assertThrows(IllegalStateException.class, () -> cleanup.afterEach(null));

        assertEquals(List.of("third", "second", "first"), closed);
        assertEquals("third failed", failure.getMessage());
        assertEquals("second failed", failure.getSuppressed()[0].getMessage());
        cleanup.afterEach(null);
        assertEquals(3, closed.size(), "each resource closes once");
    }

    @Test
    void shouldKillARegisteredProcessAndWaitForIt() throws Exception {
        final Cleanup cleanup = new Cleanup();
        final Process sleeper = cleanup.add(new ProcessBuilder("sleep", "60").start());

        cleanup.afterEach(null);

        assertFalse(sleeper.isAlive());
    }
}
