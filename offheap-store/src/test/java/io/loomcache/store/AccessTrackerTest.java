package io.loomcache.store;

import org.junit.jupiter.api.Test;

import static io.loomcache.store.AccessTracker.LFU_INITIAL_COUNTER;
import static io.loomcache.store.AccessTracker.LFU_MAX_COUNTER;
import static io.loomcache.store.StoreFixtures.START_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessTrackerTest
{
    private static final long PERIOD_MS = 60_000;

    @Test
    void shouldScoreLruVictimsByIdleMilliseconds()
    {
        final AccessTracker tracker = new AccessTracker(EvictionPolicy.LRU, START_MS, 10, PERIOD_MS, 1);
        final int old = tracker.initialAccess(START_MS + 5);
        final int recent = tracker.touch(old, START_MS + 900);

        assertEquals(995, tracker.victimScore(old, START_MS + 1000));
        assertEquals(100, tracker.victimScore(recent, START_MS + 1000));
    }

    @Test
    void shouldCountLfuAccessesLogarithmically()
    {
        final AccessTracker tracker = new AccessTracker(EvictionPolicy.LFU, START_MS, 10, PERIOD_MS, 1);
        int access = tracker.initialAccess(START_MS);
        assertEquals(LFU_INITIAL_COUNTER, tracker.decayedCounter(access, START_MS));

        final int[] counterAfter = new int[4];
        final int[] checkpoints = {1, 100, 10_000, 1_000_000};
        int touches = 0;
        for (int i = 0; i < checkpoints.length; i++)
        {
            while (touches < checkpoints[i])
            {
                access = tracker.touch(access, START_MS);
                touches++;
            }
            counterAfter[i] = tracker.decayedCounter(access, START_MS);
        }

        assertEquals(LFU_INITIAL_COUNTER + 1, counterAfter[0], "the first access always counts");
        assertTrue(counterAfter[1] >= 8 && counterAfter[1] <= 14, "after 100: " + counterAfter[1]);
        assertTrue(counterAfter[2] >= 40 && counterAfter[2] <= 60, "after 10k: " + counterAfter[2]);
        assertTrue(counterAfter[3] >= 200 && counterAfter[3] <= LFU_MAX_COUNTER, "after 1M: " + counterAfter[3]);
    }

    @Test
    void shouldDecayLfuCounterByOnePerIdlePeriodDownToZero()
    {
        final AccessTracker tracker = new AccessTracker(EvictionPolicy.LFU, START_MS, 10, PERIOD_MS, 1);
        final long start = (START_MS / PERIOD_MS) * PERIOD_MS;
        final int access = tracker.initialAccess(start);

        assertEquals(5, tracker.decayedCounter(access, start + PERIOD_MS - 1));
        assertEquals(4, tracker.decayedCounter(access, start + PERIOD_MS));
        assertEquals(2, tracker.decayedCounter(access, start + 3 * PERIOD_MS));
        assertEquals(0, tracker.decayedCounter(access, start + 50 * PERIOD_MS));
        assertEquals(LFU_MAX_COUNTER, tracker.victimScore(access, start + 50 * PERIOD_MS));
        assertEquals(LFU_MAX_COUNTER - 5, tracker.victimScore(access, start));
    }

    @Test
    void shouldRepeatTheSameRandomSequenceForTheSameSeed()
    {
        final AccessTracker first = new AccessTracker(EvictionPolicy.LRU, 0, 10, PERIOD_MS, 99);
        final AccessTracker second = new AccessTracker(EvictionPolicy.LRU, 0, 10, PERIOD_MS, 99);
        final AccessTracker other = new AccessTracker(EvictionPolicy.LRU, 0, 10, PERIOD_MS, 100);
        boolean differs = false;
        for (int i = 0; i < 100; i++)
        {
            final long value = first.nextRandom();
            assertEquals(value, second.nextRandom());
            differs |= value != other.nextRandom();
        }
        assertTrue(differs);
    }
}
