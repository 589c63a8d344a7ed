package io.loomcache.store;

/**
 * Size classes of slab blocks: every 8 bytes up to 512, then 8 classes per doubling (at most 12.5% waste) up to
 * {@link #MAX_BLOCK_LENGTH}. Every class length is a multiple of 8, so blocks stay 8-byte aligned.
 */
public final class SizeClasses {
    /**
     * Granularity of the small classes and alignment of every class.
     */
    public static final int SMALL_STEP = 8;

    /**
     * Largest block length served by the 8-byte-step classes.
     */
    public static final int SMALL_LIMIT = 512;

    /**
     * Number of classes at 8-byte steps.
     */
    public static final int SMALL_CLASS_COUNT = SMALL_LIMIT / SMALL_STEP;

    /**
     * log2 of the number of classes per doubling above {@link #SMALL_LIMIT}.
     */
    public static final int STEPS_PER_DOUBLING_SHIFT = 3;

    private static final int SMALL_LIMIT_SHIFT = Integer.numberOfTrailingZeros(SMALL_LIMIT);
    private static final int SMALL_STEP_SHIFT = Integer.numberOfTrailingZeros(SMALL_STEP);

    /**
     * Largest block length: 512 MiB.
     */
    public static final int MAX_BLOCK_LENGTH = 1 << 29;

    /**
     * Number of classes up to {@link #MAX_BLOCK_LENGTH}.
     */
    public static final int CLASS_COUNT = classIndex(MAX_BLOCK_LENGTH) + 1;

    private SizeClasses() {
    }

    /**
     * Class of the smallest block that holds {@code length} bytes.
     *
     * @param length in bytes, 1 to {@link #MAX_BLOCK_LENGTH}.
     * @return the class index, 0 to {@link #CLASS_COUNT} - 1.
     */
    public static int classIndex(final int length) {
        if (length <= SMALL_LIMIT) {
            return ((length + SMALL_STEP - 1) >>> SMALL_STEP_SHIFT) - 1;
        }

        final int power = 31 - Integer.numberOfLeadingZeros(length - 1);
        final int stepShift = power - STEPS_PER_DOUBLING_SHIFT;
        final int step = (length - 1 - (1 << power)) >>> stepShift;

        return SMALL_CLASS_COUNT + ((power - SMALL_LIMIT_SHIFT) << STEPS_PER_DOUBLING_SHIFT) + step;
    }

    /**
     * Block length of a class.
     *
     * @param classIndex 0 to {@link #CLASS_COUNT} - 1.
     * @return the block length in bytes.
     */
    public static int classLength(final int classIndex) {
        if (classIndex < SMALL_CLASS_COUNT) {
            return (classIndex + 1) << SMALL_STEP_SHIFT;
        }

        final int large = classIndex - SMALL_CLASS_COUNT;
        final int power = SMALL_LIMIT_SHIFT + (large >>> STEPS_PER_DOUBLING_SHIFT);
        final int step = large & ((1 << STEPS_PER_DOUBLING_SHIFT) - 1);

        return (1 << power) + ((step + 1) << (power - STEPS_PER_DOUBLING_SHIFT));
    }

    /**
     * Length of the block that would hold {@code length} bytes.
     *
     * @param length in bytes, 1 to {@link #MAX_BLOCK_LENGTH}.
     * @return the block length in bytes, at least {@code length}.
     */
    public static int blockLength(final int length) {
        return classLength(classIndex(length));
    }
}
