package io.loomcache.protocol.raft;

import static io.loomcache.protocol.raft.RaftMessageDescriptor.FALSE;
import static io.loomcache.protocol.raft.RaftMessageDescriptor.TRUE;

/**
 * The int32 booleans of the Raft codecs. Stateless; allocates nothing.
 */
final class RaftFrames {
    private RaftFrames() {
    }

    /**
     * Encodes a boolean as an int32 field value.
     *
     * @param value the boolean.
     * @return {@link RaftMessageDescriptor#TRUE} or {@link RaftMessageDescriptor#FALSE}.
     */
    static int toInt(final boolean value) {
        return value ? TRUE : FALSE;
    }

    /**
     * Tells whether an int32 boolean field holds a defined value.
     *
     * @param value the field value.
     * @return true for 0 or 1.
     */
    static boolean isBoolean(final int value) {
        return value == FALSE || value == TRUE;
    }
}
