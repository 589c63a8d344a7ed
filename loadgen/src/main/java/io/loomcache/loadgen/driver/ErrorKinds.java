package io.loomcache.loadgen.driver;

import io.loomcache.loadgen.wire.Outcome;
import io.loomcache.protocol.ErrorCode;

/**
 * Dense indexes for counting errors by code without a map: every server {@link ErrorCode} (0 .. MAX_CODE), one
 * bucket for codes this version does not know, then the load generator's {@link Outcome} local codes.
 * Stateless and thread-safe.
 */
public final class ErrorKinds {
    /** Index of server codes above {@link ErrorCode#MAX_CODE} (a newer server). */
    public static final int UNDEFINED_CODE_INDEX = ErrorCode.MAX_CODE + 1;
    /** Index of the first local code ({@link Outcome#LOCAL_CODE_BASE}). */
    public static final int FIRST_LOCAL_INDEX = UNDEFINED_CODE_INDEX + 1;
    /** Number of indexes. */
    public static final int COUNT = FIRST_LOCAL_INDEX + Outcome.LOCAL_CODE_COUNT;

    private static final String[] LOCAL_NAMES = {"REDIS_ERROR", "REDIRECT", "UNEXPECTED_RESPONSE", "CONNECTION_LOST"};

    private ErrorKinds() {
    }

    /**
     * Maps an error code to its counting index; allocation-free.
     *
     * @param code a server {@link ErrorCode} or an {@link Outcome} local code.
     * @return 0 .. {@link #COUNT} - 1.
     */
    public static int indexOf(final int code) {
        if (code >= 0 && code <= ErrorCode.MAX_CODE) {
            return code;
        }
        final int local = code - Outcome.LOCAL_CODE_BASE;
        return local >= 0 && local < Outcome.LOCAL_CODE_COUNT ? FIRST_LOCAL_INDEX + local : UNDEFINED_CODE_INDEX;
    }

    /**
     * Names an index for reports.
     *
     * @param index 0 .. {@link #COUNT} - 1.
     * @return the code's name.
     */
    public static String name(final int index) {
        if (index <= ErrorCode.MAX_CODE) {
            return ErrorCode.name(index);
        }
        return index == UNDEFINED_CODE_INDEX ? "UNDEFINED_CODE" : LOCAL_NAMES[index - FIRST_LOCAL_INDEX];
    }
}
