package io.loomcache.store;

import org.junit.jupiter.api.Test;

import static io.loomcache.store.AccessTracker.LFU_INITIAL_COUNTER;
import static io.loomcache.store.AccessTracker.LFU_MAX_COUNTER;
import static io.loomcache.store.ManualClock.NANO_ORIGIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessTrackerTest {
    private static final long PERIOD_MS = 60_000;
    private static final long NANOS_PER_MS = 1_000_000;

    @Test
    void shouldScoreLruVictimsByIdleMilliseconds() {
        final AccessTracker tracker = new AccessTracker(EvictionPolicy.LRU, NANO_ORIGIN, 10, PERIOD_MS, 1);
        final int old = tracker.initialAccess(atMs(5));
        final int recent = tracker.touch(old, atMs(900));

        assertEquals(995, tracker.victimScore(old, atMs(1000)));
        assertEquals(100, tracker.victimScore(recent, atMs(1000)));
    }

    @Test
    void shouldScoreLruIdleTimeAcrossTheWrapOfTheThirtyTwoBitClock() {
        final AccessTracker tracker = new AccessTracker(EvictionPolicy.LRU, NANO_ORIGIN, 10, PERIOD_MS, 1);
        final long beforeWrapMs = (1L << 32) - 10;
        final int access = tracker.initialAccess(atMs(beforeWrapMs));

        assertEquals(25, tracker.victimScore(access, atMs(beforeWrapMs + 25)));
    }

    @Test
    void shouldCountLfuAccessesLogarithmically() {
        final AccessTracker tracker = new AccessTracker(EvictionPolicy.LFU, NANO_ORIGIN, 10, PERIOD_MS, 1);
        int access = tracker.initialAccess(atMs(0));
        assertEquals(LFU_INITIAL_COUNTER, tracker.decayedCounter(access, atMs(0)));

        final int[] counterAfter = new int[4];
        final int[] checkpoints = {1, 100, 10_000, 1_000_000};
        int touches = 0;
        for (int i = 0; i < checkpoints.length; i++) {
            while (touches < checkpoints[i]) {
                access = tracker.touch(access, atMs(0));
                touches++;
            }
            counterAfter[i] = tracker.decayedCounter(access, atMs(0));
        }

        assertEquals(LFU_INITIAL_COUNTER + 1, counterAfter[0], "the first access always counts");
        assertTrue(counterAfter[1] >= 8 && counterAfter[1] <= 14, "after 100: " + counterAfter[1]);
        assertTrue(counterAfter[2] >= 40 && counterAfter[2] <= 60, "after 10k: " + counterAfter[2]);
        assertTrue(counterAfter[3] >= 200 && counterAfter[3] <= LFU_MAX_COUNTER, "after 1M: " + counterAfter[3]);
    }

    @Test
    void shouldDecayLfuCounterByOnePerIdlePeriodDownToZero() {
        final AccessTracker tracker = new AccessTracker(EvictionPolicy.LFU, NANO_ORIGIN, 10, PERIOD_MS, 1);
        final int access = tracker.initialAccess(atMs(0));

        assertEquals(5, tracker.decayedCounter(access, atMs(PERIOD_MS - 1)));
        assertEquals(4, tracker.decayedCounter(access, atMs(PERIOD_MS)));
        assertEquals(2, tracker.decayedCounter(access, atMs(3 * PERIOD_MS)));
        assertEquals(0, tracker.decayedCounter(access, atMs(50 * PERIOD_MS)));
        assertEquals(LFU_MAX_COUNTER, tracker.victimScore(access, atMs(50 * PERIOD_MS)));
        assertEquals(LFU_MAX_COUNTER - 5, tracker.victimScore(access, atMs(0)));
    }

    @Test
    void shouldWriteLfuWordsThatEntryDescriptorReadsBack() {
        final AccessTracker tracker = new AccessTracker(EvictionPolicy.LFU, NANO_ORIGIN, 10, PERIOD_MS, 1);
        final int access = tracker.initialAccess(atMs(7 * PERIOD_MS + 1));

        assertEquals(LFU_INITIAL_COUNTER, EntryDescriptor.lfuCounter(access));
        assertEquals(7, EntryDescriptor.lfuPeriod(access));
        assertEquals(access, EntryDescriptor.lfuAccess(7, LFU_INITIAL_COUNTER));
        assertEquals(LFU_MAX_COUNTER, EntryDescriptor.LFU_COUNTER_MASK);
    }

    @Test
    void shouldRepeatTheSameRandomSequenceForTheSameSeed() {
        final AccessTracker first = new AccessTracker(EvictionPolicy.LRU, 0, 10, PERIOD_MS, 99);
        final AccessTracker second = new AccessTracker(EvictionPolicy.LRU, 0, 10, PERIOD_MS, 99);
        final AccessTracker other = new AccessTracker(EvictionPolicy.LRU, 0, 10, PERIOD_MS, 100);
        boolean differs = false;
        for (int i = 0; i < 100; i++) {
            final long value = first.nextRandom();
            assertEquals(value, second.nextRandom());
            differs |= value != other.nextRandom();
        }
        assertTrue(differs);
    }

    private static long atMs(final long msSinceOrigin) {
        return NANO_ORIGIN + msSinceOrigin * NANOS_PER_MS;
    }
}
