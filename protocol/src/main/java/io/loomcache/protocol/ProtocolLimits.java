package io.loomcache.protocol;

/**
 * Validated, immutable size limits that decoders enforce before reading a field (as Redis's
 * {@code proto_max_bulk_len}). Thread-safe; share one instance.
 */
public final class ProtocolLimits {
    /** Default largest frame, header included: 2 MiB. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 2 * 1024 * 1024;
    /** Default largest key: 16 KiB. */
    public static final int DEFAULT_MAX_KEY_LENGTH = 16 * 1024;
    /** Default largest value: 1 MiB. */
    public static final int DEFAULT_MAX_VALUE_LENGTH = 1024 * 1024;
    /** The defaults above. */
    public static final ProtocolLimits DEFAULTS =
        new ProtocolLimits(DEFAULT_MAX_FRAME_LENGTH, DEFAULT_MAX_KEY_LENGTH, DEFAULT_MAX_VALUE_LENGTH);

    private final int maxFrameLength;
    private final int maxKeyLength;
    private final int maxValueLength;

    /**
     * Creates limits; every field must still fit the frame, so a frame limit below a key or value limit wins.
     *
     * @param maxFrameLength largest frame in bytes, header included, at least
     *     {@link FrameHeaderDescriptor#HEADER_LENGTH}.
     * @param maxKeyLength largest key in bytes, &gt;= 0.
     * @param maxValueLength largest value or expected value in bytes, &gt;= 0.
     * @throws IllegalArgumentException when a limit is out of range (configuration time only).
     */
    public ProtocolLimits(final int maxFrameLength, final int maxKeyLength, final int maxValueLength) {
        if (maxFrameLength < FrameHeaderDescriptor.HEADER_LENGTH || maxKeyLength < 0 || maxValueLength < 0) {
            throw new IllegalArgumentException("invalid protocol limits: maxFrameLength=" + maxFrameLength +
                " maxKeyLength=" + maxKeyLength + " maxValueLength=" + maxValueLength);
        }
        this.maxFrameLength = maxFrameLength;
        this.maxKeyLength = maxKeyLength;
        this.maxValueLength = maxValueLength;
    }

    /**
     * The largest frame accepted.
     *
     * @return bytes, header included.
     */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * The largest key accepted.
     *
     * @return bytes.
     */
    public int maxKeyLength() {
        return maxKeyLength;
    }

    /**
     * The largest value accepted.
     *
     * @return bytes.
     */
    public int maxValueLength() {
        return maxValueLength;
    }
}
