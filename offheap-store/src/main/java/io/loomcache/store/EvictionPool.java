package io.loomcache.store;

import org.agrona.concurrent.UnsafeBuffer;

import static io.loomcache.store.EntryDescriptor.ACCESS_OFFSET;
import static io.loomcache.store.EntryDescriptor.KEY_LENGTH_OFFSET;
import static io.loomcache.store.EntryDescriptor.KEY_OFFSET;
import static io.loomcache.store.EntryDescriptor.isExpired;

/**
 * Chooses eviction victims the Redis way: each round samples a few random entries and merges them into a small
 * pool of the best candidates seen so far (highest {@link AccessTracker#victimScore(int, long)}), then names the
 * best of the pool. Pooled candidates are re-found in the index by their exact slot word and re-scored every
 * round, so a removed, moved or recently read entry is never chosen on stale data. An expired entry met on the
 * way is named at once, as an expiry rather than an eviction.
 * <p>
 * A round may ask for a victim of one size class (the store needs a block of that class and the cap leaves no
 * room for a new chunk): the best pooled candidate of that class is named; when the pool holds none, blocks of
 * the class are sampled straight from its chunks and the best of them is named.
 * <p>
 * Under {@link EvictionPolicy#NONE} only expired entries are named. Single-threaded; allocation-free.
 */
final class EvictionPool {
    /**
     * Returned when no entry can be named.
     */
    static final int NO_VICTIM = -1;

    /**
     * Class argument of {@link #selectVictim(int, int, long, long)} that accepts a victim of any size class.
     */
    static final int ANY_CLASS = -1;

    /**
     * Candidates kept between rounds (Redis EVPOOL_SIZE).
     */
    static final int POOL_SIZE = 16;

    private final HashIndex index;
    private final SlabAllocator allocator;
    private final AccessTracker accessTracker;
    private final int sampleCount;
    private final boolean evictsLiveEntries;
    private final UnsafeBuffer candidate = new UnsafeBuffer(0L, 0);
    private final long[] pooledSlot = new long[POOL_SIZE];
    private final int[] pooledSlotIndex = new int[POOL_SIZE];
    private final long[] pooledScore = new long[POOL_SIZE];
    private int pooledCount;
    private boolean victimExpired;

    EvictionPool(
        final HashIndex index,
        final SlabAllocator allocator,
        final AccessTracker accessTracker,
        final int sampleCount,
        final boolean evictsLiveEntries) {
        this.index = index;
        this.allocator = allocator;
        this.accessTracker = accessTracker;
        this.sampleCount = sampleCount;
        this.evictsLiveEntries = evictsLiveEntries;
    }

    /**
     * Name the entry to remove next; the caller removes it before the index changes in any other way.
     *
     * @param excludedHandle handle that must not be named (the entry being updated), or NO_HANDLE.
     * @param requiredClass  size class the victim must have, or {@link #ANY_CLASS}; a class other than ANY_CLASS
     *                       must have chunks and no free block, and an expired entry of any class may still be
     *                       named.
     * @param nowMs          epoch time to judge expiry by.
     * @param nowNs          monotonic time to judge idleness by.
     * @return the victim's slot index, or {@link #NO_VICTIM}.
     */
    int selectVictim(final int excludedHandle, final int requiredClass, final long nowMs, final long nowNs) {
        victimExpired = false;
        final int expiredSlot = refreshPool(excludedHandle, nowMs, nowNs);
        if (NO_VICTIM != expiredSlot) {
            return expiredSlot;
        }

        for (int i = 0; i < sampleCount; i++) {
            int slotIndex = index.occupiedSlotFrom((int)accessTracker.nextRandom());
            if (slotIndex >= 0 && IndexDescriptor.handle(index.slot(slotIndex)) == excludedHandle) {
                slotIndex = index.occupiedSlotFrom(index.nextSlot(slotIndex));
            }
            if (slotIndex < 0 || IndexDescriptor.handle(index.slot(slotIndex)) == excludedHandle) {
                break;
            }
            if (consider(index.slot(slotIndex), slotIndex, nowMs, nowNs)) {
                return slotIndex;
            }
        }

        if (ANY_CLASS != requiredClass && evictsLiveEntries && !poolHolds(requiredClass)) {
            return bestOfClassSample(requiredClass, nowMs, nowNs);
        }
        return takeBest(requiredClass);
    }

