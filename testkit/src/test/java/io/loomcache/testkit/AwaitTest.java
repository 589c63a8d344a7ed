package io.loomcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void shouldReturnOnceTheConditionHolds() {
        final AtomicInteger polls = new AtomicInteger();
        Await.until("the third poll", () -> polls.incrementAndGet() == 3);
        assertEquals(3, polls.get());
    }

    @Test
    void shouldFailNamingWhatWasAwaitedWhenTheDeadlinePasses() {
        final AssertionError timedOut = assertThrows(AssertionError.class, () -> Await.until("never", 20, () -> false));
        assertEquals("timed out after 20 ms waiting for never", timedOut.getMessage());
    }

    @Test
    void shouldPassOnWhatTheConditionThrows() {
        final IOException broken = new IOException("broken pipe");
        assertSame(broken, assertThrows(IOException.class, () -> Await.until("a reply", () -> {
            throw broken;
        })));
    }
}
