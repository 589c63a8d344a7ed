package io.loomcache.protocol;

/**
 * The category of an opcode; each category owns the 256 opcodes whose high byte is its {@link #code()}.
 */
public enum OpcodeCategory {
    /** Not a registered opcode. */
    UNKNOWN(0),
    /** Client control: handshake, authentication, ping, near cache, batches, SQL (0x01xx). */
    CONTROL(1),
    /** Data structures: map (0x0200-0x021F), queue (0x0220-), set (0x0230-), topic (0x0240-). */
    DATA(2),
    /** CP subsystem, linearizable through Raft: atomic long, lock, semaphore (0x03xx). */
    CP(3),
    /** Cluster membership, partition table and migration between peers (0x04xx). */
    CLUSTER(4),
    /** Raft RPCs between peers (0x05xx). */
    RAFT(5),
    /** WAN replication and executor placeholders (0x06xx). */
    WAN_EXECUTOR(6),
    /** Generic responses to client requests (0x07xx). */
    RESPONSE(7);

    /** Bits an opcode is shifted right by to give its category code. */
    public static final int CATEGORY_SHIFT = 8;

    private static final OpcodeCategory[] BY_CODE = values();

    private final int code;

    OpcodeCategory(final int code) {
        this.code = code;
    }

    /**
     * The category's code, the high byte of its opcodes.
     *
     * @return the code, 0 for {@link #UNKNOWN}.
     */
    public int code() {
        return code;
    }

    /**
     * The first opcode of this category's range.
     *
     * @return {@code code << 8}.
     */
    public int firstOpcode() {
        return code << CATEGORY_SHIFT;
    }

    /**
     * The category whose range holds an opcode, registered or not; allocation-free.
     *
     * @param opcode the opcode.
     * @return the range's category, or {@link #UNKNOWN} outside every range.
     */
    public static OpcodeCategory ofRange(final int opcode) {
        final int categoryCode = opcode >> CATEGORY_SHIFT;
        if (opcode < 0 || categoryCode >= BY_CODE.length) {
            return UNKNOWN;
        }
        return BY_CODE[categoryCode];
    }
}