    /**
     * Whether the last victim named was an expired entry rather than a live one.
     *
     * @return true for an expiry, false for an eviction.
     */
    boolean victimExpired() {
        return victimExpired;
    }

    /**
     * Forget every pooled candidate, e.g. after the store was cleared.
     */
    void clear() {
        pooledCount = 0;
    }

    private int refreshPool(final int excludedHandle, final long nowMs, final long nowNs) {
        int kept = 0;
        for (int i = 0; i < pooledCount; i++) {
            final long slot = pooledSlot[i];
            final int slotIndex = index.slotOf(slot);
            if (slotIndex < 0 || IndexDescriptor.handle(slot) == excludedHandle) {
                continue;
            }

            wrap(slot);
            if (isExpired(candidate, nowMs)) {
                pooledCount = kept;
                victimExpired = true;
                return slotIndex;
            }
            pooledSlot[kept] = slot;
            pooledSlotIndex[kept] = slotIndex;
            pooledScore[kept] = accessTracker.victimScore(candidate.getInt(ACCESS_OFFSET), nowNs);
            kept++;
        }
        pooledCount = kept;
        return NO_VICTIM;
    }

    private int bestOfClassSample(final int requiredClass, final long nowMs, final long nowNs) {
        int bestSlotIndex = NO_VICTIM;
        long bestScore = -1;
        for (int i = 0; i < sampleCount; i++) {
            final int handle = allocator.sampleFullClassBlock(requiredClass, accessTracker.nextRandom());
            candidate.wrap(allocator.address(handle), allocator.blockLength(handle));
            final int hash = KeyHasher.indexHash(candidate, KEY_OFFSET, candidate.getInt(KEY_LENGTH_OFFSET));
            final int slotIndex = index.slotOf(IndexDescriptor.slot(hash, handle));
            if (slotIndex < 0) {
                throw new IllegalStateException("live block " + handle + " is not in the index");
            }
            if (isExpired(candidate, nowMs)) {
                victimExpired = true;
                return slotIndex;
            }
            final long score = accessTracker.victimScore(candidate.getInt(ACCESS_OFFSET), nowNs);
            if (score > bestScore) {
                bestScore = score;
                bestSlotIndex = slotIndex;
            }
        }
        return bestSlotIndex;
    }

    private boolean consider(final long slot, final int slotIndex, final long nowMs, final long nowNs) {
        wrap(slot);
        if (isExpired(candidate, nowMs)) {
            victimExpired = true;
            return true;
        }
        if (evictsLiveEntries) {
            offer(slot, slotIndex, accessTracker.victimScore(candidate.getInt(ACCESS_OFFSET), nowNs));
        }
        return false;
    }

    private void offer(final long slot, final int slotIndex, final long score) {
        int worst = 0;
        for (int i = 0; i < pooledCount; i++) {
            if (pooledSlot[i] == slot) {
                return;
            }
            if (pooledScore[i] < pooledScore[worst]) {
                worst = i;
            }
        }

        if (pooledCount < POOL_SIZE) {
            worst = pooledCount++;
        } else if (score <= pooledScore[worst]) {
            return;
        }
        pooledSlot[worst] = slot;
        pooledSlotIndex[worst] = slotIndex;
        pooledScore[worst] = score;
    }

    private boolean poolHolds(final int requiredClass) {
        for (int i = 0; i < pooledCount; i++) {
            if (allocator.classIndexOf(IndexDescriptor.handle(pooledSlot[i])) == requiredClass) {
                return true;
            }
        }
        return false;
    }

    private int takeBest(final int requiredClass) {
        int best = -1;
        for (int i = 0; i < pooledCount; i++) {
            if ((ANY_CLASS == requiredClass ||
                allocator.classIndexOf(IndexDescriptor.handle(pooledSlot[i])) == requiredClass) &&
                (best < 0 || pooledScore[i] > pooledScore[best])) {
                best = i;
            }
        }
        if (best < 0) {
            return NO_VICTIM;
        }

        final int slotIndex = pooledSlotIndex[best];
        pooledCount--;
        pooledSlot[best] = pooledSlot[pooledCount];
        pooledSlotIndex[best] = pooledSlotIndex[pooledCount];
        pooledScore[best] = pooledScore[pooledCount];
        return slotIndex;
    }

    private void wrap(final long slot) {
        final int handle = IndexDescriptor.handle(slot);
        candidate.wrap(allocator.address(handle), allocator.blockLength(handle));
    }
}
