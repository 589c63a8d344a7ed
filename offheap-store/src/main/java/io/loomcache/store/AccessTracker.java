package io.loomcache.store;

import static io.loomcache.store.EntryDescriptor.LFU_COUNTER_MASK;
import static io.loomcache.store.EntryDescriptor.LFU_PERIOD_MASK;

/**
 * Keeps the 32-bit access word of each entry (layout in {@link EntryDescriptor}) for the eviction policy, and
 * scores sampled entries as eviction victims, both Redis style:
 * <ul>
 *     <li>LRU: the word is the monotonic millisecond of the last access since the tracker was created; the
 *     victim score is the idle time in ms.</li>
 *     <li>LFU: the word holds the decay period of the last access and an 8-bit counter. The counter starts at
 *     {@link #LFU_INITIAL_COUNTER}, rises on access with probability {@code 1 / ((counter - initial) * logFactor
 *     + 1)} (a logarithmic count), and falls by one per whole decay period since the last access. The victim
 *     score is {@code 255 - counter} after decay.</li>
 * </ul>
 * Time is a monotonic nanosecond clock ({@code System.nanoTime} style), never the wall clock: a wall clock that
 * steps backward would make every entry stamped before the step look idle for about 49 days.
 * <p>
 * Randomness (LFU increments and eviction sampling) comes from a seeded SplitMix64 sequence, deterministic for
 * a given seed. Single-threaded: owned by the store's thread; allocation-free.
 */
final class AccessTracker {
    /**
     * Counter given to a new entry under LFU, so it is not the first victim straight away.
     */
    static final int LFU_INITIAL_COUNTER = 5;

    /**
     * Largest LFU counter: the counter field of the access word is full.
     */
    static final int LFU_MAX_COUNTER = LFU_COUNTER_MASK;

    private static final long NANOS_PER_MS = 1_000_000L;
    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;
    private static final double UNIT_DOUBLE = 0x1.0p-53;

    private final EvictionPolicy policy;
    private final long originNs;
    private final double lfuLogFactor;
    private final long lfuDecayPeriodMs;
    private long randomState;

    /**
     * Create a tracker.
     *
     * @param policy           eviction policy whose access words this tracker writes.
     * @param originNs         monotonic time in ns that access time 0 stands for, e.g. the store's creation.
     * @param lfuLogFactor     how slowly the LFU counter rises.
     * @param lfuDecayPeriodMs idle ms after which an LFU counter loses one.
     * @param randomSeed       seed of the random sequence.
     */
    AccessTracker(
        final EvictionPolicy policy,
        final long originNs,
        final double lfuLogFactor,
        final long lfuDecayPeriodMs,
        final long randomSeed) {
        this.policy = policy;
        this.originNs = originNs;
        this.lfuLogFactor = lfuLogFactor;
        this.lfuDecayPeriodMs = lfuDecayPeriodMs;
        this.randomState = randomSeed;
    }

    /**
     * Access word of a new entry.
     *
     * @param nowNs monotonic time of the insert.
     * @return the word to store.
     */
    int initialAccess(final long nowNs) {
        return switch (policy) {
            case LRU -> lruClock(nowNs);
            case LFU -> EntryDescriptor.lfuAccess(period(nowNs), LFU_INITIAL_COUNTER);
            default -> 0;
        };
    }

    /**
     * Access word after an access.
     *
     * @param access word before.
     * @param nowNs  monotonic time of the access.
     * @return the word to store.
     */
    int touch(final int access, final long nowNs) {
        return switch (policy) {
            case LRU -> lruClock(nowNs);
            case LFU -> EntryDescriptor.lfuAccess(period(nowNs), logIncrement(decayedCounter(access, nowNs)));
            default -> access;
        };
    }

    /**
     * How good a victim an entry is: the higher, the sooner it should go.
     *
     * @param access word of the entry.
     * @param nowNs  monotonic time now.
     * @return idle ms (LRU), 255 minus the decayed counter (LFU), 0 (NONE).
     */
    long victimScore(final int access, final long nowNs) {
        return switch (policy) {
            case LRU -> Integer.toUnsignedLong(lruClock(nowNs) - access);
            case LFU -> LFU_MAX_COUNTER - decayedCounter(access, nowNs);
            default -> 0;
        };
    }

    /**
     * LFU counter of an access word after the decay due at {@code nowNs}, without changing the entry.
     *
     * @param access word of the entry.
     * @param nowNs  monotonic time now.
     * @return the counter, 0 to 255.
     */
    int decayedCounter(final int access, final long nowNs) {
        final int counter = EntryDescriptor.lfuCounter(access);
        final long elapsedPeriods = (period(nowNs) - EntryDescriptor.lfuPeriod(access)) & LFU_PERIOD_MASK;
        return elapsedPeriods >= counter ? 0 : counter - (int)elapsedPeriods;
    }

    /**
     * Next value of the seeded SplitMix64 sequence.
     *
     * @return 64 random bits.
     */
    long nextRandom() {
        randomState += GOLDEN_GAMMA;
        long z = randomState;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    private int logIncrement(final int counter) {
        if (counter >= LFU_MAX_COUNTER) {
            return LFU_MAX_COUNTER;
        }

        final double random = (nextRandom() >>> (Long.SIZE - 53)) * UNIT_DOUBLE;
        final int base = Math.max(0, counter - LFU_INITIAL_COUNTER);
        final double probability = 1.0 / (base * lfuLogFactor + 1.0);
        return random < probability ? counter + 1 : counter;
    }

    private long monotonicMs(final long nowNs) {
        return (nowNs - originNs) / NANOS_PER_MS;
    }

    private int lruClock(final long nowNs) {
        return (int)monotonicMs(nowNs);
    }

    private long period(final long nowNs) {
        return (monotonicMs(nowNs) / lfuDecayPeriodMs) & LFU_PERIOD_MASK;
    }
}
