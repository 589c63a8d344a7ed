package io.loomcache.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PrerequisitesTest {
    @Test
    void whenCiIsSet_thenAMissingPrerequisiteFailsTheTestInsteadOfSkippingIt() {
        final AssertionFailedError error = assertThrows(AssertionFailedError.class,
            () -> Prerequisites.require(false, "strace is not installed", "true"));
        assertTrue(error.getMessage().contains("strace is not installed"), error.getMessage());
        assertThrows(AssertionFailedError.class, () -> Prerequisites.require(false, "no root", "1"));
    }

    @Test
    void whenCiIsUnsetOrFalse_thenAMissingPrerequisiteSkipsTheTest() {
        assertThrows(TestAbortedException.class, () -> Prerequisites.require(false, "no root", null));
        assertThrows(TestAbortedException.class, () -> Prerequisites.require(false, "no root", ""));
        assertThrows(TestAbortedException.class, () -> Prerequisites.require(false, "no root", "false"));
    }

    @Test
    void whenThePrerequisiteIsMet_thenNothingHappensEvenOnCi() {
        assertDoesNotThrow(() -> Prerequisites.require(true, "unused", "true"));
        assertDoesNotThrow(() -> Prerequisites.require(true, "unused", null));
    }
}
