package io.loomcache.store;

/**
 * Keeps the 32-bit access word of each entry (see {@link EntryDescriptor#ACCESS_OFFSET}) for the eviction
 * policy, and scores sampled entries as eviction victims, both Redis style:
 * <ul>
 *     <li>LRU: the word is the store's millisecond clock at the last access ({@code nowMs - epochMs}, wrapping
 *     after about 49 days); the victim score is the idle time in ms.</li>
 *     <li>LFU: the word is {@code (decayPeriod & 0xFFFFFF) << 8 | counter}. The 8-bit counter starts at
 *     {@link #LFU_INITIAL_COUNTER}, rises on access with probability {@code 1 / ((counter - initial) * logFactor
 *     + 1)} (a logarithmic count), and falls by one per whole decay period since the last access. The victim
 *     score is {@code 255 - counter} after decay.</li>
 * </ul>
 * Randomness (LFU increments and eviction sampling) comes from a seeded SplitMix64 sequence, deterministic for
 * a given seed. Single-threaded: owned by the store's thread; allocation-free.
 */
final class AccessTracker
{
    /**
     * Counter given to a new entry under LFU, so it is not the first victim straight away.
     */
    static final int LFU_INITIAL_COUNTER = 5;

    /**
     * Largest LFU counter.
     */
    static final int LFU_MAX_COUNTER = 255;

    private static final int COUNTER_BITS = 8;
    private static final int COUNTER_MASK = (1 << COUNTER_BITS) - 1;
    private static final int PERIOD_MASK = 0xFF_FFFF;
    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;
    private static final double UNIT_DOUBLE = 0x1.0p-53;

    private final EvictionPolicy policy;
    private final long epochMs;
    private final double lfuLogFactor;
    private final long lfuDecayPeriodMs;
    private long randomState;

    AccessTracker(
        final EvictionPolicy policy,
        final long epochMs,
        final double lfuLogFactor,
        final long lfuDecayPeriodMs,
        final long randomSeed)
    {
        this.policy = policy;
        this.epochMs = epochMs;
        this.lfuLogFactor = lfuLogFactor;
        this.lfuDecayPeriodMs = lfuDecayPeriodMs;
        this.randomState = randomSeed;
    }

    /**
     * Access word of a new entry.
     *
     * @param nowMs epoch time of the insert.
     * @return the word to store.
     */
    int initialAccess(final long nowMs)
    {
        return switch (policy)
        {
            case LRU -> lruClock(nowMs);
            case LFU -> lfuWord(nowMs, LFU_INITIAL_COUNTER);
            default -> 0;
        };
    }

    /**
     * Access word after an access.
     *
     * @param access word before.
     * @param nowMs  epoch time of the access.
     * @return the word to store.
     */
    int touch(final int access, final long nowMs)
    {
        return switch (policy)
        {
            case LRU -> lruClock(nowMs);
            case LFU -> lfuWord(nowMs, logIncrement(decayedCounter(access, nowMs)));
            default -> access;
        };
    }

    /**
     * How good a victim an entry is: the higher, the sooner it should go.
     *
     * @param access word of the entry.
     * @param nowMs  epoch time now.
     * @return idle ms (LRU), 255 minus the decayed counter (LFU), 0 (NONE).
     */
    long victimScore(final int access, final long nowMs)
    {
        return switch (policy)
        {
            case LRU -> Integer.toUnsignedLong(lruClock(nowMs) - access);
            case LFU -> LFU_MAX_COUNTER - decayedCounter(access, nowMs);
            default -> 0;
        };
    }

    /**
     * LFU counter of an access word after the decay due at {@code nowMs}, without changing the entry.
     *
     * @param access word of the entry.
     * @param nowMs  epoch time now.
     * @return the counter, 0 to 255.
     */
    int decayedCounter(final int access, final long nowMs)
    {
        final int counter = access & COUNTER_MASK;
        final long elapsedPeriods = (period(nowMs) - (access >>> COUNTER_BITS)) & PERIOD_MASK;
        return elapsedPeriods >= counter ? 0 : counter - (int)elapsedPeriods;
    }

    /**
     * Next value of the seeded SplitMix64 sequence.
     *
     * @return 64 random bits.
     */
    long nextRandom()
    {
        randomState += GOLDEN_GAMMA;
        long z = randomState;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    private int logIncrement(final int counter)
    {
        if (counter >= LFU_MAX_COUNTER)
        {
            return LFU_MAX_COUNTER;
        }

        final double random = (nextRandom() >>> (Long.SIZE - 53)) * UNIT_DOUBLE;
        final int base = Math.max(0, counter - LFU_INITIAL_COUNTER);
        final double probability = 1.0 / (base * lfuLogFactor + 1.0);
        return random < probability ? counter + 1 : counter;
    }

    private int lruClock(final long nowMs)
    {
        return (int)(nowMs - epochMs);
    }

    private int lfuWord(final long nowMs, final int counter)
    {
        return (period(nowMs) << COUNTER_BITS) | counter;
    }

    private int period(final long nowMs)
    {
        return (int)((nowMs / lfuDecayPeriodMs) & PERIOD_MASK);
    }
}
