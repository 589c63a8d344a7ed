package io.loomcache.store;

import org.agrona.BitUtil;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Configuration of an {@link OffHeapStore}: set with the fluent setters, then the store calls {@link #conclude()}
 * which checks every value and fails with {@link IllegalArgumentException} on a bad one. Not thread-safe; a
 * context serves one store.
 */
public final class StoreContext {
    /**
     * Default largest key in bytes.
     */
    public static final int DEFAULT_MAX_KEY_LENGTH = 64 * 1024;

    /**
     * Default largest value in bytes.
     */
    public static final int DEFAULT_MAX_VALUE_LENGTH = 1024 * 1024;

    /**
     * Default initial index capacity in slots.
     */
    public static final int DEFAULT_INITIAL_CAPACITY = 1024;

    /**
     * Default fraction of index slots that may be occupied before the index grows.
     */
    public static final float DEFAULT_LOAD_FACTOR = 0.75f;

    /**
     * Default number of entries sampled per eviction (Redis maxmemory-samples).
     */
    public static final int DEFAULT_EVICTION_SAMPLE_COUNT = 5;

    /**
     * Default LFU log factor (Redis lfu-log-factor).
     */
    public static final double DEFAULT_LFU_LOG_FACTOR = 10.0;

    /**
     * Default LFU decay period in ms: the counter loses one per period without access (Redis lfu-decay-time 1).
     */
    public static final long DEFAULT_LFU_DECAY_PERIOD_MS = 60_000L;

    /**
     * Default bytes a slab chunk aims for.
     */
    public static final int DEFAULT_CHUNK_LENGTH = 1024 * 1024;

    /**
     * A slab chunk is at most the memory cap divided by this, so that even a store with a small cap can hold
     * blocks of many size classes at once (and a chunk reclaimed under pressure loses few entries).
     */
    public static final int CHUNK_CAP_DIVISOR = 64;

    /**
     * Default seed of the eviction sampler and LFU counter randomness.
     */
    public static final long DEFAULT_RANDOM_SEED = 0x5EED_1005_CAC4_E000L;

    /**
     * Smallest memory cap at which {@link #hugePages(boolean)} takes effect: a smaller store stays within reach of
     * the TLB's 4 KiB entries more often, and its small chunks come and go often enough that the madvise call on
     * each release would cost more than huge pages give.
     */
    public static final long HUGE_PAGES_MIN_MEMORY_BYTES = 64L * 1024 * 1024;

    private static final int MAX_EVICTION_SAMPLE_COUNT = 64;
    private static final int MIN_CHUNK_LENGTH = 4096;
    private static final float MIN_LOAD_FACTOR = 0.1f;
    private static final float MAX_LOAD_FACTOR = 0.9f;

    private long maxMemoryBytes;
    private int maxKeyLength = DEFAULT_MAX_KEY_LENGTH;
    private int maxValueLength = DEFAULT_MAX_VALUE_LENGTH;
    private int initialCapacity = DEFAULT_INITIAL_CAPACITY;
    private int maxCapacity = IndexDescriptor.MAX_CAPACITY;
    private float loadFactor = DEFAULT_LOAD_FACTOR;
    private EvictionPolicy evictionPolicy = EvictionPolicy.LRU;
    private int evictionSampleCount = DEFAULT_EVICTION_SAMPLE_COUNT;
    private double lfuLogFactor = DEFAULT_LFU_LOG_FACTOR;
    private long lfuDecayPeriodMs = DEFAULT_LFU_DECAY_PERIOD_MS;
    private int chunkLength = DEFAULT_CHUNK_LENGTH;
    private long randomSeed = DEFAULT_RANDOM_SEED;
    private boolean hugePages = true;
    private EpochClock epochClock = SystemEpochClock.INSTANCE;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private int maxChunkId = SlabDescriptor.MAX_CHUNK_ID;
    private StoreListener listener = StoreListener.NO_OP;

    /**
     * Check every setting and round the index capacities up to powers of two (at least
     * {@link IndexDescriptor#MIN_CAPACITY}); calling it again changes nothing.
     *
     * @return this for a fluent API.
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public StoreContext conclude() {
        require(maxKeyLength >= 0, "maxKeyLength must be >= 0: " + maxKeyLength);
        require(maxValueLength >= 0, "maxValueLength must be >= 0: " + maxValueLength);
        require((long)EntryDescriptor.HEADER_LENGTH + maxKeyLength + maxValueLength <= SizeClasses.MAX_BLOCK_LENGTH,
            "header + maxKeyLength + maxValueLength must be <= " + SizeClasses.MAX_BLOCK_LENGTH);
        require(maxCapacity >= 1 && maxCapacity <= IndexDescriptor.MAX_CAPACITY,
            "maxCapacity must be in [1, " + IndexDescriptor.MAX_CAPACITY + "]: " + maxCapacity);
        require(initialCapacity >= 1 && initialCapacity <= maxCapacity,
            "initialCapacity must be in [1, maxCapacity]: " + initialCapacity);
        maxCapacity = Math.max(IndexDescriptor.MIN_CAPACITY, BitUtil.findNextPositivePowerOfTwo(maxCapacity));
        initialCapacity = Math.max(IndexDescriptor.MIN_CAPACITY, BitUtil.findNextPositivePowerOfTwo(initialCapacity));
        require(loadFactor >= MIN_LOAD_FACTOR && loadFactor <= MAX_LOAD_FACTOR,
            "loadFactor must be in [" + MIN_LOAD_FACTOR + ", " + MAX_LOAD_FACTOR + "]: " + loadFactor);
        final long initialIndexBytes = (long)initialCapacity * IndexDescriptor.SLOT_LENGTH;
        require(maxMemoryBytes > initialIndexBytes,
            "maxMemoryBytes must exceed the initial index (" + initialIndexBytes + " bytes): " + maxMemoryBytes);
        require(null != evictionPolicy, "evictionPolicy must be set");
        require(evictionSampleCount >= 1 && evictionSampleCount <= MAX_EVICTION_SAMPLE_COUNT,
            "evictionSampleCount must be in [1, " + MAX_EVICTION_SAMPLE_COUNT + "]: " + evictionSampleCount);
        require(lfuLogFactor >= 0.0 && Double.isFinite(lfuLogFactor), "lfuLogFactor must be >= 0: " + lfuLogFactor);
        require(lfuDecayPeriodMs >= 1, "lfuDecayPeriodMs must be >= 1: " + lfuDecayPeriodMs);
        require(chunkLength >= MIN_CHUNK_LENGTH && chunkLength <= SizeClasses.MAX_BLOCK_LENGTH,
            "chunkLength must be in [" + MIN_CHUNK_LENGTH + ", " + SizeClasses.MAX_BLOCK_LENGTH + "]: " + chunkLength);
        require(null != epochClock, "epochClock must be set");
        require(null != nanoClock, "nanoClock must be set");
        require(maxChunkId >= 2 && maxChunkId <= SlabDescriptor.MAX_CHUNK_ID,
            "maxChunkId must be in [2, " + SlabDescriptor.MAX_CHUNK_ID + "]: " + maxChunkId);
        require(null != listener, "listener must be set");
        return this;
    }

    /**
     * Memory cap: the most native bytes the store reserves (index plus every slab chunk, used or not) before it
     * evicts or refuses.
     *
     * @param maxMemoryBytes cap in bytes, larger than the initial index.
     * @return this for a fluent API.
     */
    public StoreContext maxMemoryBytes(final long maxMemoryBytes) {
        this.maxMemoryBytes = maxMemoryBytes;
        return this;
    }

    /**
     * Memory cap in bytes; no default, must be set.
     *
     * @return the cap.
     */
    public long maxMemoryBytes() {
        return maxMemoryBytes;
    }

    /**
     * Largest key accepted; longer keys get {@link OffHeapStore#TOO_LARGE} (or are never found).
     *
     * @param maxKeyLength in bytes.
     * @return this for a fluent API.
     */
    public StoreContext maxKeyLength(final int maxKeyLength) {
        this.maxKeyLength = maxKeyLength;
        return this;
    }

    /**
     * Largest key accepted in bytes.
     *
     * @return the limit.
     */
    public int maxKeyLength() {
        return maxKeyLength;
    }

    /**
     * Largest value accepted; longer values get {@link OffHeapStore#TOO_LARGE}.
     *
     * @param maxValueLength in bytes.
     * @return this for a fluent API.
     */
    public StoreContext maxValueLength(final int maxValueLength) {
        this.maxValueLength = maxValueLength;
        return this;
    }

    /**
     * Largest value accepted in bytes.
     *
     * @return the limit.
     */
    public int maxValueLength() {
        return maxValueLength;
    }

    /**
     * Index slots at creation and after {@link OffHeapStore#clear()}; e.g. twice the expected entry count to
     * avoid resizing.
     *
     * @param initialCapacity 1 to maxCapacity, rounded up to a power of two by {@link #conclude()}.
     * @return this for a fluent API.
     */
    public StoreContext initialCapacity(final int initialCapacity) {
        this.initialCapacity = initialCapacity;
        return this;
    }

    /**
     * Index slots at creation.
     *
     * @return the initial capacity.
     */
    public int initialCapacity() {
        return initialCapacity;
    }

    /**
     * Most index slots the store may grow to; beyond its load it evicts or refuses like a full memory cap.
     *
     * @param maxCapacity 1 to {@link IndexDescriptor#MAX_CAPACITY}, rounded up to a power of two by
     *                    {@link #conclude()}.
     * @return this for a fluent API.
     */
    public StoreContext maxCapacity(final int maxCapacity) {
        this.maxCapacity = maxCapacity;
        return this;
    }

    /**
     * Most index slots.
     *
     * @return the bound on index growth.
     */
    public int maxCapacity() {
        return maxCapacity;
    }

    /**
     * Fraction of index slots that may be occupied; the index doubles when an insert would pass it.
     *
     * @param loadFactor in [0.1, 0.9].
     * @return this for a fluent API.
     */
    public StoreContext loadFactor(final float loadFactor) {
        this.loadFactor = loadFactor;
        return this;
    }

    /**
     * Fraction of index slots that may be occupied.
     *
     * @return the load factor.
     */
    public float loadFactor() {
        return loadFactor;
    }

    /**
     * What to do when an insert would pass the memory cap.
     *
     * @param evictionPolicy NONE, LRU or LFU.
     * @return this for a fluent API.
     */
    public StoreContext evictionPolicy(final EvictionPolicy evictionPolicy) {
        this.evictionPolicy = evictionPolicy;
        return this;
    }

    /**
     * What to do when an insert would pass the memory cap; default LRU.
     *
     * @return the policy.
     */
    public EvictionPolicy evictionPolicy() {
        return evictionPolicy;
    }

    /**
     * Entries sampled to choose each eviction victim; more is closer to exact LRU/LFU and slower.
     *
     * @param evictionSampleCount 1 to 64.
     * @return this for a fluent API.
     */
    public StoreContext evictionSampleCount(final int evictionSampleCount) {
        this.evictionSampleCount = evictionSampleCount;
        return this;
    }

    /**
     * Entries sampled per eviction.
     *
     * @return the sample count.
     */
    public int evictionSampleCount() {
        return evictionSampleCount;
    }

    /**
     * How slowly the LFU counter rises: higher means more accesses per step.
     *
     * @param lfuLogFactor 0 or more.
     * @return this for a fluent API.
     */
    public StoreContext lfuLogFactor(final double lfuLogFactor) {
        this.lfuLogFactor = lfuLogFactor;
        return this;
    }

    /**
     * How slowly the LFU counter rises.
     *
     * @return the log factor.
     */
    public double lfuLogFactor() {
        return lfuLogFactor;
    }

    /**
     * Idle time in ms after which an LFU counter loses one.
     *
     * @param lfuDecayPeriodMs 1 or more.
     * @return this for a fluent API.
     */
    public StoreContext lfuDecayPeriodMs(final long lfuDecayPeriodMs) {
        this.lfuDecayPeriodMs = lfuDecayPeriodMs;
        return this;
    }

    /**
     * Idle time in ms after which an LFU counter loses one.
     *
     * @return the decay period.
     */
    public long lfuDecayPeriodMs() {
        return lfuDecayPeriodMs;
    }

    /**
     * Bytes a slab chunk aims for (a chunk holds at most 4096 blocks and at least one). The store uses at most
     * {@code maxMemoryBytes / }{@link #CHUNK_CAP_DIVISOR}, and less for the last chunk that fits under the cap.
     *
     * @param chunkLength 4096 to 512 MiB.
     * @return this for a fluent API.
     */
    public StoreContext chunkLength(final int chunkLength) {
        this.chunkLength = chunkLength;
        return this;
    }

    /**
     * Bytes a slab chunk aims for.
     *
     * @return the chunk length.
     */
    public int chunkLength() {
        return chunkLength;
    }

    /**
     * Seed of the eviction sampler and the LFU counter randomness; a fixed seed makes eviction repeatable.
     *
     * @param randomSeed any value.
     * @return this for a fluent API.
     */
    public StoreContext randomSeed(final long randomSeed) {
        this.randomSeed = randomSeed;
        return this;
    }

    /**
     * Seed of the eviction randomness.
     *
     * @return the seed.
     */
    public long randomSeed() {
        return randomSeed;
    }

    /**
     * Whether the index and the slab chunks are mapped 2 MiB aligned and advised for transparent huge pages, so a
     * lookup into a large store misses the TLB less; only for a cap of at least {@link #HUGE_PAGES_MIN_MEMORY_BYTES}
     * at construction. Where the system does not offer them (no native access for this module, not Linux, THP
     * {@code never}) memory comes from malloc silently, as with {@code false}. See
     * {@link OffHeapStore#hugePagesAdvised()}.
     *
     * @param hugePages true (the default) to ask for huge pages.
     * @return this for a fluent API.
     */
    public StoreContext hugePages(final boolean hugePages) {
        this.hugePages = hugePages;
        return this;
    }

    /**
     * Whether huge pages are asked for.
     *
     * @return true when the store should map its memory for transparent huge pages.
     */
    public boolean hugePages() {
        return hugePages;
    }

    /**
     * Source of epoch milliseconds for TTL expiry; e.g. a CachedEpochClock the duty cycle updates.
     *
     * @param epochClock called on the owner thread once per operation.
     * @return this for a fluent API.
     */
    public StoreContext epochClock(final EpochClock epochClock) {
        this.epochClock = epochClock;
        return this;
    }

    /**
     * Source of epoch milliseconds; default the system clock.
     *
     * @return the clock.
     */
    public EpochClock epochClock() {
        return epochClock;
    }

    /**
     * Monotonic source of nanoseconds that LRU and LFU stamp accesses with, so a wall clock stepping backward
     * cannot make recently used entries look idle; e.g. a CachedNanoClock the duty cycle updates.
     *
     * @param nanoClock called on the owner thread once per operation under LRU or LFU.
     * @return this for a fluent API.
     */
    public StoreContext nanoClock(final NanoClock nanoClock) {
        this.nanoClock = nanoClock;
        return this;
    }

    /**
     * Monotonic source of nanoseconds for access recency; default the system's {@code System.nanoTime()}.
     *
     * @return the clock.
     */
    public NanoClock nanoClock() {
        return nanoClock;
    }

    /**
     * Largest slab chunk id the allocator may use; lowered only by tests to reach chunk-id exhaustion.
     *
     * @param maxChunkId 2 to {@link SlabDescriptor#MAX_CHUNK_ID}.
     * @return this for a fluent API.
     */
    StoreContext maxChunkId(final int maxChunkId) {
        this.maxChunkId = maxChunkId;
        return this;
    }

    /**
     * Largest slab chunk id the allocator may use.
     *
     * @return the limit, {@link SlabDescriptor#MAX_CHUNK_ID} unless a test lowered it.
     */
    int maxChunkId() {
        return maxChunkId;
    }

    /**
     * Told about evictions and expirations on the owner thread.
     *
     * @param listener must not call back into the store.
     * @return this for a fluent API.
     */
    public StoreContext listener(final StoreListener listener) {
        this.listener = listener;
        return this;
    }

    /**
     * Told about evictions and expirations; default {@link StoreListener#NO_OP}.
     *
     * @return the listener.
     */
    public StoreListener listener() {
        return listener;
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
